import { describe, expect, it } from 'vitest';
import { proposedNextDate } from '../../../shared/pdca/next-session.ts';

describe('the date proposed for a series’ next session', () => {
  it('is a month later, on the same day', () => {
    expect(proposedNextDate('2026-03-12', '2026-03-20')).toBe('2026-04-12');
    expect(proposedNextDate('2026-12-05', '2026-12-05')).toBe('2027-01-05');
  });

  it('falls on the last day of a shorter month', () => {
    expect(proposedNextDate('2026-01-31', '2026-01-31')).toBe('2026-02-28');
    expect(proposedNextDate('2028-01-30', '2028-01-30')).toBe('2028-02-29');
  });

  it('is never in the past, and is today for an unreadable date', () => {
    expect(proposedNextDate('2025-06-01', '2026-12-05')).toBe('2026-12-05');
    expect(proposedNextDate('not a date', '2026-12-05')).toBe('2026-12-05');
  });
});
