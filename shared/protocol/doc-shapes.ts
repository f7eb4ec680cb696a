// The shapes of Kizuki's Yjs documents. Only root-level types are used for shared structure:
// two clients creating the same nested type concurrently would make one of them lose its edits,
// while root types (doc.getX(name)) always merge.
import * as Y from 'yjs';
import type { ElementId } from '../jcrm/elements.ts';

/** sheet:<eventCompanyId> — one company's worksheet in one event. */
export const SheetRoot = {
  /** The company's 理念 text. */
  philosophy: 'philosophy',
  /** Per element: things already done, as Y.Map items { id, text: Y.Text, frequency: Y.Text }. */
  doing: (element: ElementId) => `doing:${element}`,
  /** Per element: things not done yet, as Y.Map items { id, text: Y.Text }. */
  notYet: (element: ElementId) => `notYet:${element}`,
  memo: (element: ElementId) => `memo:${element}`,
  /** "<element>:<targetIndex>" → the company's actual value (number) for that target figure. */
  actuals: 'actuals',
} as const;

/** room:<roomId> — a breakout room's board. */
export const RoomRoot = {
  /** cardId → Y.Map of a 気付き card (see CardFields). */
  cards: 'cards',
} as const;

export interface CardFields {
  id: string;
  element: ElementId;
  authorId: string;
  authorName: string;
  eventCompanyId: string | null;
  companyName: string;
  createdAt: number;
  updatedAt: number;
}

export function sheetPhilosophy(doc: Y.Doc): Y.Text {
  return doc.getText(SheetRoot.philosophy);
}

export function sheetDoing(doc: Y.Doc, element: ElementId): Y.Array<Y.Map<unknown>> {
  return doc.getArray(SheetRoot.doing(element));
}

export function sheetNotYet(doc: Y.Doc, element: ElementId): Y.Array<Y.Map<unknown>> {
  return doc.getArray(SheetRoot.notYet(element));
}

export function sheetMemo(doc: Y.Doc, element: ElementId): Y.Text {
  return doc.getText(SheetRoot.memo(element));
}

export function sheetActuals(doc: Y.Doc): Y.Map<number | null> {
  return doc.getMap(SheetRoot.actuals);
}

export function actualKey(element: ElementId, targetIndex: number): string {
  return `${element}:${targetIndex}`;
}

export function roomCards(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(RoomRoot.cards);
}

/** Builds a worksheet list item; its text fields are Y.Text so two people can type at once. */
export function newListItem(id: string, text: string, frequency?: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set('id', id);
  item.set('text', new Y.Text(text));
  if (frequency !== undefined) item.set('frequency', new Y.Text(frequency));
  return item;
}

/** Builds a 気付き card for the room board (set it into roomCards(doc) under card.id). */
export function newCard(fields: CardFields & { text: string }): Y.Map<unknown> {
  const card = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) card.set(key, value);
  // userId → true for each 共感 reaction; one entry per person.
  card.set('reactions', new Y.Map<boolean>());
  return card;
}
