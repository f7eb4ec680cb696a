// When a member joined, on the event page: English names the month ("4 Dec"), since "12/04"
// reads as 12 April in Britain and December 4 in the US; Japanese keeps 月/日.
import { describe, expect, it } from 'vitest';
import { dateTimeText } from '../../../client/lib/date-time.ts';

const now = new Date(2026, 11, 20, 18, 0); // 20 December 2026, local time
const at = (month: number, day: number, year = 2026) => new Date(year, month - 1, day, 14, 5);

describe('dateTimeText', () => {
  it('names the month in English, never a numeric day/month', () => {
    expect(dateTimeText(at(12, 4), 'en', now)).toBe('4 Dec, 14:05');
    expect(dateTimeText(at(4, 12), 'en', now)).toBe('12 Apr, 14:05');
    expect(dateTimeText(at(12, 4), 'en', now)).not.toMatch(/\d+\/\d+/);
  });

  it('keeps Japanese as month/day', () => {
    expect(dateTimeText(at(12, 4), 'ja', now)).toBe('12/4 14:05');
  });

  it('shows only the time for today', () => {
    expect(dateTimeText(at(12, 20), 'en', now)).toBe('14:05');
    expect(dateTimeText(at(12, 20), 'ja', now)).toBe('14:05');
  });

  it('gives the year of an earlier year', () => {
    expect(dateTimeText(at(12, 4, 2025), 'en', now)).toBe('4 Dec 2025, 14:05');
    expect(dateTimeText(at(12, 4, 2025), 'ja', now)).toBe('2025/12/4 14:05');
  });
});
