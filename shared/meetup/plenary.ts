// The plenary (全体共有) view's pure logic: every company's scores ordered by a chosen column,
// and the 気付き of every room filtered by room / company and grouped by element.
import { ELEMENTS, type ElementId } from '../jcrm/elements.ts';
import { subtotalShown, type CompanyScores } from '../jcrm/scoring.ts';
import { parseDocName } from '../protocol/doc-names.ts';

export type SubtotalColumn = 'inner' | 'outer' | 'total';
export type ScoreColumn = ElementId | SubtotalColumn;
export type SortKey = ScoreColumn | 'name';
export type SortDir = 'asc' | 'desc';

export interface SortOrder {
  key: SortKey;
  dir: SortDir;
}

export const DEFAULT_SORT: SortOrder = { key: 'total', dir: 'desc' };

export const SUBTOTAL_COLUMNS: readonly SubtotalColumn[] = ['inner', 'outer', 'total'];

/** Clicking a header: the same column flips direction; another starts high-to-low (names A→Z). */
export function nextSort(current: SortOrder, key: SortKey): SortOrder {
  if (current.key === key) return { key, dir: current.dir === 'desc' ? 'asc' : 'desc' };
  return { key, dir: key === 'name' ? 'asc' : 'desc' };
}

/** A company's value in a column: the score, or the subtotal of what is scored; null = nothing known. */
export function columnValue(scores: CompanyScores, column: ScoreColumn): number | null {
  if (column === 'inner' || column === 'outer' || column === 'total') {
    const shown = subtotalShown(scores, column);
    return shown.kind === 'sum' ? shown.sum : null;
  }
  return scores[column] ?? null;
}

export interface SortableRow {
  name: string;
  /** The values this viewer may see (hidden ones are absent). */
  scores: CompanyScores;
}

/**
 * Rows ordered by a column. Companies without a known value there (unscored, or hidden from this
 * viewer) come last in either direction, so flipping never puts "–" and "✓" on top; ties keep
 * the given order.
 */
export function sortRows<T extends SortableRow>(rows: readonly T[], order: SortOrder, locale = 'ja'): T[] {
  const sign = order.dir === 'asc' ? 1 : -1;
  if (order.key === 'name') {
    const key = order.key;
    return [...rows].sort((a, b) => sign * a[key].localeCompare(b[key], locale));
  }
  const column = order.key;
  return [...rows].sort((a, b) => {
    const x = columnValue(a.scores, column);
    const y = columnValue(b.scores, column);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  });
}

/**
 * The elements some company has scored (a value this viewer sees, or a hidden one, shown as ✓), in
 * `order`. On a phone the plenary's table shows only these columns: with two or three elements
 * scored, the others' columns of 「–」 pushed the scored ones off-screen to the right.
 */
export function scoredColumns(rows: readonly { scores: CompanyScores; hidden: ReadonlySet<ElementId> }[], order: readonly ElementId[]): ElementId[] {
  return order.filter((element) => rows.some((row) => row.scores[element] !== undefined || row.hidden.has(element)));
}

export interface PlenaryCardLike {
  element: ElementId;
  /** The room the card was written in: its company's room, or the room of a facilitators' document. */
  roomId: string | null;
  /** The company whose document holds the card; null for facilitators' cards. */
  eventCompanyId: string | null;
  reactions: readonly string[];
  createdAt: number | null;
}

/** null = no filter. */
export interface CardFilter {
  roomId: string | null;
  eventCompanyId: string | null;
}

export const NO_FILTER: CardFilter = { roomId: null, eventCompanyId: null };

/** The room a card belongs to: a company's card sits where the company is seated now. */
export function roomOfCard(docName: string, eventCompanyId: string | null, roomOfCompany: (eventCompanyId: string) => string | null): string | null {
  if (eventCompanyId) return roomOfCompany(eventCompanyId);
  const ref = parseDocName(docName);
  return ref?.kind === 'room' ? ref.roomId : null;
}

export function filterCards<T extends PlenaryCardLike>(cards: readonly T[], filter: CardFilter): T[] {
  return cards.filter(
    (card) => (filter.roomId === null || card.roomId === filter.roomId) && (filter.eventCompanyId === null || card.eventCompanyId === filter.eventCompanyId),
  );
}

export interface ElementGroup<T> {
  element: ElementId;
  cards: T[];
}

/**
 * Every element of the diagram in its order (empty ones too: the facilitator can still spotlight
 * them), each with its cards, most 共感 first, then oldest first (unrecorded cards last).
 */
export function groupByElement<T extends PlenaryCardLike>(cards: readonly T[]): Array<ElementGroup<T>> {
  const groups = new Map<ElementId, T[]>(ELEMENTS.map((e) => [e.id, []]));
  for (const card of cards) groups.get(card.element)?.push(card);
  return ELEMENTS.map((e) => ({
    element: e.id,
    cards: groups.get(e.id)!.sort((a, b) => b.reactions.length - a.reactions.length || byTime(a.createdAt, b.createdAt)),
  }));
}

function byTime(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a - b;
}
