// A themed session (an オンライン交流会 covering only 顧客 and データ): the covered elements first,
// and a subtotal over them, so 「合計 1/30」 is not read as a bad result.
import { describe, expect, it } from 'vitest';
import { ELEMENTS, type ElementId } from '../../../shared/jcrm/elements.ts';
import { isThemed, sortByTheme, themeElements, themeOrder, themeSubtotalShown, themeSubtotalText } from '../../../shared/jcrm/theme.ts';
import { subtotals } from '../../../shared/jcrm/scoring.ts';

const THEME: ElementId[] = ['data', 'customers'];

describe('the theme of a session', () => {
  it('is the covered elements in diagram order; none chosen or all chosen is no theme', () => {
    expect(themeElements(THEME)).toEqual(['customers', 'data']);
    expect(themeElements([])).toEqual([]);
    expect(themeElements(undefined)).toEqual([]);
    expect(themeElements(ELEMENTS.map((e) => e.id))).toEqual([]);
    expect(isThemed(THEME)).toBe(true);
    expect(isThemed([])).toBe(false);
  });

  it('puts the covered elements first and marks the others (diagram order without a theme)', () => {
    const order = themeOrder(THEME);
    expect(order.map((o) => o.element.id)).toEqual(['customers', 'data', 'philosophy', 'culture', 'consideration', 'people', 'uniqueness', 'brand', 'products', 'pr']);
    expect(order.filter((o) => o.inTheme).map((o) => o.element.id)).toEqual(['customers', 'data']);
    expect(themeOrder([]).map((o) => o.element.id)).toEqual(ELEMENTS.map((e) => e.id));
    expect(themeOrder([]).every((o) => o.inTheme)).toBe(true);
    expect(sortByTheme([{ e: 'philosophy' as ElementId }, { e: 'data' as ElementId }, { e: 'brand' as ElementId }], (x) => x.e, THEME).map((x) => x.e)).toEqual(['data', 'philosophy', 'brand']);
  });

  it('sums the covered elements out of 3 each: 顧客 1 + データ 3 = 4/6 (外枠 shows 4/15, 合計 4/30)', () => {
    const scores = { customers: 1, data: 3 } as const;
    expect(themeSubtotalShown(scores, THEME)).toEqual({ kind: 'sum', sum: 4, max: 6 });
    expect(themeSubtotalText(scores, THEME)).toBe('4/6');
    // The method's own subtotals stay as they are.
    expect(subtotals(scores).outer).toMatchObject({ sum: 4, max: 15 });
    expect(subtotals(scores).total).toMatchObject({ sum: 4, max: 30 });
  });

  it('is – when nothing covered is scored (scores elsewhere do not count), ✓ when only withheld, null without a theme', () => {
    expect(themeSubtotalShown({ philosophy: 3 }, THEME)).toEqual({ kind: 'none' });
    expect(themeSubtotalText({ philosophy: 3 }, THEME)).toBe('–');
    expect(themeSubtotalShown({}, THEME, new Set<ElementId>(['data']))).toEqual({ kind: 'hidden' });
    expect(themeSubtotalShown({ customers: 2 }, [])).toBeNull();
    expect(themeSubtotalText({ customers: 2 }, [])).toBeNull();
  });
});
