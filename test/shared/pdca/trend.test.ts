// Score trends over a series: session order, change since the last scored session, weakest.
import { describe, expect, it } from 'vitest';
import { computeTrend, previousScores } from '../../../shared/pdca/trend.ts';

describe('computeTrend', () => {
  it('orders sessions by date, keeps gaps, computes the change since the previous scored value and the weakest', () => {
    const trend = computeTrend([
      { eventId: 'c', title: '3月', date: '2026-03-01', scores: { customers: 3, data: 1, brand: 2 } },
      { eventId: 'a', title: '1月', date: '2026-01-01', scores: { customers: 1, data: 2 } },
      { eventId: 'b', title: '2月', date: '2026-02-01', scores: { brand: 2 } },
    ]);
    expect(trend.sessions.map((s) => s.eventId)).toEqual(['a', 'b', 'c']);
    const of = (id: string) => trend.elements.find((e) => e.element === id)!;
    expect(of('customers').values).toEqual([1, null, 3]);
    expect(of('customers').change).toBe(2);
    expect(of('data').change).toBe(-1);
    expect(of('brand').change).toBe(0);
    expect(of('culture').values).toEqual([null, null, null]);
    expect(of('culture').change).toBeNull();
    expect(trend.weakest).toEqual(['data']);
  });

  it('has no weakest element when nothing, one thing or all equally were scored', () => {
    expect(computeTrend([{ eventId: 'a', title: 'x', date: '2026-01-01', scores: {} }]).weakest).toEqual([]);
    expect(computeTrend([{ eventId: 'a', title: 'x', date: '2026-01-01', scores: { customers: 1 } }]).weakest).toEqual([]);
    expect(computeTrend([{ eventId: 'a', title: 'x', date: '2026-01-01', scores: { customers: 2, data: 2 } }]).weakest).toEqual([]);
  });
});

describe('previousScores', () => {
  const trend = computeTrend([
    { eventId: 'b', title: '2月', date: '2026-02-01', scores: { customers: 3 } },
    { eventId: 'a', title: '1月', date: '2026-01-01', scores: { customers: 1, data: 0 } },
  ]);

  it('gives the scores of the session just before this one, 0 included', () => {
    expect(previousScores(trend, 'b')).toEqual({ title: '1月', date: '2026-01-01', scores: { customers: 1, data: 0 } });
  });

  it('is null in the first session and for a session not in the trend', () => {
    expect(previousScores(trend, 'a')).toBeNull();
    expect(previousScores(trend, 'zzz')).toBeNull();
  });
});
