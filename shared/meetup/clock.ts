// The agenda clock: the server holds each step's end time; every browser shows the same countdown
// by correcting its own clock with the offset measured against the server. Pure functions.

export type ClockStatus = 'idle' | 'running' | 'paused';

/** What the server stores and sends (times are the server's epoch milliseconds). */
export interface ClockState {
  status: ClockStatus;
  /** Index of the current agenda step; null before the first start. */
  stepIndex: number | null;
  /** When the running step ends. */
  endsAt: number | null;
  /** Time left when paused. */
  pausedRemainingMs: number | null;
}

export const IDLE_CLOCK: ClockState = { status: 'idle', stepIndex: null, endsAt: null, pausedRemainingMs: null };

/** Milliseconds left in the current step at server time `now` (negative = overtime; null = no step). */
export function remainingMs(clock: ClockState, now: number): number | null {
  if (clock.status === 'running' && clock.endsAt !== null) return clock.endsAt - now;
  if (clock.status === 'paused') return clock.pausedRemainingMs;
  return null;
}

export function startStep(stepIndex: number, durationMs: number, now: number): ClockState {
  if (!(durationMs > 0)) throw new RangeError('a step needs a positive duration');
  return { status: 'running', stepIndex, endsAt: now + durationMs, pausedRemainingMs: null };
}

export function pause(clock: ClockState, now: number): ClockState {
  if (clock.status !== 'running') return clock;
  return { ...clock, status: 'paused', endsAt: null, pausedRemainingMs: remainingMs(clock, now) };
}

export function resume(clock: ClockState, now: number): ClockState {
  if (clock.status !== 'paused' || clock.pausedRemainingMs === null) return clock;
  return { ...clock, status: 'running', endsAt: now + clock.pausedRemainingMs, pausedRemainingMs: null };
}

/** Adds time to the current step (running or paused); an overtime step restarts from now. */
export function extend(clock: ClockState, byMs: number, now: number): ClockState {
  if (clock.status === 'running' && clock.endsAt !== null) return { ...clock, endsAt: Math.max(clock.endsAt, now) + byMs };
  if (clock.status === 'paused' && clock.pausedRemainingMs !== null) {
    return { ...clock, pausedRemainingMs: Math.max(clock.pausedRemainingMs, 0) + byMs };
  }
  return clock;
}

/** One round trip: client clock before sending, server clock when answering, client clock on arrival. */
export interface ClockSample {
  sentAt: number;
  serverTime: number;
  receivedAt: number;
}

/**
 * serverTime ≈ clientTime + offset. Like NTP, assumes the answer was made half-way through the
 * round trip and trusts the sample with the shortest round trip (least queueing noise).
 */
export function clockOffset(samples: readonly ClockSample[]): number {
  if (samples.length === 0) return 0;
  const best = samples.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a));
  return best.serverTime - (best.sentAt + best.receivedAt) / 2;
}

/** mm:ss (rounded up, so 0:00 shows only at the end); overtime as +mm:ss. */
export function formatCountdown(ms: number): string {
  const overtime = ms < 0;
  const seconds = overtime ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return overtime && seconds > 0 ? `+${text}` : text;
}

export type ClockCue = 'oneMinute' | 'zero';

/** The cue to play when the remaining time went from `before` to `after` (one tick), if any. */
export function cueBetween(before: number | null, after: number | null): ClockCue | null {
  if (before === null || after === null) return null;
  if (before > 0 && after <= 0) return 'zero';
  if (before > 60_000 && after <= 60_000) return 'oneMinute';
  return null;
}

export interface AgendaStep {
  title: { ja: string; en: string };
  durationMinutes: number;
}

/** The default agenda of a 90-minute JCRM study session (editable per event). */
export const DEFAULT_AGENDA: readonly AgendaStep[] = [
  { title: { ja: '自己紹介', en: 'Introductions' }, durationMinutes: 5 },
  { title: { ja: 'ワークシート記入', en: 'Fill in the worksheet' }, durationMinutes: 15 },
  { title: { ja: '各社の共有', en: 'Each company shares' }, durationMinutes: 15 },
  { title: { ja: '気付きの投稿', en: 'Post insights' }, durationMinutes: 10 },
  { title: { ja: '採点', en: 'Scoring' }, durationMinutes: 5 },
  { title: { ja: '比較と議論', en: 'Compare and discuss' }, durationMinutes: 20 },
  { title: { ja: '全体共有', en: 'Plenary' }, durationMinutes: 15 },
  { title: { ja: '持ち帰り', en: 'Take-home actions' }, durationMinutes: 5 },
];
