// A gentle chime for the clock's cues and help requests, made with Web Audio (no sound files).
// Browsers allow sound only after the user has interacted with the page; before that it is silent
// and the visual cue alone shows.
import type { ClockCue } from '../../../shared/meetup/clock.ts';

let context: AudioContext | null = null;

const TONES: Record<ClockCue | 'help', number[]> = {
  oneMinute: [660],
  zero: [660, 880],
  help: [880, 660],
};

export function playCue(cue: ClockCue | 'help'): void {
  try {
    context ??= new AudioContext();
    if (context.state !== 'running') return;
    const start = context.currentTime;
    TONES[cue].forEach((frequency, i) => {
      const osc = context!.createOscillator();
      const gain = context!.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.25 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.25 + 0.22);
      osc.connect(gain).connect(context!.destination);
      osc.start(start + i * 0.25);
      osc.stop(start + i * 0.25 + 0.25);
    });
  } catch {
    // no audio on this device: the visual cue is enough
  }
}

/**
 * Call from a user gesture (a click, a key): an AudioContext made before any gesture stays
 * suspended, so without this a page that has been only watched (the console) would stay silent.
 */
export function unlockCueSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // no audio on this device
  }
}
