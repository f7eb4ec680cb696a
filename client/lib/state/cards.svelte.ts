// 気付き cards on a board: the union of the cards in each seated company's document and the
// room's facilitator document. Content (element, text) comes from those documents and is read
// defensively; author, company and time come from the server (CardMetaModel).
import type * as Y from 'yjs';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import { cardBody, cardElement, docCards, MAX_CARD_TEXT_LENGTH, newCard, readCard } from '../../../shared/protocol/doc-shapes.ts';
import { cardKey, type CardMetaModel } from './card-meta.svelte.ts';
import { randomId } from '../random-id.ts';

export const MAX_CARD_LENGTH = MAX_CARD_TEXT_LENGTH;

/** One document cards are read from. */
export interface CardSource {
  docName: string;
  doc: Y.Doc;
  /** The company owning the document; null for the facilitators' room document. */
  eventCompanyId: string | null;
  /** Read to make a derived value depend on the document's changes. */
  readonly version: number;
  /** Whether this viewer may write the document. */
  writable: boolean;
}

export interface Card {
  key: string;
  docName: string;
  id: string;
  element: ElementId;
  /** Null when the entry is not a readable card (shown as "unreadable"). */
  text: string | null;
  /** The company whose document holds the card (not a field the client wrote). */
  eventCompanyId: string | null;
  authorId: string | null;
  authorName: string | null;
  companyName: string | null;
  /** ms since epoch as recorded by the server; null until the server's record arrives. */
  createdAt: number | null;
  reactions: string[];
  writable: boolean;
}

/** Runs a deletion the user asked for (the board makes it one undo step and offers 「元に戻す」). */
export type DeletionRunner = (doc: Y.Doc, what: 'card' | 'line', remove: () => void) => void;

export class CardsModel {
  /** Set by the board; without it a deletion simply happens. */
  onDelete: DeletionRunner | null = null;

  constructor(
    private readonly sources: () => CardSource[],
    readonly meta: CardMetaModel,
  ) {}

  /** All placeable cards, oldest first (cards the server has not recorded yet last). */
  get all(): Card[] {
    const cards: Card[] = [];
    for (const source of this.sources()) {
      void source.version;
      for (const [id, value] of docCards(source.doc).entries()) {
        const content = readCard(value);
        const element = content?.element ?? cardElement(value);
        if (!element) continue; // nowhere to show it
        const meta = this.meta.get(source.docName, id);
        cards.push({
          key: cardKey(source.docName, id),
          docName: source.docName,
          id,
          element,
          text: content?.text ?? null,
          eventCompanyId: source.eventCompanyId,
          authorId: meta?.authorId ?? null,
          authorName: meta?.authorName ?? null,
          companyName: meta?.companyName ?? null,
          createdAt: meta ? Date.parse(meta.createdAt) : null,
          reactions: meta?.reactions ?? [],
          writable: source.writable,
        });
      }
    }
    return cards.sort(
      (a, b) => (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity) || a.key.localeCompare(b.key),
    );
  }

  countsByElement(): Map<ElementId, number> {
    const counts = new Map<ElementId, number>();
    for (const card of this.all) counts.set(card.element, (counts.get(card.element) ?? 0) + 1);
    return counts;
  }

  /** Posts into the viewer's own document (their company's, or the room's for facilitators). */
  post(element: ElementId, text: string, target: CardSource): void {
    const body = cardBody(text);
    if (!body || !target.writable) return;
    docCards(target.doc).set(randomId(), newCard({ element, text: body }));
  }

  edit(card: Card, text: string): void {
    const source = this.sourceOf(card);
    const body = cardBody(text);
    const entry = source && docCards(source.doc).get(card.id);
    if (!source?.writable || !body || !entry || readCard(entry) === null) return;
    (entry as Y.Map<unknown>).set('text', body);
  }

  remove(card: Card): void {
    const source = this.sourceOf(card);
    if (!source?.writable) return;
    const remove = () => docCards(source.doc).delete(card.id);
    if (this.onDelete) this.onDelete(source.doc, 'card', remove);
    else remove();
  }

  /** 共感 +1, one per person: toggles this user's reaction (server-side, author from the session). */
  toggleReaction(card: Card, userId: string): Promise<void> {
    return this.meta.react(card.docName, card.id, !card.reactions.includes(userId));
  }

  private sourceOf(card: Card): CardSource | undefined {
    return this.sources().find((s) => s.docName === card.docName);
  }
}
