// The meetup as one browser sees it: the shared state the server pushes (phase, agenda clock,
// rooms, banners, done marks), the countdown corrected for this device's clock offset, cues at
// one minute left and at zero, help requests (facilitators), and the facilitator's commands.
import { SvelteSet } from 'svelte/reactivity';
import { clockOffset, cueBetween, remainingMs, type AgendaStep, type ClockCue, type ClockSample } from '../../../shared/meetup/clock.ts';
import type { Banner, HelpRequest, MeetupState, SummonTarget } from '../../../shared/protocol/meetup.ts';
import type { ClientToServerEvents } from '../../../shared/protocol/control-events.ts';
import { request, type ControlSocket } from '../api/control-socket.ts';
import { errorMessage } from '../error-message.ts';
import { playCue } from './cue-sound.ts';
import { newerState } from '../../../shared/meetup/state-order.ts';
import { breakoutAtPlenaryStep } from '../../../shared/meetup/phase.ts';

const TICK_MS = 250;

export class MeetupModel {
  state = $state.raw<MeetupState | null>(null);
  help = $state.raw<HelpRequest[]>([]);
  /** serverTime ≈ Date.now() + offset. */
  offset = $state(0);
  /** Ticks while a step runs, so the countdown re-renders. */
  now = $state(Date.now());
  /** The cue being shown (cleared after a few seconds). */
  cue = $state<ClockCue | 'help' | null>(null);
  error = $state<string | null>(null);
  /** The help form is open (toggled from the bar, shown below it). */
  helpOpen = $state(false);
  /** A help request was just sent (a short confirmation). */
  helpSent = $state(false);
  /** A facilitator just marked this person's help request handled (a short confirmation). */
  helpHandled = $state(false);
  /** Called when a facilitator summons this browser to a view. */
  onSummon: ((target: SummonTarget) => void) | null = null;

  private readonly dismissed: SvelteSet<string>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private cueTimer: ReturnType<typeof setTimeout> | undefined;
  private helpTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRemaining: number | null = null;

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
    private readonly userId: string,
  ) {
    this.dismissed = new SvelteSet(readDismissed(eventId, userId));
    socket.on('meetup:state', (state) => this.accept(state));
    socket.on('help:requests', ({ eventId, requests, added }) => {
      if (eventId !== this.eventId) return;
      this.help = requests;
      if (added) this.showCue('help');
    });
    // Sent to the asker's company when a facilitator marks a request 対応済み: only the asker shows it.
    socket.on('help:handled', ({ eventId, userId }) => {
      if (eventId !== this.eventId || userId !== this.userId) return;
      this.helpSent = false;
      this.helpHandled = true;
      clearTimeout(this.helpTimer);
      this.helpTimer = setTimeout(() => (this.helpHandled = false), 8000);
    });
    socket.on('summon', ({ eventId, target }) => {
      if (eventId === this.eventId) this.onSummon?.(target);
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Takes a pushed or replied state unless a newer one is already here (see newerState). */
  accept(state: MeetupState): void {
    this.state = newerState(this.state, state, this.eventId);
  }

  /** Fetches the state and measures the clock offset (called on every (re)connect). */
  async load(): Promise<void> {
    const { state, help } = await request(this.socket, 'meetup:get', { eventId: this.eventId });
    this.accept(state);
    this.help = help;
    await this.syncClock();
  }

  /** Fetches the open help requests again (their rooms follow the companies, which may have moved). */
  async refreshHelp(): Promise<void> {
    const { help } = await request(this.socket, 'meetup:get', { eventId: this.eventId });
    this.help = help;
  }

  /** Five round trips; the shortest one decides (see clockOffset). */
  async syncClock(): Promise<void> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < 5; i++) {
      const sentAt = Date.now();
      const { serverTime } = await request(this.socket, 'time:sync', {});
      samples.push({ sentAt, serverTime, receivedAt: Date.now() });
    }
    this.offset = clockOffset(samples);
  }

  get remaining(): number | null {
    return this.state ? remainingMs(this.state.clock, this.now + this.offset) : null;
  }

  get agenda(): AgendaStep[] {
    return this.state?.agenda ?? [];
  }

  get currentStep(): AgendaStep | null {
    const index = this.state?.clock.stepIndex;
    return index === null || index === undefined ? null : (this.agenda[index] ?? null);
  }

  /**
   * Back in the rooms while the step clock stands at 全体共有 (「ブレイクアウトに戻る」 leaves the clock
   * where it is): the bar and the console say where people are before the clock's step.
   */
  get backInBreakout(): boolean {
    return this.state ? breakoutAtPlenaryStep(this.state) : false;
  }

  get isDone(): boolean {
    return this.state?.done.includes(this.userId) ?? false;
  }

  /** Banners for this viewer's room (or all rooms), not dismissed here. */
  banners(roomId: string | null): Banner[] {
    return (this.state?.banners ?? []).filter((b) => !this.dismissed.has(b.id) && (b.roomId === null || b.roomId === roomId));
  }

  dismissBanner(id: string): void {
    this.dismissed.add(id);
    try {
      localStorage.setItem(dismissedKey(this.eventId, this.userId), JSON.stringify([...this.dismissed].slice(-50)));
    } catch {
      // storage full or blocked: dismissed for this page only
    }
  }

  /** Sends a command; a refusal or a timeout becomes `error` (shown to the user). */
  async command<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<boolean> {
    this.error = null;
    try {
      const res = (await request(this.socket, event, payload as never)) as { state?: MeetupState };
      if (res.state) this.accept(res.state);
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    }
  }

  showHelpSent(): void {
    this.helpSent = true;
    this.helpHandled = false;
    clearTimeout(this.helpTimer);
    this.helpTimer = setTimeout(() => (this.helpSent = false), 8000);
  }

  destroy(): void {
    clearInterval(this.timer);
    clearTimeout(this.cueTimer);
    clearTimeout(this.helpTimer);
  }

  private tick(): void {
    this.now = Date.now();
    const remaining = this.remaining;
    const cue = cueBetween(this.lastRemaining, remaining);
    this.lastRemaining = remaining;
    if (cue) this.showCue(cue);
  }

  private showCue(cue: ClockCue | 'help'): void {
    this.cue = cue;
    playCue(cue);
    clearTimeout(this.cueTimer);
    this.cueTimer = setTimeout(() => (this.cue = null), 6000);
  }
}

function dismissedKey(eventId: string, userId: string): string {
  return `kizuki:banners:${userId}:${eventId}`;
}

function readDismissed(eventId: string, userId: string): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(dismissedKey(eventId, userId)) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
