// A writer sending a broken Yjs update must not poison the document: updates are decoded in full
// before they touch it, an apply that still fails half-way leaves no trace (nothing sent, nothing
// stored), and a stored row that cannot be applied is quarantined while the rest loads.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { asc, eq } from 'drizzle-orm';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator, participantOnOwnSheet } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';
import { yjsQuarantine, yjsUpdates } from '../../../server/db/schema.ts';
import type { DocConnection } from '../../../server/sync/synced-doc.ts';
import { checkUpdate } from '../../../server/sync/update-check.ts';

const testServer = serverPerFile();
let cookie: string;
let bobCookie: string;
let docName: string;
let otherDocName: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  const alice = await participantOnOwnSheet(testServer.server.origin);
  ({ cookie, docName } = alice);
  const bob = await joinAs(testServer.server.origin, alice.joinCode, 'Bob', 'Beta商店');
  otherDocName = sheetDocName(bob.eventCompanyId);
  bobCookie = bob.client.cookie!;
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

function open(name = docName) {
  const provider = connectProvider(testServer.server.wsOrigin, name, { cookie: name === docName ? cookie : bobCookie, doc: new Y.Doc() });
  providers.push(provider);
  return provider;
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // sync
  encoding.writeVarUint(encoder, 2); // update
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * Sends one frame on a fresh authenticated socket; resolves with the close code, or 'open' if it
 * stayed open 2 s (a refused frame closes at once; 150 ms once timed out on a loaded CI machine).
 */
function sendOnFreshSocket(name: string, frame: Uint8Array, as = cookie): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${name}`, { headers: { cookie: as, origin: testServer.server.origin } });
    ws.on('error', () => {});
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.once('message', () => {
      ws.send(frame);
      const timer = setTimeout(() => {
        ws.terminate();
        resolve('open');
      }, 2000);
      ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  });
}

/** Realistic worksheet edits, each as the incremental update a browser would send. */
function realisticUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.getText('philosophy').insert(0, 'お客様の一生に寄り添う');
  const item = new Y.Map<unknown>();
  doc.getArray<Y.Map<unknown>>('doing:customer').push([item]);
  item.set('text', new Y.Text('誕生日カード'));
  doc.getMap('actuals').set('customer:0', 42);
  doc.getText('philosophy').delete(2, 3);
  return updates;
}

async function storedRows(name: string) {
  return testServer.db.database.db.select().from(yjsUpdates).where(eq(yjsUpdates.docName, name)).orderBy(asc(yjsUpdates.id));
}

describe('validate before apply', () => {
  it('rejects a valid update cut at every byte offset, with no side effect for anyone', async () => {
    const a = open();
    const b = open();
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const disconnects: string[] = [];
    for (const [label, p] of [['a', a], ['b', b]] as const) {
      p.on('status', ({ status }: { status: string }) => status === 'disconnected' && disconnects.push(label));
    }
    a.doc.getText('philosophy').insert(0, 'before ');
    await eventually(() => expect(b.doc.getText('philosophy').toString()).toBe('before '));

    const updates = realisticUpdates();
    const full = Y.mergeUpdates(updates);
    const codes: Array<number | 'open'> = [];
    for (let cut = 1; cut < full.byteLength; cut++) {
      codes.push(await sendOnFreshSocket(docName, syncUpdateFrame(full.slice(0, cut))));
    }
    // Every cut is refused and only its own socket closed.
    expect(codes.map((c, i) => [i + 1, c]).filter(([, c]) => c !== CloseCode.ProtocolError.code)).toEqual([]);
    expect(disconnects).toEqual([]);

    // Nothing of the cut updates reached the live document, the honest clients or storage.
    const live = testServer.server.app.docs.peek(docName)!;
    await live.whenReady();
    expect(live.doc.getText('philosophy').toString()).toBe('before ');
    expect(live.doc.getArray('doing:customer').length).toBe(0);
    expect(b.doc.getArray('doing:customer').length).toBe(0);

    // The honest clients keep syncing both ways.
    b.doc.getText('philosophy').insert(b.doc.getText('philosophy').length, 'after');
    await eventually(() => expect(a.doc.getText('philosophy').toString()).toBe('before after'));

    // Unloaded and loaded again, the document opens for a newcomer with exactly that content.
    a.destroy();
    b.destroy();
    await eventually(() => expect(testServer.server.app.docs.peek(docName)).toBeUndefined());
    const c = open();
    await whenSynced(c);
    expect(c.doc.getText('philosophy').toString()).toBe('before after');
    expect(c.wsconnected).toBe(true);
    const health = (await (await fetch(`${testServer.server.origin}/healthz`)).json()) as { quarantinedYjsRows: number };
    expect(health.quarantinedYjsRows).toBe(0);
  });

  it('rejects an update that decodes but holds a zero-length delete range', async () => {
    const a = open();
    await whenSynced(a);
    a.doc.getText('philosophy').insert(0, 'x');
    await eventually(() => expect(testServer.server.app.docs.peek(docName)?.doc.getText('philosophy').toString()).toBe(a.doc.getText('philosophy').toString()));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no struct clients
    encoding.writeVarUint(encoder, 1); // one delete-set client
    encoding.writeVarUint(encoder, a.doc.clientID);
    encoding.writeVarUint(encoder, 1); // one range
    encoding.writeVarUint(encoder, 0); // clock
    encoding.writeVarUint(encoder, 0); // len 0
    const zeroRange = encoding.toUint8Array(encoder);
    expect(() => Y.decodeUpdate(zeroRange)).not.toThrow(); // it does decode…
    expect(await sendOnFreshSocket(docName, syncUpdateFrame(zeroRange))).toBe(CloseCode.ProtocolError.code); // …and is refused
    // Nothing stored holds it: every stored row passes the full check.
    await new Promise((r) => setTimeout(r, 200));
    for (const row of await storedRows(docName)) expect(() => checkUpdate(row.update)).not.toThrow();
    expect(a.wsconnected).toBe(true);
  });

  it('survives 100,000 fuzzed updates with honest clients connected throughout', async () => {
    const name = otherDocName;
    const a = open(name);
    const b = open(name);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const disconnects: string[] = [];
    for (const [label, p] of [['a', a], ['b', b]] as const) {
      p.on('status', ({ status }: { status: string }) => status === 'disconnected' && disconnects.push(label));
    }
    // The honest clients write a text the attacker's updates never target (its own writes may land:
    // it is a writer of this document; what matters is that nothing breaks).
    const honest = (p: WebsocketProvider) => p.doc.getText('memo:brand');
    honest(a).insert(0, 'honest');
    await eventually(() => expect(honest(b).toString()).toBe('honest'));
    const live = testServer.server.app.docs.peek(name)!;

    // The attacker edits a copy of the real document, so its updates reference real items; each
    // is then mutated. Frames go straight into the live document (the same code path a socket
    // takes after framing), so the run takes seconds rather than 100,000 reconnects.
    const attackerDoc = new Y.Doc();
    Y.applyUpdate(attackerDoc, Y.encodeStateAsUpdate(live.doc));
    const pool: Uint8Array[] = [];
    attackerDoc.on('update', (u: Uint8Array) => pool.push(u));
    for (let i = 0; i < 40; i++) {
      attackerDoc.getText('philosophy').insert(i % 5, `x${i}`);
      const item = new Y.Map<unknown>();
      attackerDoc.getArray<Y.Map<unknown>>('doing:data').push([item]);
      item.set('text', new Y.Text(`t${i}`));
      if (i % 7 === 0) attackerDoc.getText('philosophy').delete(0, 1);
    }
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let attacker = fakeConnection();
    live.addConnection(attacker);
    let rejected = 0;
    for (let n = 0; n < 100_000; n++) {
      const source = pool[Math.floor(random() * pool.length)]!;
      const update = source.slice();
      const flips = 1 + Math.floor(random() * 3);
      for (let k = 0; k < flips; k++) update[Math.floor(random() * update.length)] = Math.floor(random() * 256);
      await live.whenReady();
      try {
        live.handleMessage(attacker, syncUpdateFrame(update));
      } catch {
        rejected++;
        live.removeConnection(attacker);
        attacker = fakeConnection();
        live.addConnection(attacker);
      }
      if (n % 5000 === 0) await new Promise((r) => setImmediate(r));
    }
    live.removeConnection(attacker);
    await live.whenReady();
    console.log(`fuzz: ${rejected} of 100,000 frames refused; ${live.reloads} applies failed half-way and were undone by a reload`);
    expect(rejected).toBeGreaterThan(50_000);

    // The honest clients were never disconnected and still converge with the testServer.server.
    expect(disconnects).toEqual([]);
    honest(a).insert(0, 'still ');
    await eventually(() => expect(honest(b).toString()).toBe('still honest'));
    await eventually(() => expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(live.doc)));
    expect(b.doc.getText('philosophy').toString()).toBe(live.doc.getText('philosophy').toString());
    expect(live.doc.getText('memo:brand').toString()).toBe('still honest');

    // What was stored loads again, without quarantining anything.
    a.destroy();
    b.destroy();
    await eventually(() => expect(testServer.server.app.docs.peek(name)).toBeUndefined(), 20_000);
    const c = open(name);
    await whenSynced(c);
    expect(c.doc.getText('memo:brand').toString()).toBe('still honest');
    const quarantined = await testServer.db.database.db.select().from(yjsQuarantine).where(eq(yjsQuarantine.docName, name));
    expect(quarantined).toEqual([]);
  }, 120_000);
});

describe('an update that decodes but fails half-way', () => {
  it('is undone: nothing sent or stored, the document reloads from storage, honest clients stay', async () => {
    // A fresh document, so the server's copy is built from exactly the updates below, in order.
    const facilitator = await setupFacilitator(testServer.server.origin);
    const event = await createEvent(facilitator, 'half-way');
    const dave = await joinAs(testServer.server.origin, event.joinCode, 'Dave', 'Delta通販');
    const name = sheetDocName(dave.eventCompanyId);
    const connect = () => {
      const provider = connectProvider(testServer.server.wsOrigin, name, { cookie: dave.client.cookie, doc: new Y.Doc() });
      providers.push(provider);
      return provider;
    };
    const honest = connect();
    const watcher = connect();
    await Promise.all([whenSynced(honest), whenSynced(watcher)]);
    const live = testServer.server.app.docs.peek(name)!;
    await live.whenReady();
    // Content the update will reference (a card map and a text), written by an honest client.
    const cards = honest.doc.getMap<Y.Map<unknown>>('cards');
    const updates: Uint8Array[] = [];
    honest.doc.on('update', (u: Uint8Array) => updates.push(u));
    cards.set('x', new Y.Map());
    cards.get('x')!.set('text', 'hello world');
    for (let i = 0; i < 20; i++) honest.doc.getText('t').insert(i, 'abc');
    await eventually(() => expect(live.doc.getText('t').length).toBe(60));

    // Find a mutation of those updates that passes the full decode but throws while applying
    // to this document (about 1 in 40 decodable mutations does).
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let poison: Uint8Array | undefined;
    for (let n = 0; n < 200_000 && !poison; n++) {
      const u = updates[Math.floor(random() * updates.length)]!.slice();
      const flips = 1 + Math.floor(random() * 3);
      for (let k = 0; k < flips; k++) u[Math.floor(random() * u.length)] = Math.floor(random() * 256);
      try {
        checkUpdate(u);
      } catch {
        continue;
      }
      const copy = new Y.Doc();
      for (const update of updates) Y.applyUpdate(copy, update);
      try {
        Y.applyUpdate(copy, u);
      } catch {
        poison = u;
      }
    }
    expect(poison).toBeDefined();

    // The watcher has had everything the honest client wrote (the frames were still on their way
    // while the synchronous search above ran), so what it receives from here on is the poison's.
    await eventually(() => expect(watcher.doc.getText('t').toString()).toBe(live.doc.getText('t').toString()));
    const before = Y.encodeStateVector(live.doc);
    const received: number[] = [];
    watcher.ws?.addEventListener('message', () => received.push(Date.now()));
    expect(await sendOnFreshSocket(name, syncUpdateFrame(poison!), dave.client.cookie)).toBe(CloseCode.ProtocolError.code);
    await eventually(() => expect(live.reloads).toBe(1));
    await live.whenReady();

    // Nothing of it anywhere: not in the live document, not sent, not stored.
    expect(Y.encodeStateVector(live.doc)).toEqual(before);
    expect(received).toEqual([]);
    // What is stored (once the write batch is done) is exactly the document before the poison.
    await new Promise((r) => setTimeout(r, 200));
    const stored = new Y.Doc();
    for (const row of await storedRows(name)) Y.applyUpdate(stored, row.update);
    expect(Y.encodeStateVector(stored)).toEqual(before);
    // The honest clients were not disconnected and keep syncing through the reloaded document.
    expect(honest.wsconnected && watcher.wsconnected).toBe(true);
    honest.doc.getText('t').insert(0, 'after ');
    await eventually(() => expect(watcher.doc.getText('t').toString().startsWith('after ')).toBe(true));
    expect(live.doc.getText('t').toString()).toBe(honest.doc.getText('t').toString());
  });
});

describe('loading never fails for a whole document because of one bad row', () => {
  it('quarantines the bad row (kept, counted in /healthz) and loads the rest', async () => {
    const name = sheetDocName(crypto.randomUUID());
    // Written straight to storage, as a failed or hostile past write would have left it.
    const good = new Y.Doc();
    const updates: Uint8Array[] = [];
    good.on('update', (u: Uint8Array) => updates.push(u));
    good.getText('philosophy').insert(0, 'first');
    const poison = realisticUpdates()[1]!;
    const cut = poison.slice(0, poison.byteLength - 3);
    good.getText('philosophy').insert(5, ' second');
    const db = testServer.db.database.db;
    await db.insert(yjsUpdates).values({ docName: name, update: updates[0]! });
    await db.insert(yjsUpdates).values({ docName: name, update: cut });
    await db.insert(yjsUpdates).values({ docName: name, update: updates[1]! });

    const doc = await testServer.server.app.docs.acquire(name);
    expect(doc.doc.getText('philosophy').toString()).toBe('first second');
    testServer.server.app.docs.release(name);

    const quarantined = await db.select().from(yjsQuarantine).where(eq(yjsQuarantine.docName, name));
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]!.source).toBe('update');
    expect([...quarantined[0]!.data]).toEqual([...cut]);
    expect((await storedRows(name)).map((r) => [...r.update])).toEqual([[...updates[0]!], [...updates[1]!]]);
    const health = (await (await fetch(`${testServer.server.origin}/healthz`)).json()) as { quarantinedYjsRows: number };
    expect(health.quarantinedYjsRows).toBe(1);
  });
});

function fakeConnection(): DocConnection {
  return {
    readOnly: false,
    owner: { userId: 'attacker' },
    send: () => {},
    notifyWriteDenied: () => {},
    reject: () => {},
  };
}
