// 気付き card authorship is enforced by the server: a company's cards live in its own document
// (nobody else can edit, re-author, backdate or delete them), the author, company and times come
// from the writing connection's membership, and 共感 reactions are control-plane rows whose
// author is the session's user.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import { ask, connectControlClient } from '../../helpers/control-client.ts';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { docCards, newCard } from '../../../shared/protocol/doc-shapes.ts';
import type { CardMeta } from '../../../shared/protocol/control-events.ts';
import type { ApiClient } from '../../helpers/api-client.ts';

const testServer = serverPerFile();
const providers: WebsocketProvider[] = [];
const sockets: Socket[] = [];
let facilitator: ApiClient;
let event: { id: string; joinCode: string };
let alice: Awaited<ReturnType<typeof joinAs>>;
let bob: Awaited<ReturnType<typeof joinAs>>;
let carol: Awaited<ReturnType<typeof joinAs>>;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  event = await createEvent(facilitator);
  alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
  bob = await joinAs(testServer.server.origin, event.joinCode, 'Bob', 'Acme通販');
  carol = await joinAs(testServer.server.origin, event.joinCode, 'Carol', 'Beta本舗');
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
  for (const s of sockets.splice(0)) s.disconnect();
});

async function open(docName: string, cookie: string | undefined) {
  const provider = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() });
  providers.push(provider);
  await whenSynced(provider);
  return provider;
}

async function control(cookie: string | undefined) {
  const client = await connectControlClient(testServer.server.origin, cookie, event.id);
  sockets.push(client.socket);
  const changed = () => client.frames.filter(([e]) => e === 'card:changed').map(([, p]) => p as CardMeta);
  const reactions = () => client.frames.filter(([e]) => e === 'card:reactions').map(([, p]) => p as { cardId: string; reactions: string[] });
  return {
    socket: client.socket,
    get changed() {
      return changed();
    },
    get reactions() {
      return reactions();
    },
  };
}

async function metaOf(socket: Socket, docName: string, cardId: string): Promise<CardMeta | undefined> {
  const res = await ask(socket, 'cards:get', { eventId: event.id });
  expect(res.ok).toBe(true);
  return (res.cards as CardMeta[]).find((c) => c.docName === docName && c.cardId === cardId);
}

describe('card authorship', () => {
  it('records author, company and time from the writing connection, ignoring fields the client wrote', async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const carolControl = await control(carol.client.cookie);
    const sheet = await open(aliceSheet, alice.client.cookie);
    const before = Date.now();
    const card = newCard({ element: 'customers', text: 'お客様の声を毎週読む' });
    // A modified client adds fields claiming someone else wrote it, long ago.
    card.set('authorName', 'Carol');
    card.set('authorId', carol.userId);
    card.set('createdAt', 'not a number');
    docCards(sheet.doc).set('card-1', card);

    await eventually(() => expect(carolControl.changed.map((c) => c.cardId)).toContain('card-1'));
    const meta = carolControl.changed.find((c) => c.cardId === 'card-1')!;
    expect(meta).toMatchObject({
      docName: aliceSheet,
      eventCompanyId: alice.eventCompanyId,
      element: 'customers',
      authorId: alice.userId,
      authorName: 'Alice',
      companyName: 'Acme通販',
      deleted: false,
      reactions: [],
    });
    expect(Date.parse(meta.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await metaOf(carolControl.socket, aliceSheet, 'card-1')).toMatchObject({ authorName: 'Alice' });
  });

  it('records at most a burst of card changes per connection, then a few a second; the cards stay in the document', async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const sheet = await open(aliceSheet, alice.client.cookie);
    // A modified client rewrites hundreds of cards per update (each one a database write).
    for (let round = 0; round < 3; round++) {
      sheet.doc.transact(() => {
        for (let i = 0; i < 500; i++) docCards(sheet.doc).set(`flood-${round}-${i}`, newCard({ element: 'data', text: `${round}-${i}` }));
      });
    }
    const own = await control(alice.client.cookie);
    const count = async () => ((await ask(own.socket, 'cards:get', { eventId: event.id })).cards as CardMeta[]).filter((c) => c.cardId.startsWith('flood-')).length;
    // The document holds them all; another connection's card is recorded (after the flood's, in order).
    const check = await open(aliceSheet, bob.client.cookie);
    expect(docCards(check.doc).size).toBeGreaterThanOrEqual(1500);
    docCards(check.doc).set('after-flood', newCard({ element: 'data', text: 'ふつうの気付き' }));
    await eventually(async () => expect(await metaOf(own.socket, aliceSheet, 'after-flood')).toMatchObject({ authorName: 'Bob' }), 20_000);
    const n = await count();
    expect(n).toBeGreaterThanOrEqual(500);
    expect(n).toBeLessThan(700);
  });

  it("another company cannot edit, delete or add cards in a company's document", async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const mine = await open(aliceSheet, alice.client.cookie);
    docCards(mine.doc).set('card-2', newCard({ element: 'brand', text: 'Acme の気付き' }));
    await eventually(() => expect(docCards(testServer.server.app.docs.peek(aliceSheet)!.doc).has('card-2')).toBe(true));

    const theirs = await open(aliceSheet, carol.client.cookie);
    await eventually(() => expect(docCards(theirs.doc).has('card-2')).toBe(true));
    const entry = docCards(theirs.doc).get('card-2') as Y.Map<unknown>;
    entry.set('text', 'Carol が書き換えた');
    docCards(theirs.doc).delete('card-1');
    docCards(theirs.doc).set('forged', newCard({ element: 'brand', text: 'Acme のふり' }));
    await new Promise((r) => setTimeout(r, 300));

    const live = docCards(testServer.server.app.docs.peek(aliceSheet)!.doc);
    expect((live.get('card-2') as Y.Map<unknown>).get('text')).toBe('Acme の気付き');
    expect(live.has('card-1')).toBe(true);
    expect(live.has('forged')).toBe(false);
  });

  it('participants cannot write the room document (it belongs to the facilitators)', async () => {
    const detail = await facilitator.get(`/api/events/${event.id}`);
    const room = roomDocName(detail.body.rooms[0].id);
    const provider = await open(room, carol.client.cookie);
    docCards(provider.doc).set('room-card', newCard({ element: 'data', text: 'room に書く' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(docCards(testServer.server.app.docs.peek(room)!.doc).has('room-card')).toBe(false);

    const fac = await open(room, facilitator.cookie);
    docCards(fac.doc).set('fac-card', newCard({ element: 'data', text: '進行役のメモ' }));
    const facControl = await control(facilitator.cookie);
    await eventually(async () => expect(await metaOf(facControl.socket, room, 'fac-card')).toMatchObject({ eventCompanyId: null, authorName: '進行役' }));
  });

  it('a colleague may edit a company card, but the author stays; deleting flags it', async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const viewer = await control(carol.client.cookie);
    const bobs = await open(aliceSheet, bob.client.cookie);
    await eventually(() => expect(docCards(bobs.doc).has('card-2')).toBe(true));
    (docCards(bobs.doc).get('card-2') as Y.Map<unknown>).set('text', 'Bob が補足');
    await eventually(() => expect(viewer.changed.some((c) => c.cardId === 'card-2')).toBe(true));
    expect(await metaOf(viewer.socket, aliceSheet, 'card-2')).toMatchObject({ authorName: 'Alice', companyName: 'Acme通販' });

    docCards(bobs.doc).delete('card-2');
    await eventually(async () => expect((await metaOf(viewer.socket, aliceSheet, 'card-2'))?.deleted).toBe(true));
  });
});

describe('共感 reactions', () => {
  it('are stored per person, with the person taken from the session', async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const carolControl = await control(carol.client.cookie);
    const aliceControl = await control(alice.client.cookie);

    const on = await ask(carolControl.socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'card-1', on: true });
    expect(on).toEqual({ ok: true, reactions: [carol.userId] });
    // Twice is still one.
    expect((await ask(carolControl.socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'card-1', on: true })).reactions).toEqual([
      carol.userId,
    ]);
    await eventually(() => expect(aliceControl.reactions.at(-1)).toMatchObject({ cardId: 'card-1', reactions: [carol.userId] }));

    // Naming someone else is not part of the payload at all.
    const forged = await ask(carolControl.socket, 'card:react', {
      eventId: event.id,
      docName: aliceSheet,
      cardId: 'card-1',
      on: true,
      userId: bob.userId,
    });
    expect(forged.ok).toBe(false);
    expect((await metaOf(aliceControl.socket, aliceSheet, 'card-1'))?.reactions).toEqual([carol.userId]);

    const off = await ask(carolControl.socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'card-1', on: false });
    expect(off).toEqual({ ok: true, reactions: [] });
    // The card list just read (with the 共感) is shared and kept, but not past a change: read at once, it has none.
    expect((await metaOf(aliceControl.socket, aliceSheet, 'card-1'))?.reactions).toEqual([]);
  });

  it('are refused for unknown or deleted cards and for non-members', async () => {
    const aliceSheet = sheetDocName(alice.eventCompanyId);
    const carolControl = await control(carol.client.cookie);
    const missing = await ask(carolControl.socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'nope', on: true });
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('カードが見つかりません') });
    const deleted = await ask(carolControl.socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'card-2', on: true });
    expect(deleted.ok).toBe(false);

    const otherEvent = await createEvent(facilitator, '別のイベント');
    const outsider = await joinAs(testServer.server.origin, otherEvent.joinCode, 'Dave', 'Delta');
    const socket = io(testServer.server.origin, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: outsider.client.cookie!, origin: testServer.server.origin } });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const refused = await ask(socket, 'card:react', { eventId: event.id, docName: aliceSheet, cardId: 'card-1', on: true });
    expect(refused.ok).toBe(false);
    expect((await ask(socket, 'cards:get', { eventId: event.id })).ok).toBe(false);
  });
});

describe('moves', () => {
  it("moving a company to another room changes no document's rights: nobody is disconnected", async () => {
    const aliceSheet = await open(sheetDocName(alice.eventCompanyId), alice.client.cookie);
    const carolSheet = await open(sheetDocName(carol.eventCompanyId), carol.client.cookie);
    const closes: string[] = [];
    aliceSheet.on('connection-close', () => closes.push('alice'));
    carolSheet.on('connection-close', () => closes.push('carol'));
    const room = await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム 2' });
    const moved = await facilitator.patch(`/api/events/${event.id}/companies/${carol.eventCompanyId}`, { roomId: room.body.id });
    expect(moved.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(closes).toEqual([]);
    // Carol still writes her own sheet, wherever she sits.
    docCards(carolSheet.doc).set('after-move', newCard({ element: 'pr', text: '移動後の気付き' }));
    await eventually(() => expect(docCards(testServer.server.app.docs.peek(sheetDocName(carol.eventCompanyId))!.doc).has('after-move')).toBe(true));
  });
});
