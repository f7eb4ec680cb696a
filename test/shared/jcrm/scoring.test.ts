// The comparison view's pure functions: subtotals, strongest/weakest elements, gaps between companies.
import { describe, expect, it } from 'vitest';
import { chartSeries, gapsByElement, isScoreValue, strongestAndWeakest, subtotalShown, subtotals, type CompanyScores } from '../../../shared/jcrm/scoring.ts';
import { ELEMENT_IDS, ELEMENTS, elementsInFrame } from '../../../shared/jcrm/elements.ts';

describe('subtotalShown (the board and the plenary show the same)', () => {
  it('shows nothing ("–") for a frame nobody has scored, never 0 out of its maximum', () => {
    expect(subtotalShown({}, 'inner')).toEqual({ kind: 'none' });
    expect(subtotalShown({ customers: 3 }, 'inner')).toEqual({ kind: 'none' });
    expect(subtotalShown({}, 'total')).toEqual({ kind: 'none' });
  });

  it('shows a real zero as a sum: a frame scored 0 is not an unscored one', () => {
    expect(subtotalShown({ culture: 0 }, 'inner')).toEqual({ kind: 'sum', sum: 0, max: 15 });
    expect(subtotalShown({ culture: 0 }, 'outer')).toEqual({ kind: 'none' });
    expect(subtotalShown({ culture: 2, customers: 3 }, 'total')).toEqual({ kind: 'sum', sum: 5, max: 30 });
  });

  it('marks a frame whose only scores are hidden from this viewer (✓), in that frame and the total only', () => {
    const hidden = new Set(['brand'] as const);
    expect(subtotalShown({}, 'outer', hidden)).toEqual({ kind: 'hidden' });
    expect(subtotalShown({}, 'total', hidden)).toEqual({ kind: 'hidden' });
    expect(subtotalShown({}, 'inner', hidden)).toEqual({ kind: 'none' });
    // What is visible is summed; the hidden part does not turn it into ✓.
    expect(subtotalShown({ customers: 1 }, 'outer', hidden)).toEqual({ kind: 'sum', sum: 1, max: 15 });
  });
});

describe('subtotals', () => {
  it('has the right maxima for each group whatever is scored', () => {
    const { inner, outer, total } = subtotals({});
    expect(inner).toEqual({ sum: 0, scored: 0, max: elementsInFrame('inner').length * 3 });
    expect(outer).toEqual({ sum: 0, scored: 0, max: elementsInFrame('outer').length * 3 });
    expect(inner.max).toBe(15);
    expect(outer.max).toBe(15);
    expect(total.max).toBe(ELEMENT_IDS.length * 3);
    expect(total.max).toBe(30);
  });

  it('sums 内枠, 外枠 and total (理念 belongs to the inner frame)', () => {
    const scores: CompanyScores = { philosophy: 3, culture: 2, people: 1, customers: 3, brand: 0, data: 2 };
    const s = subtotals(scores);
    expect(s.inner).toEqual({ sum: 6, scored: 3, max: 15 });
    expect(s.outer).toEqual({ sum: 5, scored: 3, max: 15 });
    expect(s.total).toEqual({ sum: 11, scored: 6, max: 30 });
  });

  it('counts a 0 as scored but an unscored element not at all', () => {
    const zero = subtotals({ culture: 0 });
    const none = subtotals({});
    expect(zero.inner.sum).toBe(none.inner.sum);
    expect(zero.inner.scored).toBe(1);
    expect(none.inner.scored).toBe(0);
    expect(zero.total.scored).toBe(1);
  });

  it('reaches the maximum when every element is 3', () => {
    const all = Object.fromEntries(ELEMENT_IDS.map((id) => [id, 3])) as CompanyScores;
    const s = subtotals(all);
    expect(s.inner.sum).toBe(s.inner.max);
    expect(s.outer.sum).toBe(s.outer.max);
    expect(s.total).toEqual({ sum: 30, scored: 10, max: 30 });
  });
});

describe('strongestAndWeakest', () => {
  it('names the highest and lowest elements', () => {
    expect(strongestAndWeakest({ culture: 3, brand: 1, data: 2 })).toEqual({ strongest: ['culture'], weakest: ['brand'] });
  });

  it('returns every tie, in diagram order', () => {
    const result = strongestAndWeakest({ data: 3, philosophy: 3, pr: 0, people: 0, brand: 2 });
    expect(result.strongest).toEqual(['philosophy', 'data']);
    expect(result.weakest).toEqual(['people', 'pr']);
  });

  it('treats 0 as a real score, not as missing', () => {
    expect(strongestAndWeakest({ culture: 0, brand: 1 })).toEqual({ strongest: ['brand'], weakest: ['culture'] });
  });

  it('is empty with fewer than two scored elements', () => {
    expect(strongestAndWeakest({})).toEqual({ strongest: [], weakest: [] });
    expect(strongestAndWeakest({ customers: 3 })).toEqual({ strongest: [], weakest: [] });
  });

  it('is empty when every scored element is equal', () => {
    expect(strongestAndWeakest({ culture: 2, brand: 2, data: 2 })).toEqual({ strongest: [], weakest: [] });
  });
});

describe('gapsByElement', () => {
  it('has an entry for every element', () => {
    expect(Object.keys(gapsByElement([])).sort()).toEqual([...ELEMENT_IDS].sort());
  });

  it('is null where fewer than two companies scored the element', () => {
    const gaps = gapsByElement([{ culture: 3, brand: 1 }, { culture: 1 }, {}]);
    expect(gaps.brand).toBeNull();
    expect(gaps.data).toBeNull();
    expect(gaps.culture).toBe(2);
  });

  it('is the spread between the highest and lowest scorer, 0 when they agree', () => {
    const gaps = gapsByElement([{ customers: 0, pr: 2 }, { customers: 3, pr: 2 }, { customers: 1 }]);
    expect(gaps.customers).toBe(3);
    expect(gaps.pr).toBe(0);
  });

  it('counts a 0 as a scorer (0 vs unscored)', () => {
    expect(gapsByElement([{ people: 0 }, { people: 2 }]).people).toBe(2);
    expect(gapsByElement([{ people: 0 }, {}]).people).toBeNull();
  });
});

describe('isScoreValue', () => {
  it('accepts exactly 0–3', () => {
    for (const v of [0, 1, 2, 3]) expect(isScoreValue(v)).toBe(true);
    for (const v of [-1, 4, 7, 1.5, '3', null, undefined]) expect(isScoreValue(v)).toBe(false);
  });
});

describe('chartSeries', () => {
  it('keeps unscored elements as gaps (null), in diagram order, and 0 as 0', () => {
    const series = chartSeries({ [ELEMENTS[0]!.id]: 0, [ELEMENTS[2]!.id]: 3 });
    expect(series).toHaveLength(ELEMENTS.length);
    expect(series[0]).toBe(0);
    expect(series[1]).toBeNull();
    expect(series[2]).toBe(3);
    expect(series.filter((v) => v === null)).toHaveLength(ELEMENTS.length - 2);
  });
});
