import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SORT,
  NO_FILTER,
  columnValue,
  filterCards,
  groupByElement,
  nextSort,
  roomOfCard,
  scoredColumns,
  sortRows,
  type PlenaryCardLike,
} from '../../../shared/meetup/plenary.ts';
import { ELEMENT_IDS, type ElementId } from '../../../shared/jcrm/elements.ts';

const rows = [
  { name: 'Acme', scores: { customers: 2, brand: 1 } },
  { name: 'Beta', scores: { customers: 3, culture: 3 } },
  { name: 'Cora', scores: {} }, // hidden from this viewer, or not scored yet
  { name: 'Dana', scores: { customers: 2, data: 0 } },
] as const;

const names = (list: ReadonlyArray<{ name: string }>) => list.map((r) => r.name);

describe('sorting companies', () => {
  it('orders by one element, high to low, unknown values last, ties in the given order', () => {
    expect(names(sortRows(rows, { key: 'customers', dir: 'desc' }))).toEqual(['Beta', 'Acme', 'Dana', 'Cora']);
    expect(names(sortRows(rows, { key: 'customers', dir: 'asc' }))).toEqual(['Acme', 'Dana', 'Beta', 'Cora']);
    expect(names(sortRows(rows, { key: 'data', dir: 'desc' }))).toEqual(['Dana', 'Acme', 'Beta', 'Cora']);
  });

  it('orders by subtotals of what is scored', () => {
    expect(columnValue(rows[1].scores, 'total')).toBe(6);
    expect(columnValue(rows[1].scores, 'inner')).toBe(3);
    expect(columnValue(rows[0].scores, 'inner')).toBeNull();
    expect(columnValue(rows[2].scores, 'total')).toBeNull();
    expect(names(sortRows(rows, DEFAULT_SORT))).toEqual(['Beta', 'Acme', 'Dana', 'Cora']);
    expect(names(sortRows(rows, { key: 'outer', dir: 'asc' }))).toEqual(['Dana', 'Acme', 'Beta', 'Cora']);
  });

  it('orders by name', () => {
    const mixed = [{ name: 'みどり本舗', scores: {} }, { name: 'Acme', scores: {} }, { name: 'あおぞら', scores: {} }];
    expect(names(sortRows(mixed, { key: 'name', dir: 'asc' }))).toEqual(['Acme', 'あおぞら', 'みどり本舗']);
    expect(names(sortRows(mixed, { key: 'name', dir: 'desc' }))).toEqual(['みどり本舗', 'あおぞら', 'Acme']);
  });

  it('does not change the rows it is given', () => {
    const copy = [...rows];
    sortRows(copy, { key: 'customers', dir: 'asc' });
    expect(names(copy)).toEqual(['Acme', 'Beta', 'Cora', 'Dana']);
  });

  it('clicking a header flips the same column and starts another high to low', () => {
    expect(nextSort({ key: 'total', dir: 'desc' }, 'total')).toEqual({ key: 'total', dir: 'asc' });
    expect(nextSort({ key: 'total', dir: 'asc' }, 'total')).toEqual({ key: 'total', dir: 'desc' });
    expect(nextSort({ key: 'total', dir: 'asc' }, 'brand')).toEqual({ key: 'brand', dir: 'desc' });
    expect(nextSort({ key: 'brand', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
  });
});

const ROOM_A = '11111111-1111-4111-8111-111111111111';
const ROOM_B = '22222222-2222-4222-8222-222222222222';

function card(id: string, element: ElementId, roomId: string | null, eventCompanyId: string | null, reactions = 0, createdAt: number | null = 0): PlenaryCardLike & { id: string } {
  return { id, element, roomId, eventCompanyId, reactions: Array.from({ length: reactions }, (_, i) => `u${i}`), createdAt };
}

describe('the columns a phone shows', () => {
  const none = new Set<ElementId>();
  it('keeps the elements some company scored, a hidden score (✓) included, in the given order', () => {
    const order: ElementId[] = ['data', ...ELEMENT_IDS.filter((e) => e !== 'data')];
    const scored = scoredColumns(
      [
        { scores: { customers: 2, data: 0 }, hidden: none },
        { scores: {}, hidden: new Set<ElementId>(['pr']) },
        { scores: { brand: 1 }, hidden: none },
      ],
      order,
    );
    expect(scored).toEqual(['data', 'customers', 'brand', 'pr']);
  });

  it('is empty while nothing is scored', () => {
    expect(scoredColumns([{ scores: {}, hidden: none }], ELEMENT_IDS)).toEqual([]);
  });
});

describe('cards of all rooms', () => {
  const cards = [
    card('a1', 'customers', ROOM_A, 'acme', 1, 10),
    card('a2', 'customers', ROOM_A, 'acme', 3, 20),
    card('b1', 'brand', ROOM_B, 'beta', 0, 5),
    card('b2', 'customers', ROOM_B, 'beta', 1, 5),
    card('f1', 'data', ROOM_B, null, 0, 30),
    card('p1', 'customers', ROOM_A, 'acme', 1, null),
  ];

  it('groups every element in diagram order, most 共感 first, then oldest first, unrecorded last', () => {
    const groups = groupByElement(cards);
    expect(groups.map((g) => g.element)).toEqual([...ELEMENT_IDS]);
    expect(groups.find((g) => g.element === 'customers')!.cards.map((c) => c.id)).toEqual(['a2', 'b2', 'a1', 'p1']);
    expect(groups.find((g) => g.element === 'philosophy')!.cards).toEqual([]);
    expect(groups.flatMap((g) => g.cards)).toHaveLength(cards.length);
  });

  it('filters by room, by company, or both', () => {
    expect(filterCards(cards, NO_FILTER)).toHaveLength(6);
    expect(filterCards(cards, { roomId: ROOM_B, eventCompanyId: null }).map((c) => c.id)).toEqual(['b1', 'b2', 'f1']);
    expect(filterCards(cards, { roomId: null, eventCompanyId: 'acme' }).map((c) => c.id)).toEqual(['a1', 'a2', 'p1']);
    expect(filterCards(cards, { roomId: ROOM_B, eventCompanyId: 'acme' })).toEqual([]);
  });

  it('places a company card in its company’s room and a facilitators’ card in its document’s room', () => {
    const seats: Record<string, string | null> = { acme: ROOM_A, lone: null };
    const seat = (id: string) => seats[id] ?? null;
    expect(roomOfCard('sheet:33333333-3333-4333-8333-333333333333', 'acme', seat)).toBe(ROOM_A);
    expect(roomOfCard('sheet:33333333-3333-4333-8333-333333333333', 'lone', seat)).toBeNull();
    expect(roomOfCard(`room:${ROOM_B}`, null, seat)).toBe(ROOM_B);
    expect(roomOfCard('nonsense', null, seat)).toBeNull();
  });
});
