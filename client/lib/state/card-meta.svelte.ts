// Who wrote each 気付き card and when, and its 共感 reactions: recorded by the server and sent
// over the control socket (never read from the card documents, which clients write).
import { SvelteMap } from 'svelte/reactivity';
import type { CardMeta } from '../../../shared/protocol/control-events.ts';
import { request, type ControlSocket } from '../api/control-socket.ts';
import { errorMessage } from '../error-message.ts';

export function cardKey(docName: string, cardId: string): string {
  return `${docName}/${cardId}`;
}

export class CardMetaModel {
  private readonly metas = new SvelteMap<string, CardMeta>();
  error = $state<string | null>(null);

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
  ) {
    socket.on('card:changed', ({ eventId, ...meta }) => {
      if (eventId === this.eventId) this.metas.set(cardKey(meta.docName, meta.cardId), meta);
    });
    socket.on('card:reactions', ({ eventId, docName, cardId, reactions }) => {
      if (eventId !== this.eventId) return;
      const meta = this.metas.get(cardKey(docName, cardId));
      if (meta) this.metas.set(cardKey(docName, cardId), { ...meta, reactions });
    });
  }

  async load(): Promise<void> {
    const { cards } = await request(this.socket, 'cards:get', { eventId: this.eventId });
    this.metas.clear();
    for (const meta of cards) this.metas.set(cardKey(meta.docName, meta.cardId), meta);
  }

  get(docName: string, cardId: string): CardMeta | undefined {
    return this.metas.get(cardKey(docName, cardId));
  }

  /** Adds or takes back this user's 共感; the server decides and tells everyone. */
  async react(docName: string, cardId: string, on: boolean): Promise<void> {
    this.error = null;
    try {
      const { reactions } = await request(this.socket, 'card:react', { eventId: this.eventId, docName, cardId, on });
      const meta = this.metas.get(cardKey(docName, cardId));
      if (meta) this.metas.set(cardKey(docName, cardId), { ...meta, reactions });
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
