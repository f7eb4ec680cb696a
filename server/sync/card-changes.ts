/* eslint-disable @typescript-eslint/no-explicit-any */
// Finds which 気付き cards a completed Yjs transaction touched, so the server can record who
// wrote them (the connection's user) without trusting any field the client wrote.
import type * as Y from 'yjs';
import { cardElement, docCards, isValidCardId } from '../../shared/protocol/doc-shapes.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';

export interface TouchedCard {
  cardId: string;
  exists: boolean;
  element: ElementId | null;
}

/** At most this many cards are recorded per transaction; the rest show without an author. */
export const MAX_RECORDED_CARDS_PER_TRANSACTION = 500;

export function touchedCards(doc: Y.Doc, transaction: Y.Transaction): TouchedCard[] {
  if (transaction.changed.size === 0) return [];
  const root = docCards(doc) as unknown as Y.AbstractType<any>;
  // A root first written by an update before anyone asked for it as a map is a placeholder type;
  // getMap() replaces it with a Y.Map sharing the same entries, so compare those, not instances.
  const isRoot = (type: Y.AbstractType<any>) => type === root || type._map === root._map;
  const ids = new Set<string>();
  // Keys no card id can be (NUL, kilobytes long) are not recorded: the database refuses them, and
  // a client may write any key into its own document.
  const add = (key: string | null | undefined) => {
    if (isValidCardId(key)) ids.add(key);
  };
  for (const [type, keys] of transaction.changed) {
    if (isRoot(type)) {
      for (const key of keys) add(key);
      continue;
    }
    // A change inside a card (or deeper): walk up to the card's entry in the root map.
    let item = type._item;
    while (item && !isRoot(item.parent as Y.AbstractType<any>)) item = (item.parent as Y.AbstractType<any>)._item;
    add(item?.parentSub);
  }
  const cards = docCards(doc);
  return [...ids].slice(0, MAX_RECORDED_CARDS_PER_TRANSACTION).map((cardId) => ({
    cardId,
    exists: cards.has(cardId),
    element: cardElement(cards.get(cardId)),
  }));
}
