// The meetup's phases: breakout rooms → a closing countdown everyone sees → the plenary
// (全体共有). The server holds the countdown's end time; these pure functions read it the same way
// on the server (the timer that moves the event on, the lazy check on load) and in browsers.
import type { MeetupPhase } from '../protocol/meetup.ts';

/** Countdown lengths a facilitator picks from when closing the breakout. */
export const CLOSING_CHOICES_SECONDS = [30, 60, 120] as const;
export const DEFAULT_CLOSING_SECONDS = 60;

export interface PhaseClock {
  phase: MeetupPhase;
  /** Server epoch ms when the closing countdown ends (phase 'closing' only). */
  phaseEndsAt: number | null;
}

/** Time left before the plenary (never below zero); null when no countdown is running. */
export function closingRemainingMs(state: PhaseClock | null, serverNow: number): number | null {
  if (!state || state.phase !== 'closing' || state.phaseEndsAt === null) return null;
  return Math.max(0, state.phaseEndsAt - serverNow);
}

/** A closing countdown that has run out: the event is in the plenary now, whoever notices first. */
export function isExpiredClosing(state: PhaseClock, serverNow: number): boolean {
  return state.phase === 'closing' && state.phaseEndsAt !== null && state.phaseEndsAt <= serverNow;
}
