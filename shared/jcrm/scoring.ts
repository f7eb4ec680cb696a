// Self-assessment scores per concept-diagram element on a 0–3 scale: our adaptation of a
// consultant's published CRM practice assessment, which scores questions (not the association's).
// Pure functions for the comparison view: subtotals, strongest/weakest elements, gaps.
import { ELEMENTS, type ElementId, type Frame } from './elements.ts';

export const SCORE_VALUES = [0, 1, 2, 3] as const;
export type ScoreValue = (typeof SCORE_VALUES)[number];
export const MAX_SCORE = 3;

export const SCORE_MEANINGS: Record<ScoreValue, { ja: string; en: string }> = {
  3: { ja: '完全に達成している', en: 'Fully achieved' },
  2: { ja: '部分的に達成している', en: 'Partly achieved' },
  1: { ja: 'ほとんど達成していない', en: 'Hardly achieved' },
  0: { ja: '全く達成していない', en: 'Not achieved at all' },
};

export function isScoreValue(value: unknown): value is ScoreValue {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

/** One company's scores; a missing element is unscored (distinct from 0). */
export type CompanyScores = Partial<Record<ElementId, ScoreValue>>;

export interface Subtotal {
  /** Sum of the scored elements. */
  sum: number;
  /** How many elements of this group are scored. */
  scored: number;
  /** Highest possible sum for the whole group (every element scored 3). */
  max: number;
}

export interface Subtotals {
  /** 内枠: what a company should have (理念 and the four around it). */
  inner: Subtotal;
  /** 外枠: how it carries out CRM (the five outer elements). */
  outer: Subtotal;
  /** Both frames. */
  total: Subtotal;
}

export function subtotals(scores: CompanyScores): Subtotals {
  const group = (frames: Frame[]): Subtotal => {
    const elements = ELEMENTS.filter((e) => frames.includes(e.frame));
    let sum = 0;
    let scored = 0;
    for (const e of elements) {
      const value = scores[e.id];
      if (value !== undefined) {
        sum += value;
        scored++;
      }
    }
    return { sum, scored, max: elements.length * MAX_SCORE };
  };
  return { inner: group(['inner']), outer: group(['outer']), total: group(['inner', 'outer']) };
}

export type SubtotalGroup = keyof Subtotals;

/**
 * What a subtotal cell shows, the same on the board's comparison and in the plenary: the sum of
 * the scored elements out of the group's maximum; 'hidden' when none is visible but some element
 * of the group is scored and withheld from this viewer (✓); 'none' when nothing of the group is
 * scored yet ("–": "0/15" would read as a real score of zero).
 */
export type SubtotalShown = { kind: 'sum'; sum: number; max: number } | { kind: 'hidden' } | { kind: 'none' };

export function subtotalShown(scores: CompanyScores, group: SubtotalGroup, hidden: ReadonlySet<ElementId> = new Set()): SubtotalShown {
  const part = subtotals(scores)[group];
  if (part.scored > 0) return { kind: 'sum', sum: part.sum, max: part.max };
  const withheld = ELEMENTS.some((e) => hidden.has(e.id) && (group === 'total' || e.frame === group));
  return withheld ? { kind: 'hidden' } : { kind: 'none' };
}

/**
 * The company's highest- and lowest-scored elements (all ties). Empty when fewer than two
 * elements are scored or every scored element has the same value: nothing stands out then.
 */
export function strongestAndWeakest(scores: CompanyScores): { strongest: ElementId[]; weakest: ElementId[] } {
  const scored = ELEMENTS.filter((e) => scores[e.id] !== undefined).map((e) => ({ id: e.id, value: scores[e.id]! }));
  if (scored.length < 2) return { strongest: [], weakest: [] };
  const values = scored.map((s) => s.value);
  const high = Math.max(...values);
  const low = Math.min(...values);
  if (high === low) return { strongest: [], weakest: [] };
  return {
    strongest: scored.filter((s) => s.value === high).map((s) => s.id),
    weakest: scored.filter((s) => s.value === low).map((s) => s.id),
  };
}

/**
 * Per element, the spread between the companies that scored it (max − min); null when fewer than
 * two of them have scored it, since there is nothing to compare yet.
 */
export function gapsByElement(companies: CompanyScores[]): Record<ElementId, number | null> {
  const result = {} as Record<ElementId, number | null>;
  for (const e of ELEMENTS) {
    const values = companies.map((c) => c[e.id]).filter((v): v is ScoreValue => v !== undefined);
    result[e.id] = values.length < 2 ? null : Math.max(...values) - Math.min(...values);
  }
  return result;
}

/**
 * A company's scores in diagram order for a chart: an unscored element is null (a gap in the
 * line), never 0, which would read as "scored 0 (not done at all)".
 */
export function chartSeries(scores: CompanyScores): Array<ScoreValue | null> {
  return ELEMENTS.map((element) => scores[element.id] ?? null);
}
