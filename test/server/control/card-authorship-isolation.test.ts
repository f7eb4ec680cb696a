// Card authorship is written for many documents at once: one company's cards that cannot be
// recorded (ids PostgreSQL refuses, rows that always fail) must cost no other company — nor the
// same company's good cards — their author, and must not be retried or logged without end.
import { randomInt, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { ask, connectControlClient } from '../../helpers/control-client.ts';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { docCards, newCard } from '../../../shared/protocol/doc-shapes.ts';
import type { CardMeta } from '../../../shared/protocol/control-events.ts';

const testServer = serverPerFile();
const providers: WebsocketProvider[] = [];
const sockets: Socket[] = [];
let event: { id: string; joinCode: string };
let alice: Awaited<ReturnType<typeof joinAs>>;
let carol: Awaited<ReturnType<typeof joinAs>>;

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  event = await createEvent(facilitator);
  alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
  carol = await joinAs(testServer.server.origin, event.joinCode, 'Carol', 'Beta本舗');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const p of providers.splice(0)) p.destroy();
  for (const s of sockets.splice(0)) s.disconnect();
});

async function open(docName: string, cookie: string | undefined) {
  const provider = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() });
  providers.push(provider);
  await whenSynced(provider);
  return provider;
}

async function control(cookie: string | undefined): Promise<Socket> {
  const client = await connectControlClient(testServer.server.origin, cookie, event.id);
  sockets.push(client.socket);
  return client.socket;
}

async function cardsOf(socket: Socket): Promise<CardMeta[]> {
  const res = await ask(socket, 'cards:get', { eventId: event.id });
  expect(res.ok).toBe(true);
  return res.cards as CardMeta[];
}

/** ~9 KB of random kanji: too long for the cards index even after PostgreSQL compresses it. */
function hugeCardId(): string {
  return Array.from({ length: 3000 }, () => String.fromCharCode(0x4e00 + randomInt(20_000))).join('');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('card authorship isolation', () => {
  it("a company's unwritable card ids cost no other company (nor its own good cards) their author", async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const carolSheet = sheetDocName(carol.eventCompanyId);
    const a = await open(aliceSheet, alice.client.cookie);
    const b = await open(carolSheet, carol.client.cookie);
    const carolControl = await control(carol.client.cookie);
    const badIds: string[] = [];
    const aliceIds: string[] = [];
    const carolIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      // In the same moment, so they share the server's authorship writes.
      const bad = [`evil\u0000${i}`, hugeCardId()];
      for (const id of bad) docCards(a.doc).set(id, newCard({ element: 'philosophy', text: 'poison' }));
      const carolId = randomUUID();
      docCards(b.doc).set(carolId, newCard({ element: 'customers', text: `Beta の気付き ${i}` }));
      const aliceId = randomUUID();
      docCards(a.doc).set(aliceId, newCard({ element: 'brand', text: `Acme の気付き ${i}` }));
      badIds.push(...bad);
      carolIds.push(carolId);
      aliceIds.push(aliceId);
      await sleep(10);
    }
    // The poison did reach the server's document: the Yjs path was exercised.
    await eventually(() => expect(docCards(testServer.server.app.docs.peek(aliceSheet)!.doc).has(badIds.at(-1)!)).toBe(true));

    await eventually(async () => {
      const cards = await cardsOf(carolControl);
      const authors = new Map(cards.map((c) => [c.cardId, c.authorId]));
      expect(carolIds.map((id) => authors.get(id))).toEqual(carolIds.map(() => carol.userId));
      expect(aliceIds.map((id) => authors.get(id))).toEqual(aliceIds.map(() => alice.userId));
    });
    const recorded = new Set((await cardsOf(carolControl)).map((c) => c.cardId));
    expect(badIds.filter((id) => recorded.has(id))).toEqual([]);

    // 共感 works on every card Carol's company posted.
    for (const cardId of carolIds) {
      const res = await ask(carolControl, 'card:react', { eventId: event.id, docName: carolSheet, cardId, on: true });
      expect(res).toEqual({ ok: true, reactions: [carol.userId] });
    }
    // The same rule holds for ids named on the control plane: refused as invalid, never a database error.
    const nul = await ask(carolControl, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'evil\u00000', on: true });
    expect(nul).toMatchObject({ ok: false, field: 'cardId', rule: 'controlCharacter' });
  });

  it('a row that always fails holds back only its own document, is given up after a few attempts and logged once', async () => {
    const { app } = testServer.server;
    const db = app.db;
    // A card id that passes every check but that the database refuses, counting the attempts
    // (a sequence is not rolled back with the failing transaction).
    await db.execute(sql`create sequence doomed_attempts`);
    await db.execute(
      sql.raw(`create function refuse_doomed_card() returns trigger language plpgsql as $$
        begin
          if new.card_id = 'doomed' then
            perform nextval('doomed_attempts');
            raise exception 'refusing the doomed card';
          end if;
          return new;
        end $$`),
    );
    await db.execute(sql`create trigger refuse_doomed_card before insert on cards for each row execute function refuse_doomed_card()`);
    const logged: unknown[][] = [];
    for (const level of ['warn', 'error'] as const) {
      vi.spyOn(app.log, level).mockImplementation((...args: unknown[]) => void logged.push(args));
    }
    const attempts = async () => {
      const result = (await db.execute(sql`select last_value, is_called from doomed_attempts`)) as unknown as {
        rows: Array<{ last_value: string | number; is_called: boolean }>;
      };
      const [row] = result.rows;
      return row!.is_called ? Number(row!.last_value) : 0;
    };

    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const a = await open(aliceSheet, alice.client.cookie);
    const b = await open(sheetDocName(carol.eventCompanyId), carol.client.cookie);
    const carolControl = await control(carol.client.cookie);
    const carolIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      // Every edit of the doomed card fails its write, next to Carol's cards.
      docCards(a.doc).set('doomed', newCard({ element: 'data', text: `never recorded ${i}` }));
      const id = randomUUID();
      docCards(b.doc).set(id, newCard({ element: 'data', text: `Beta ${i}` }));
      carolIds.push(id);
      await sleep(5);
    }

    await eventually(async () => {
      const authors = new Map((await cardsOf(carolControl)).map((c) => [c.cardId, c.authorId]));
      expect(carolIds.map((id) => authors.get(id))).toEqual(carolIds.map(() => carol.userId));
    });
    // Retried a few times, then given up: the count of attempts stops growing.
    await eventually(async () => {
      const before = await attempts();
      expect(before).toBeGreaterThan(0);
      await sleep(1500);
      expect(await attempts()).toBe(before);
    }, 15_000);
    // At most: 10 edits × 3 attempts × (the shared write + the document's own).
    expect(await attempts()).toBeLessThanOrEqual(60);

    // Alice's later cards are recorded once the doomed one was given up.
    docCards(a.doc).set('after-doomed', newCard({ element: 'data', text: 'recorded' }));
    await eventually(async () => expect((await cardsOf(carolControl)).find((c) => c.cardId === 'after-doomed')?.authorId).toBe(alice.userId));

    // One line for the document (not one per attempt), naming it, without the SQL or its parameters.
    const aboutAlice = logged.filter((args) => JSON.stringify(args).includes(aliceSheet));
    expect(aboutAlice.length).toBe(1);
    const line = JSON.stringify(aboutAlice[0]);
    expect(line).toContain('refusing the doomed card');
    expect(line).not.toMatch(/insert into|params/i);
  });
});
