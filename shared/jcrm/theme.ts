// A session's theme: the elements it covers (EventDetail.coveredElements; none = all of them).
// Pure helpers shared by the board's スコア比較, the plenary and the take-home report: the covered
// elements come first, and a subtotal over just them is shown before the method's 内枠/外枠/合計,
// so a company that scored both of its session's elements does not read 「合計 1/30」 as a bad result.
import { ELEMENTS, type ElementId, type JcrmElement } from './elements.ts';
import { MAX_SCORE, type CompanyScores, type SubtotalShown } from './scoring.ts';

/**
 * The covered elements when the session covers only some of them (in diagram order, unknown and
 * repeated ids dropped); an empty list when it covers all (none chosen, or every one chosen).
 */
export function themeElements(covered: readonly ElementId[] | null | undefined): ElementId[] {
  const set = new Set(covered ?? []);
  const inTheme = ELEMENTS.filter((e) => set.has(e.id)).map((e) => e.id);
  return inTheme.length === ELEMENTS.length ? [] : inTheme;
}

/** True when the session covers only some of the elements. */
export function isThemed(covered: readonly ElementId[] | null | undefined): boolean {
  return themeElements(covered).length > 0;
}

/**
 * Every element, the covered ones first (each group in diagram order), with whether it is in the
 * theme. Without a theme: diagram order, every element in it.
 */
export function themeOrder(covered: readonly ElementId[] | null | undefined): Array<{ element: JcrmElement; inTheme: boolean }> {
  const theme = new Set(themeElements(covered));
  if (theme.size === 0) return ELEMENTS.map((element) => ({ element, inTheme: true }));
  return [...ELEMENTS.filter((e) => theme.has(e.id)), ...ELEMENTS.filter((e) => !theme.has(e.id))].map((element) => ({ element, inTheme: theme.has(element.id) }));
}

/**
 * Any list of things keyed by element, reordered the same way (covered first, stable otherwise).
 */
export function sortByTheme<T>(items: readonly T[], elementOf: (item: T) => ElementId, covered: readonly ElementId[] | null | undefined): T[] {
  const theme = new Set(themeElements(covered));
  if (theme.size === 0) return [...items];
  return [...items.filter((i) => theme.has(elementOf(i))), ...items.filter((i) => !theme.has(elementOf(i)))];
}

/**
 * The subtotal over the theme's elements, shown like the other subtotals: "sum/max" (max = 3 per
 * covered element), ✓ when only withheld scores exist, "–" when none is scored; null without a theme.
 */
export function themeSubtotalShown(
  scores: CompanyScores,
  covered: readonly ElementId[] | null | undefined,
  hidden: ReadonlySet<ElementId> = new Set(),
): SubtotalShown | null {
  const theme = themeElements(covered);
  if (theme.length === 0) return null;
  let sum = 0;
  let scored = 0;
  for (const id of theme) {
    const value = scores[id];
    if (value !== undefined) {
      sum += value;
      scored++;
    }
  }
  if (scored > 0) return { kind: 'sum', sum, max: theme.length * MAX_SCORE };
  return theme.some((id) => hidden.has(id)) ? { kind: 'hidden' } : { kind: 'none' };
}

/** The theme subtotal as text: 「4/6」, or 「–」 (nothing scored or revealed); null without a theme. */
export function themeSubtotalText(scores: CompanyScores, covered: readonly ElementId[] | null | undefined): string | null {
  const shown = themeSubtotalShown(scores, covered);
  if (!shown) return null;
  return shown.kind === 'sum' ? `${shown.sum}/${shown.max}` : '–';
}
