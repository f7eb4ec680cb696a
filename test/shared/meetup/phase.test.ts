import { describe, expect, it } from 'vitest';
import { closingRemainingMs, isExpiredClosing } from '../../../shared/meetup/phase.ts';

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
