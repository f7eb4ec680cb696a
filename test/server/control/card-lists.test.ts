// The shared cards:get answer (server/control/card-lists.ts): one query for everyone asking while
// it runs, kept until the event changes or a while has passed, never kept when it failed, and
// read by each user within a byte budget (429, retried by the client, once it is spent).
import { describe, expect, it } from 'vitest';
import { CardLists, TOO_MANY_CARD_READS } from '../../../server/control/card-lists.ts';
import type { CardMeta } from '../../../shared/protocol/control-events.ts';

const card = (cardId: string): CardMeta => ({
  docName: 'sheet:1',
  cardId,
  eventCompanyId: null,
  element: 'customers',
  authorId: null,
  authorName: null,
  companyName: null,
  createdAt: '2026-12-05T00:00:00.000Z',
  updatedAt: '2026-12-05T00:00:00.000Z',
  deleted: false,
  reactions: [],
});

/** A loader that counts its queries and answers what `cards` holds when asked. */
function counting(cards: CardMeta[] = [card('a')]) {
  const loader = { queries: 0, cards, fail: false };
  const load = async (eventId: string) => {
    loader.queries++;
    await new Promise((r) => setTimeout(r, 5));
    if (loader.fail) throw new Error(`database down for ${eventId}`);
    return loader.cards;
  };
  return { loader, load };
}

describe('CardLists', () => {
  it('answers everyone asking at once with one query, and later readers from it too', async () => {
    const { loader, load } = counting();
    const lists = new CardLists(load);
    const answers = await Promise.all(['u1', 'u2', 'u3'].map((u) => lists.read(u, 'e1')));
    expect(answers.map((a) => a.map((c) => c.cardId))).toEqual([['a'], ['a'], ['a']]);
    await lists.read('u4', 'e1');
    expect(loader.queries).toBe(1);
    await lists.read('u1', 'e2');
    expect(loader.queries).toBe(2);
  });

  it('queries afresh once the event changed', async () => {
    const { loader, load } = counting();
    const lists = new CardLists(load);
    await lists.read('u1', 'e1');
    loader.cards = [card('a'), card('b')];
    lists.invalidate('e1');
    expect((await lists.read('u1', 'e1')).map((c) => c.cardId)).toEqual(['a', 'b']);
    expect(loader.queries).toBe(2);
  });

  it('keeps an answer only for its time', async () => {
    const { loader, load } = counting();
    const lists = new CardLists(load, { ttlMs: 20 });
    await lists.read('u1', 'e1');
    await new Promise((r) => setTimeout(r, 40));
    await lists.read('u1', 'e1');
    expect(loader.queries).toBe(2);
  });

  it('does not keep a failed query', async () => {
    const { loader, load } = counting();
    const lists = new CardLists(load);
    loader.fail = true;
    await expect(lists.read('u1', 'e1')).rejects.toThrow('database down');
    loader.fail = false;
    expect(await lists.read('u1', 'e1')).toHaveLength(1);
    expect(loader.queries).toBe(2);
  });

  it('paces what one user reads in bytes: past the burst, 429 with a message; others read on', async () => {
    const { load } = counting(Array.from({ length: 100 }, (_, i) => card(`card-${i}`)));
    const bytes = Buffer.byteLength(JSON.stringify(await load('e1')));
    const lists = new CardLists(load, { readBudget: { burstBytes: bytes * 3, bytesPerSecond: 1 } });
    for (let i = 0; i < 4; i++) await lists.read('u1', 'e1'); // the fourth overdraws the budget
    const refused = await lists.read('u1', 'e1').catch((err: { statusCode: number; message: string }) => err);
    expect(refused).toMatchObject({ statusCode: 429, message: TOO_MANY_CARD_READS });
    expect(await lists.read('u2', 'e1')).toHaveLength(100);
  });
});
