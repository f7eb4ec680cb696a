// The meetup's phases: breakout rooms → a closing countdown everyone sees → the plenary
// (全体共有). The server holds the countdown's end time; these pure functions read it the same way
// on the server (the timer that moves the event on, the lazy check on load) and in browsers.
import type { MeetupPhase } from '../protocol/meetup.ts';
import { startStep, type AgendaStep, type ClockState } from './clock.ts';

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

/**
 * The agenda's plenary step (全体共有): the first step whose title says so (「全体共有」 in its
 * Japanese title, or "plenary" in its English one), or null when the agenda has none. Steps carry
 * only a title and a length, so the title is what marks it (the default agenda's 全体共有 does).
 */
export function plenaryStepIndex(agenda: readonly AgendaStep[]): number | null {
  const index = agenda.findIndex((s) => s.title.ja.normalize('NFKC').includes('全体共有') || /\bplenary\b/i.test(s.title.en));
  return index < 0 ? null : index;
}

/**
 * The agenda clock once the event enters the plenary, so it no longer counts down a breakout step:
 * the plenary step starts (its full length) if the agenda has one and the clock is before it; a
 * clock already at it or past it (the facilitator moved on by hand) stays as it is. With no plenary
 * step the step clock stops (idle, on the same step, so 次へ carries on from there).
 */
export function clockAtPlenary(agenda: readonly AgendaStep[], clock: ClockState, now: number): ClockState {
  const plenary = plenaryStepIndex(agenda);
  if (plenary !== null) {
    if (clock.stepIndex !== null && clock.stepIndex >= plenary) return clock;
    return startStep(plenary, agenda[plenary]!.durationMinutes * 60_000, now);
  }
  if (clock.status === 'idle') return clock;
  return { status: 'idle', stepIndex: clock.stepIndex, endsAt: null, pausedRemainingMs: null };
}

/** A viewer's own pick between the plenary view and their board, for one agenda step. */
export interface PlenaryViewChoice {
  stepIndex: number | null;
  view: 'plenary' | 'board';
}

/**
 * Whether a board shows the plenary (全体共有) view: in the plenary phase, until the agenda moves
 * past its 全体共有 step (持ち帰り comes after it, and the actions are written on the board). The
 * viewer's own pick wins until the step changes.
 */
export function showsPlenaryView(
  state: { phase: MeetupPhase; agenda: readonly AgendaStep[]; clock: ClockState },
  choice: PlenaryViewChoice | null,
): boolean {
  if (state.phase !== 'plenary') return false;
  if (choice && choice.stepIndex === state.clock.stepIndex) return choice.view === 'plenary';
  const plenary = plenaryStepIndex(state.agenda);
  return !(plenary !== null && state.clock.stepIndex !== null && state.clock.stepIndex > plenary);
}

/**
 * Whether people work in their breakout rooms (or, in a 勉強会, on their boards) while the step
 * clock stands at the plenary step: the facilitator sent everyone back from the plenary
 * (「ブレイクアウトに戻る」 leaves the clock where it is), or moved the clock there by hand. The
 * step's title alone would then say 「全体共有」 to people who are not in it.
 */
export function breakoutAtPlenaryStep(state: { phase: MeetupPhase; agenda: readonly AgendaStep[]; clock: ClockState }): boolean {
  if (state.phase !== 'breakout' || state.clock.stepIndex === null) return false;
  return state.clock.stepIndex === plenaryStepIndex(state.agenda);
}
