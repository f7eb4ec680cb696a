// Totals of one filled assessment, its weakest spots, and the trend across a company's
// assessments. A question without a settled answer is unanswered (distinct from 0): a partly
// answered assessment shows both what its answers reach out of the questions answered so far and
// out of the template's full maximum.
import type { ScoreValue } from '../jcrm/scoring.ts';
import { pointsFor, type AssessmentTemplateBody } from './template.ts';

/** The company's settled answer per question id (one of the four meanings, 0–3). */
export type AssessmentAnswers = Partial<Record<string, ScoreValue>>;

export interface Tally {
  /** Points earned by the answered questions. */
  points: number;
  /** Full maximum: every question of the group at its full points. */
  max: number;
  /** Maximum of just the answered questions (what `points` is out of so far). */
  answeredMax: number;
  answered: number;
  questions: number;
}

export interface CategoryResult extends Tally {
  id: string;
  title: string;
}

export interface AssessmentResult {
  categories: CategoryResult[];
  total: Tally;
}

const emptyTally = (): Tally => ({ points: 0, max: 0, answeredMax: 0, answered: 0, questions: 0 });

export function scoreAssessment(template: AssessmentTemplateBody, answers: AssessmentAnswers): AssessmentResult {
  const total = emptyTally();
  const categories = template.categories.map((category) => {
    const tally = emptyTally();
    for (const question of category.questions) {
      tally.questions++;
      tally.max += question.maxPoints;
      const value = answers[question.id];
      if (value === undefined) continue;
      tally.answered++;
      tally.answeredMax += question.maxPoints;
      tally.points += pointsFor(question, value);
    }
    for (const key of Object.keys(tally) as (keyof Tally)[]) total[key] += tally[key];
    return { id: category.id, title: category.title, ...tally };
  });
  return { categories, total };
}

export interface WeakQuestion {
  categoryId: string;
  questionId: string;
  text: string;
  value: ScoreValue;
}

/**
 * Where to work next. Weakest categories: the answered ones with the lowest share of their
 * answered maximum (all ties), unless every answered category is at that same share (nothing
 * stands out) — or all are full. Weakest questions: the answered ones with the lowest answer
 * (all ties), unless that answer is 完全に達成している.
 */
export function weakest(template: AssessmentTemplateBody, answers: AssessmentAnswers): { categories: string[]; questions: WeakQuestion[] } {
  const result = scoreAssessment(template, answers);
  const shares = result.categories.filter((c) => c.answered > 0).map((c) => ({ id: c.id, share: c.points / c.answeredMax }));
  let categories: string[] = [];
  if (shares.length > 0) {
    const low = Math.min(...shares.map((s) => s.share));
    const high = Math.max(...shares.map((s) => s.share));
    if (low < 1 && (low < high || shares.length === 1)) categories = shares.filter((s) => s.share === low).map((s) => s.id);
  }
  const answered: WeakQuestion[] = [];
  for (const category of template.categories) {
    for (const question of category.questions) {
      const value = answers[question.id];
      if (value !== undefined) answered.push({ categoryId: category.id, questionId: question.id, text: question.text, value });
    }
  }
  const lowest = Math.min(...answered.map((q) => q.value));
  const questions = lowest < 3 ? answered.filter((q) => q.value === lowest) : [];
  return { categories, questions };
}

export interface TrendInput {
  id: string;
  /** ISO time the assessment was made; the trend is in this order. */
  at: string;
  template: AssessmentTemplateBody;
  answers: AssessmentAnswers;
}

export interface TrendPoint {
  id: string;
  at: string;
  total: Tally;
  /** Per category id (a category the template of this assessment lacks is absent). */
  categories: Record<string, Tally>;
  /**
   * Change in points since the previous assessment, per category id and for the total; null when
   * there is nothing fair to compare: no previous assessment, a different maximum (the template
   * changed), or either of the two not fully answered there.
   */
  change: { total: number | null; categories: Record<string, number | null> };
}

export function trend(assessments: TrendInput[]): TrendPoint[] {
  const ordered = [...assessments].sort((a, b) => a.at.localeCompare(b.at));
  const points: TrendPoint[] = [];
  for (const a of ordered) {
    const result = scoreAssessment(a.template, a.answers);
    const categories = Object.fromEntries(result.categories.map((c) => [c.id, tallyOnly(c)]));
    const previous = points.at(-1);
    const change = {
      total: previous ? difference(previous.total, result.total) : null,
      categories: Object.fromEntries(result.categories.map((c) => [c.id, previous?.categories[c.id] ? difference(previous.categories[c.id]!, c) : null])),
    };
    points.push({ id: a.id, at: a.at, total: result.total, categories, change });
  }
  return points;
}

function tallyOnly({ points, max, answeredMax, answered, questions }: Tally): Tally {
  return { points, max, answeredMax, answered, questions };
}

function difference(before: Tally, after: Tally): number | null {
  const complete = (t: Tally) => t.questions > 0 && t.answered === t.questions;
  if (before.max !== after.max || !complete(before) || !complete(after)) return null;
  return after.points - before.points;
}
