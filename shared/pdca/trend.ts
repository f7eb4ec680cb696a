// A company's element scores over the sessions of a series (PDCA: score, act, check again): each
// element's score per session in order, the change since the previous scored session, and the
// weakest elements of the latest session.
import { ELEMENT_IDS, type ElementId } from '../jcrm/elements.ts';

export interface TrendSession {
  eventId: string;
  title: string;
  date: string;
  /** element → score 0–3 in that session (absent: not scored). */
  scores: Partial<Record<ElementId, number>>;
}

export interface ElementTrend {
  element: ElementId;
  /** One per session, in session order; null = not scored that time. */
  values: Array<number | null>;
  /** Latest score minus the score before it (both scored), or null. */
  change: number | null;
}

export interface Trend {
  sessions: Array<Pick<TrendSession, 'eventId' | 'title' | 'date'>>;
  elements: ElementTrend[];
  /** Elements with the lowest latest score (ties all listed); empty unless some score is lower than another. */
  weakest: ElementId[];
}

export function computeTrend(input: TrendSession[]): Trend {
  const sessions = [...input].sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? -1 : 1));
  const elements = ELEMENT_IDS.map((element): ElementTrend => {
    const values = sessions.map((s) => s.scores[element] ?? null);
    const scored = values.filter((v): v is number => v !== null);
    const change = scored.length >= 2 ? scored[scored.length - 1]! - scored[scored.length - 2]! : null;
    return { element, values, change };
  });
  const latest = elements.map((e) => ({ element: e.element, value: [...e.values].reverse().find((v) => v !== null) ?? null }));
  const scoredLatest = latest.filter((l): l is { element: ElementId; value: number } => l.value !== null);
  const min = Math.min(...scoredLatest.map((l) => l.value));
  const max = Math.max(...scoredLatest.map((l) => l.value));
  return {
    sessions: sessions.map(({ eventId, title, date }) => ({ eventId, title, date })),
    elements,
    // Only where something is weaker than something else (one element, or all equal: none).
    weakest: scoredLatest.length < 2 || min === max ? [] : scoredLatest.filter((l) => l.value === min).map((l) => l.element),
  };
}

export interface PreviousScores {
  title: string;
  date: string;
  /** element → the score given in that session (absent: not scored then). */
  scores: Partial<Record<ElementId, number>>;
}

/**
 * What the company scored in the session of the series just before `eventId` (the PDCA "check"
 * while scoring again), or null when `eventId` is the company's first session of the trend.
 */
export function previousScores(trend: Trend, eventId: string): PreviousScores | null {
  const index = trend.sessions.findIndex((s) => s.eventId === eventId);
  if (index < 1) return null;
  const before = trend.sessions[index - 1]!;
  const scores: Partial<Record<ElementId, number>> = {};
  for (const e of trend.elements) {
    const value = e.values[index - 1];
    if (value !== null && value !== undefined) scores[e.element] = value;
  }
  return { title: before.title, date: before.date, scores };
}
