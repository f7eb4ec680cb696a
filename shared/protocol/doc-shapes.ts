// The shapes of Kizuki's Yjs documents. Only root-level types are used for shared structure:
// two clients creating the same nested type concurrently would make one of them lose its edits,
// while root types (doc.getX(name)) always merge.
import * as Y from 'yjs';
import { isElementId, type ElementId } from '../jcrm/elements.ts';

// Every document has exactly one writing party: a company (its sheet) or the event's facilitators
// (a room document). Who wrote a card and when is never stored here: the server records it from
// the connection that sent the update (see CardMeta in control-events.ts).

/** sheet:<eventCompanyId> — one company's worksheet and the 気付き cards its members post. */
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
  /** cardId → Y.Map { element, text } of a 気付き card the company posted. */
  cards: 'cards',
  /**
   * element → a fingerprint of what 前回から引き継ぎ copied into it (written with the copy), so
   * progress can tell this session's entries from carried ones left as they were.
   */
  carried: 'carried',
} as const;

/** room:<roomId> — the facilitators' document for a breakout room (written by facilitators only). */
export const RoomRoot = {
  /** cardId → Y.Map { element, text } of a 気付き card a facilitator posted. */
  cards: 'cards',
} as const;

/** What a card's own document holds (written by its party). */
export interface CardContent {
  element: ElementId;
  text: string;
}

/** Card ids are client-made UUIDs; anything else is still shown, as unreadable. */
export const MAX_CARD_ID_LENGTH = 64;
export const MAX_CARD_TEXT_LENGTH = 2000;

/**
 * A card's text as posted: trimmed and within the limit (counted in UTF-16 units, as readCard
 * checks it), never cut between the halves of an emoji (a lone surrogate shows as a broken character).
 */
export function cardBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_CARD_TEXT_LENGTH) return trimmed;
  const cut = trimmed.slice(0, MAX_CARD_TEXT_LENGTH);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * What a card id may be, for the socket.io schema (whose patterns use the u flag, and whose
 * maxLength counts code points like this does) and for the server recording cards from documents.
 * No control characters: PostgreSQL text cannot hold NUL. No lone surrogates: they would be stored
 * as U+FFFD, naming a different card.
 */
export const CARD_ID_PATTERN = `^[^\\p{Cc}\\p{Cs}]{1,${MAX_CARD_ID_LENGTH}}$`;
const cardIdRegExp = new RegExp(CARD_ID_PATTERN, 'u');

export function isValidCardId(id: unknown): id is string {
  return typeof id === 'string' && cardIdRegExp.test(id);
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

export function sheetCarried(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SheetRoot.carried);
}

export function actualKey(element: ElementId, targetIndex: number): string {
  return `${element}:${targetIndex}`;
}

/** The cards of a sheet or room document (both use the same root). */
export function docCards(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SheetRoot.cards);
}

/**
 * Reads one card entry defensively: a document is written by clients, so an entry may be of any
 * shape. Null when it is not a readable card (shown as "unreadable", never breaking a list).
 */
export function readCard(value: unknown): CardContent | null {
  if (!(value instanceof Y.Map)) return null;
  const element = value.get('element');
  const text = value.get('text');
  if (!isElementId(element) || typeof text !== 'string' || text.length > MAX_CARD_TEXT_LENGTH) return null;
  return { element, text };
}

/** The element a card entry claims, if it is a valid one (to place an unreadable card). */
export function cardElement(value: unknown): ElementId | null {
  if (!(value instanceof Y.Map)) return null;
  const element = value.get('element');
  return isElementId(element) ? element : null;
}

/** A worksheet line read as plain text (for copies, reports and exports). */
export interface ListLine {
  text: string;
  /** 頻度 of a 取り組んでいること line; '' when not given (and for まだ取り組んでいないこと). */
  frequency: string;
}

const plainText = (value: unknown): string | null => (value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : null);

/**
 * The lines of one list of a worksheet, read defensively (clients write these documents): entries
 * that are not items, or whose text is missing or blank, are left out.
 */
export function readListLines(doc: Y.Doc, kind: 'doing' | 'notYet', element: ElementId): ListLine[] {
  const list = kind === 'doing' ? sheetDoing(doc, element) : sheetNotYet(doc, element);
  const lines: ListLine[] = [];
  for (const entry of list.toArray() as unknown[]) {
    if (!(entry instanceof Y.Map)) continue;
    const text = plainText(entry.get('text'));
    if (text === null || text.trim() === '') continue;
    lines.push({ text, frequency: kind === 'doing' ? (plainText(entry.get('frequency')) ?? '') : '' });
  }
  return lines;
}

/** Builds a worksheet list item; its text fields are Y.Text so two people can type at once. */
export function newListItem(id: string, text: string, frequency?: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set('id', id);
  item.set('text', new Y.Text(text));
  if (frequency !== undefined) item.set('frequency', new Y.Text(frequency));
  return item;
}

/** Builds a 気付き card (set it into docCards(doc) under a new UUID). */
export function newCard(content: CardContent): Y.Map<unknown> {
  const card = new Y.Map<unknown>();
  card.set('element', content.element);
  card.set('text', content.text);
  return card;
}
