// 気付き cards on a room board (room:<roomId>): list, post, edit, delete, and 共感 reactions.
import * as Y from 'yjs';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import { newCard, roomCards, type CardFields } from '../../../shared/protocol/doc-shapes.ts';
import type { SharedDoc } from '../api/shared-doc.ts';
import { DocVersion } from './doc-version.svelte.ts';

export const MAX_CARD_LENGTH = 2000;

export interface Card extends CardFields {
  text: string;
  /** userIds who reacted with 共感. */
  reactions: string[];
}

export interface Author {
  id: string;
  name: string;
  eventCompanyId: string | null;
  companyName: string;
}

export class CardsModel {
  private readonly changes: DocVersion;

  constructor(private readonly shared: SharedDoc) {
    this.changes = new DocVersion(shared.doc);
  }

  /** All cards, oldest first. */
  get all(): Card[] {
    void this.changes.version;
    const cards: Card[] = [];
    for (const card of roomCards(this.shared.doc).values()) {
      const reactions = card.get('reactions') as Y.Map<boolean> | undefined;
      cards.push({
        id: String(card.get('id')),
        element: card.get('element') as ElementId,
        authorId: String(card.get('authorId')),
        authorName: String(card.get('authorName') ?? ''),
        eventCompanyId: (card.get('eventCompanyId') as string | null) ?? null,
        companyName: String(card.get('companyName') ?? ''),
        createdAt: Number(card.get('createdAt')),
        updatedAt: Number(card.get('updatedAt')),
        text: String(card.get('text') ?? ''),
        reactions: reactions ? [...reactions.keys()] : [],
      });
    }
    return cards.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  countsByElement(): Map<ElementId, number> {
    const counts = new Map<ElementId, number>();
    for (const card of this.all) counts.set(card.element, (counts.get(card.element) ?? 0) + 1);
    return counts;
  }

  post(element: ElementId, text: string, author: Author): void {
    const body = text.trim().slice(0, MAX_CARD_LENGTH);
    if (!body) return;
    const id = crypto.randomUUID();
    const now = Date.now();
    const card = newCard({
      id,
      element,
      authorId: author.id,
      authorName: author.name,
      eventCompanyId: author.eventCompanyId,
      companyName: author.companyName,
      createdAt: now,
      updatedAt: now,
      text: body,
    });
    roomCards(this.shared.doc).set(id, card);
  }

  edit(id: string, text: string): void {
    const card = roomCards(this.shared.doc).get(id);
    const body = text.trim().slice(0, MAX_CARD_LENGTH);
    if (!card || !body) return;
    this.shared.doc.transact(() => {
      card.set('text', body);
      card.set('updatedAt', Date.now());
    });
  }

  remove(id: string): void {
    roomCards(this.shared.doc).delete(id);
  }

  /** 共感 +1, one per person: toggles this user's reaction. */
  toggleReaction(id: string, userId: string): void {
    const reactions = roomCards(this.shared.doc).get(id)?.get('reactions') as Y.Map<boolean> | undefined;
    if (!reactions) return;
    if (reactions.has(userId)) reactions.delete(userId);
    else reactions.set(userId, true);
  }

  destroy(): void {
    this.changes.destroy();
  }
}
