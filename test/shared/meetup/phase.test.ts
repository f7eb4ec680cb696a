import { describe, expect, it } from 'vitest';
import { breakoutAtPlenaryStep, clockAtPlenary, closingRemainingMs, isExpiredClosing, plenaryStepIndex, showsPlenaryView } from '../../../shared/meetup/phase.ts';
import { DEFAULT_AGENDA, IDLE_CLOCK, pause, startStep } from '../../../shared/meetup/clock.ts';

describe('closing countdown', () => {
  it('counts down to the server-held end time and stops at zero', () => {
    const state = { phase: 'closing' as const, phaseEndsAt: 100_000 };
    expect(closingRemainingMs(state, 55_000)).toBe(45_000);
    expect(closingRemainingMs(state, 100_000)).toBe(0);
    expect(closingRemainingMs(state, 130_000)).toBe(0);
  });

  it('is absent outside the closing phase', () => {
    expect(closingRemainingMs(null, 0)).toBeNull();
    expect(closingRemainingMs({ phase: 'breakout', phaseEndsAt: null }, 0)).toBeNull();
    expect(closingRemainingMs({ phase: 'plenary', phaseEndsAt: 5 }, 0)).toBeNull();
    expect(closingRemainingMs({ phase: 'closing', phaseEndsAt: null }, 0)).toBeNull();
  });

  it('has expired once the end time is reached, and only in the closing phase', () => {
    expect(isExpiredClosing({ phase: 'closing', phaseEndsAt: 1000 }, 999)).toBe(false);
    expect(isExpiredClosing({ phase: 'closing', phaseEndsAt: 1000 }, 1000)).toBe(true);
    expect(isExpiredClosing({ phase: 'plenary', phaseEndsAt: 1000 }, 5000)).toBe(false);
    expect(isExpiredClosing({ phase: 'closing', phaseEndsAt: null }, 5000)).toBe(false);
  });
});

describe('the agenda at the plenary', () => {
  const step = (ja: string, en: string, durationMinutes = 10) => ({ title: { ja, en }, durationMinutes });

  it('finds the plenary step by its title', () => {
    expect(plenaryStepIndex(DEFAULT_AGENDA)).toBe(6);
    expect(plenaryStepIndex([step('まとめ', 'Wrap-up'), step('全体共有・質疑', 'Q&A')])).toBe(1);
    expect(plenaryStepIndex([step('まとめ', 'Plenary session')])).toBe(0);
    expect(plenaryStepIndex([step('自己紹介', 'Introductions'), step('議論', 'Discussion')])).toBeNull();
  });

  it('starts the plenary step from a breakout step, or from no step at all', () => {
    const now = 1_000_000;
    expect(clockAtPlenary(DEFAULT_AGENDA, startStep(1, 15 * 60_000, now - 44_000), now)).toEqual(startStep(6, 15 * 60_000, now));
    expect(clockAtPlenary(DEFAULT_AGENDA, pause(startStep(3, 60_000, 0), 10), now)).toEqual(startStep(6, 15 * 60_000, now));
    expect(clockAtPlenary(DEFAULT_AGENDA, IDLE_CLOCK, now)).toEqual(startStep(6, 15 * 60_000, now));
  });

  it('never moves a clock at or past the plenary step', () => {
    for (const clock of [startStep(6, 60_000, 5), startStep(7, 60_000, 5), pause(startStep(6, 60_000, 5), 10)]) {
      expect(clockAtPlenary(DEFAULT_AGENDA, clock, 1_000_000)).toBe(clock);
    }
  });

  it('stops the step clock when the agenda has no plenary step', () => {
    const agenda = [step('自己紹介', 'Introductions'), step('議論', 'Discussion')];
    expect(clockAtPlenary(agenda, startStep(1, 60_000, 0), 10)).toEqual({ status: 'idle', stepIndex: 1, endsAt: null, pausedRemainingMs: null });
    expect(clockAtPlenary(agenda, IDLE_CLOCK, 10)).toBe(IDLE_CLOCK);
  });
});

describe('showsPlenaryView', () => {
  const agenda = DEFAULT_AGENDA;
  const plenaryAt = plenaryStepIndex(agenda)!;
  const at = (phase: 'breakout' | 'closing' | 'plenary', stepIndex: number | null) => ({
    phase,
    agenda,
    clock: { status: 'running' as const, stepIndex, endsAt: 0, pausedRemainingMs: null },
  });

  it('shows it in the plenary up to its 全体共有 step, the board after it (持ち帰り)', () => {
    expect(showsPlenaryView(at('breakout', plenaryAt), null)).toBe(false);
    expect(showsPlenaryView(at('closing', plenaryAt), null)).toBe(false);
    expect(showsPlenaryView(at('plenary', plenaryAt), null)).toBe(true);
    expect(showsPlenaryView(at('plenary', plenaryAt - 1), null)).toBe(true);
    expect(showsPlenaryView(at('plenary', null), null)).toBe(true);
    expect(showsPlenaryView(at('plenary', plenaryAt + 1), null)).toBe(false);
  });

  it('follows the viewer\'s pick for the step it was made in, then the agenda again', () => {
    expect(showsPlenaryView(at('plenary', plenaryAt), { stepIndex: plenaryAt, view: 'board' })).toBe(false);
    expect(showsPlenaryView(at('plenary', plenaryAt + 1), { stepIndex: plenaryAt + 1, view: 'plenary' })).toBe(true);
    // The step moved on: the pick no longer applies.
    expect(showsPlenaryView(at('plenary', plenaryAt + 1), { stepIndex: plenaryAt, view: 'board' })).toBe(false);
    expect(showsPlenaryView(at('plenary', plenaryAt + 1), { stepIndex: plenaryAt, view: 'plenary' })).toBe(false);
    // Never outside the plenary.
    expect(showsPlenaryView(at('breakout', plenaryAt), { stepIndex: plenaryAt, view: 'plenary' })).toBe(false);
  });
});

describe('breakoutAtPlenaryStep', () => {
  const at = (stepIndex: number | null) => (stepIndex === null ? IDLE_CLOCK : startStep(stepIndex, 60_000, 0));
  const plenary = 6; // 全体共有 in the default agenda

  it('is the breakout with the clock at the plenary step (sent back from the plenary)', () => {
    expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda: [...DEFAULT_AGENDA], clock: at(plenary) })).toBe(true);
    expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda: [...DEFAULT_AGENDA], clock: pause(at(plenary), 1000) })).toBe(true);
  });

  it('is not the plenary itself, its countdown, or another step', () => {
    expect(breakoutAtPlenaryStep({ phase: 'plenary', agenda: [...DEFAULT_AGENDA], clock: at(plenary) })).toBe(false);
    expect(breakoutAtPlenaryStep({ phase: 'closing', agenda: [...DEFAULT_AGENDA], clock: at(plenary) })).toBe(false);
    expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda: [...DEFAULT_AGENDA], clock: at(plenary - 1) })).toBe(false);
    // 持ち帰り is written on the boards: its title says what people do.
    expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda: [...DEFAULT_AGENDA], clock: at(plenary + 1) })).toBe(false);
    expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda: [...DEFAULT_AGENDA], clock: at(null) })).toBe(false);
  });

  it('is never true for an agenda without a plenary step', () => {
    const agenda = DEFAULT_AGENDA.filter((s) => s.title.ja !== '全体共有');
    for (let i = 0; i < agenda.length; i++) expect(breakoutAtPlenaryStep({ phase: 'breakout', agenda, clock: at(i) })).toBe(false);
  });
});
