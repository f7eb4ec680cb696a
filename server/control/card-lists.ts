// The answer to cards:get: every 気付き card of an event with its author, times and 共感. It is the
// same for everyone in the event, and with thousands of cards it is megabytes (5,000 cards: 2 MB,
// ~300 ms to query and encode). Attacker 14 asked for it in a loop from one socket (53 % of a
// core, /healthz answering in 1.3 s) and from five (2.9 s), all within the socket rate limits.
// So the answer is shared: one query for everyone asking while it runs, kept until a domain event
// of the event (a card written, a 共感, a member or company change) or CARD_LIST_TTL_MS; and what
// a user reads is paced in bytes, as their Yjs writes are (server/sync/write-budget.ts).
import type { CardMeta } from '../../shared/protocol/control-events.ts';
import { WriteBudgets, type WriteBudgetLimits } from '../sync/write-budget.ts';
import { HttpError } from '../errors.ts';

/**
 * How long an answer is kept at most. Card changes drop it at once (their domain events reach
 * every node); the time bounds what changes without an event of its own (a name shown on cards).
 */
export const CARD_LIST_TTL_MS = 10_000;

/**
 * What one user may read of card lists on this node: 8 MiB at once, then 512 KiB/s. A session's
 * list is tens of KB (a board and a console reconnecting ask for it once each); a list of 5,000
 * cards may be read four times at once, then every four seconds.
 */
export const CARD_LIST_READ_BUDGET: WriteBudgetLimits = { burstBytes: 8 * 1024 * 1024, bytesPerSecond: 512 * 1024 };

export const TOO_MANY_CARD_READS = 'カードの一覧の読み込みが多すぎます。少し待ってください / Too many card list reads, slow down';

interface CardList {
  cards: CardMeta[];
  /** The answer's size as sent (JSON, UTF-8), charged to whoever reads it. */
  bytes: number;
}

export class CardLists {
  private readonly lists = new Map<string, Promise<CardList>>();
  private readonly readers: WriteBudgets;
  private readonly ttlMs: number;

  constructor(
    private readonly load: (eventId: string) => Promise<CardMeta[]>,
    { ttlMs = CARD_LIST_TTL_MS, readBudget = CARD_LIST_READ_BUDGET }: { ttlMs?: number; readBudget?: WriteBudgetLimits } = {},
  ) {
    this.ttlMs = ttlMs;
    this.readers = new WriteBudgets(readBudget);
  }

  /** The event's cards for `userId`, or 429 while the user's reading budget is in debt. */
  async read(userId: string, eventId: string): Promise<CardMeta[]> {
    const budget = this.readers.of(userId);
    if (budget.readyIn() > 0) throw new HttpError(429, TOO_MANY_CARD_READS);
    const list = await this.list(eventId);
    budget.spend(list.bytes);
    return list.cards;
  }

  /** Something of the event changed: the next reader queries afresh (one running now answers only who asked already). */
  invalidate(eventId: string): void {
    this.lists.delete(eventId);
  }

  private list(eventId: string): Promise<CardList> {
    const kept = this.lists.get(eventId);
    if (kept) return kept;
    const list = this.load(eventId).then((cards) => ({ cards, bytes: Buffer.byteLength(JSON.stringify(cards)) }));
    this.lists.set(eventId, list);
    const forget = () => {
      if (this.lists.get(eventId) === list) this.lists.delete(eventId);
    };
    // A failed query is not kept; a good answer only for a while (and not held in memory after).
    list.then(() => setTimeout(forget, this.ttlMs).unref(), forget);
    return list;
  }
}
