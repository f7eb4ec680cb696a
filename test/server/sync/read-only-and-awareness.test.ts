// What the server tells read-only clients, and who may change which awareness (presence) state:
// a read-only client resyncing a document that contains deletions is not told its write was
// refused, and no connection can overwrite or remove another connection's awareness state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const STEP1 = 0;
const STEP2 = 1;

let testDb: TestDatabase;
let server: TestServer;
const providers: WebsocketProvider[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database);
});

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  for (const ws of sockets.splice(0)) ws.terminate();
  await server.close();
  await testDb.drop();
});

async function twoCompanies() {
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
  const bob = await joinAs(server.origin, event.joinCode, 'Bob', 'Acme通販');
  const carol = await joinAs(server.origin, event.joinCode, 'Carol', 'Beta本舗');
  return { alice, bob, carol };
}

function open(docName: string, cookie: string | undefined, doc = new Y.Doc()) {
  const provider = connectProvider(server.wsOrigin, docName, { cookie, doc });
  providers.push(provider);
  return provider;
}

/** A bare client: every message the server sends is kept in `received`, in order. */
async function openRaw(docName: string, cookie: string | undefined) {
  const ws = new WebSocket(`${server.wsOrigin}/yjs/${docName}`, { headers: { cookie: cookie ?? '', origin: server.origin } });
  sockets.push(ws);
  ws.on('error', () => {});
  const received: Uint8Array[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    received.push(new Uint8Array(data));
    for (const l of listeners) l();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  /** Resolves with the first message from index `from` on that satisfies `match`. */
  const next = (match: (m: Uint8Array) => boolean, from = 0) =>
    new Promise<Uint8Array>((resolve) => {
      const check = () => {
        const found = received.slice(from).find(match);
        if (!found) return;
        listeners.delete(check);
        resolve(found);
      };
      listeners.add(check);
      check();
    });
  /**
   * Sends sync step 1 and waits for the server's step 2 answer: the server handles one socket's
   * messages in order and answers in order, so anything caused by earlier messages has arrived.
   */
  const barrier = async () => {
    const from = received.length;
    ws.send(frame(SYNC, STEP1, Y.encodeStateVector(new Y.Doc())));
    await next((m) => m[0] === SYNC && m[1] === STEP2, from);
  };
  return { ws, received, next, barrier };
}

function frame(type: number, step: number | undefined, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (step !== undefined) encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** An awareness update in the y-protocols format: count, then [clientID, clock, JSON state]. */
function awarenessFrame(entries: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return frame(AWARENESS, undefined, encoding.toUint8Array(encoder));
}

describe('read-only clients', () => {
  it('are not told their write was refused when their sync step 2 only repeats deletions, but are for a real edit', async () => {
    const { alice, carol } = await twoCompanies();
    const betaSheet = sheetDocName(carol.eventCompanyId);
    const owner = open(betaSheet, carol.client.cookie);
    await whenSynced(owner);
    owner.doc.getText('t').insert(0, 'abcdef');
    owner.doc.getText('t').delete(2, 2);
    await eventually(() => expect(server.app.docs.peek(betaSheet)?.doc.getText('t').toString()).toBe('abef'));

    // Alice (read-only here) already has everything, as after an earlier visit.
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, Y.encodeStateAsUpdate(owner.doc));
    const reader = await openRaw(betaSheet, alice.client.cookie);
    const step1 = await reader.next((m) => m[0] === SYNC && m[1] === STEP1);
    const decoder = decoding.createDecoder(step1);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const serverVector = decoding.readVarUint8Array(decoder);
    // What a stock client answers: no new structs, but its whole delete set.
    const answer = Y.encodeStateAsUpdate(mirror, serverVector);
    expect(answer.byteLength).toBeGreaterThan(2); // not the empty update
    reader.ws.send(frame(SYNC, STEP2, answer));
    await reader.barrier();
    expect(reader.received.filter((m) => m[0] === AUTH)).toEqual([]);

    // A real edit (an incremental one, not starting at clock 0) is refused and reported.
    mirror.getText('t').insert(0, 'x');
    const edits: Uint8Array[] = [];
    mirror.on('update', (u: Uint8Array) => edits.push(u));
    mirror.getText('t').insert(0, 'y');
    reader.ws.send(frame(SYNC, 2, edits[0]!));
    await reader.barrier();
    expect(reader.received.filter((m) => m[0] === AUTH)).toHaveLength(1);
    expect(server.app.docs.peek(betaSheet)?.doc.getText('t').toString()).toBe('abef');
  });
});

describe('awareness ownership', () => {
  it("a connection cannot overwrite or remove another connection's awareness state, until that one leaves", async () => {
    const { alice, bob, carol } = await twoCompanies();
    const sheet = sheetDocName(alice.eventCompanyId);
    const a = open(sheet, alice.client.cookie);
    const b = open(sheet, bob.client.cookie);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.awareness.setLocalStateField('user', { name: 'Alice' });
    const aliceId = a.doc.clientID;
    await eventually(() => expect(b.awareness.getStates().get(aliceId)).toEqual({ user: { name: 'Alice' } }));
    const seenForAlice: unknown[] = [];
    b.awareness.on('change', () => seenForAlice.push(b.awareness.getStates().get(aliceId)));

    const attacker = await openRaw(sheet, carol.client.cookie);
    await attacker.barrier();
    const mine = 987_654_321;
    attacker.ws.send(awarenessFrame([{ clientId: aliceId, clock: 1000, state: { user: { name: 'Mallory' } } }]));
    attacker.ws.send(awarenessFrame([{ clientId: aliceId, clock: 1001, state: null }]));
    // Mixed with its own id: the whole message is dropped.
    attacker.ws.send(
      awarenessFrame([
        { clientId: mine, clock: 1, state: { user: { name: 'Carol (mixed)' } } },
        { clientId: aliceId, clock: 1002, state: { user: { name: 'Mallory' } } },
      ]),
    );
    // Its own state is accepted; once b sees it, b has seen the effects of everything sent before.
    attacker.ws.send(awarenessFrame([{ clientId: mine, clock: 2, state: { user: { name: 'Carol' } } }]));
    await eventually(() => expect(b.awareness.getStates().get(mine)).toEqual({ user: { name: 'Carol' } }));

    expect(b.awareness.getStates().get(aliceId)).toEqual({ user: { name: 'Alice' } });
    expect(server.app.docs.peek(sheet)?.awareness.getStates().get(aliceId)).toEqual({ user: { name: 'Alice' } });
    expect(seenForAlice.every((s) => JSON.stringify(s) === JSON.stringify({ user: { name: 'Alice' } }))).toBe(true);

    // Nor can anyone else take the attacker's id.
    a.ws!.send(awarenessFrame([{ clientId: mine, clock: 50, state: null }]));
    a.awareness.setLocalStateField('user', { name: 'Alice 2' });
    await eventually(() => expect(b.awareness.getStates().get(aliceId)).toEqual({ user: { name: 'Alice 2' } }));
    expect(b.awareness.getStates().get(mine)).toEqual({ user: { name: 'Carol' } });

    // Once Alice's connection is gone, her id stays hers (a stock client keeps it across
    // reconnects): nobody else takes it, whatever the clock; Alice coming back does.
    providers.splice(providers.indexOf(a), 1);
    a.destroy();
    await eventually(() => expect(server.app.docs.peek(sheet)?.awareness.getStates().has(aliceId)).toBe(false));
    attacker.ws.send(awarenessFrame([{ clientId: aliceId, clock: 2000, state: { user: { name: 'reused' } } }]));
    attacker.ws.send(awarenessFrame([{ clientId: mine, clock: 3, state: { user: { name: 'Carol again' } } }]));
    await eventually(() => expect(b.awareness.getStates().get(mine)).toEqual({ user: { name: 'Carol again' } }));
    expect(b.awareness.getStates().has(aliceId)).toBe(false);
    const aliceBack = await openRaw(sheet, alice.client.cookie);
    await aliceBack.barrier();
    aliceBack.ws.send(awarenessFrame([{ clientId: aliceId, clock: 2001, state: { user: { name: 'Alice back' } } }]));
    await eventually(() => expect(b.awareness.getStates().get(aliceId)).toEqual({ user: { name: 'Alice back' } }));
  });
});
