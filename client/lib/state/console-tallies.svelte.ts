// Live counts for the facilitator console from the control plane: which elements each company has
// scored (facilitators receive every value, hidden or not) and which 気付き cards exist (authorship
// as the server recorded it, so the count follows the cards' companies, not who is looking).
import { SvelteMap } from 'svelte/reactivity';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import type { CardMeta, ScoreEntry } from '../../../shared/protocol/control-events.ts';
import { roomDocName } from '../../../shared/protocol/doc-names.ts';
import { request, type ControlSocket } from '../api/control-socket.ts';
import { cardKey } from './card-meta.svelte.ts';

export class ScoredTally {
  /** eventCompanyId → the elements it has a score for. */
  private readonly scored = new SvelteMap<string, ReadonlySet<ElementId>>();

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
  ) {
    socket.on('score:changed', (entry) => {
      if (entry.eventId === this.eventId) this.apply(entry);
    });
  }

  async load(): Promise<void> {
    const { scores } = await request(this.socket, 'scores:get', { eventId: this.eventId });
    this.scored.clear();
    for (const entry of scores) this.apply(entry);
  }

  /** How many of `scope` (all elements when empty) the company has scored. */
  count(eventCompanyId: string, scope: readonly ElementId[]): number {
    const set = this.scored.get(eventCompanyId);
    if (!set) return 0;
    return scope.length === 0 ? set.size : scope.filter((e) => set.has(e)).length;
  }

  private apply(entry: ScoreEntry): void {
    const next = new Set(this.scored.get(entry.eventCompanyId) ?? []);
    if (entry.value !== null || (entry.hidden && entry.scored)) next.add(entry.element);
    else next.delete(entry.element);
    this.scored.set(entry.eventCompanyId, next);
  }
}

export class CardTally {
  private readonly cards = new SvelteMap<string, Pick<CardMeta, 'docName' | 'eventCompanyId' | 'deleted'>>();

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
  ) {
    socket.on('card:changed', ({ eventId, docName, cardId, eventCompanyId, deleted }) => {
      if (eventId === this.eventId) this.cards.set(cardKey(docName, cardId), { docName, eventCompanyId, deleted });
    });
  }

  async load(): Promise<void> {
    const { cards } = await request(this.socket, 'cards:get', { eventId: this.eventId });
    this.cards.clear();
    for (const { docName, cardId, eventCompanyId, deleted } of cards) this.cards.set(cardKey(docName, cardId), { docName, eventCompanyId, deleted });
  }

  /** Cards not deleted in a room: its companies' cards and the facilitators' on its own document. */
  countInRoom(roomId: string, companyIds: ReadonlySet<string>): number {
    const roomDoc = roomDocName(roomId);
    let n = 0;
    for (const card of this.cards.values()) {
      if (card.deleted) continue;
      if (card.docName === roomDoc || (card.eventCompanyId !== null && companyIds.has(card.eventCompanyId))) n++;
    }
    return n;
  }
}
