// Updates that decode but cost everyone: subdocuments and floods of shared types (refused before
// Yjs builds them), delete sets and structs that build on changes the document does not have
// (Yjs would keep and re-decode them with every later update), a document just under its size
// cap (measured at most once a second), and a sender over its byte budget (slowed, nothing lost).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { checkUpdate, InvalidUpdate, MAX_ROOT_TYPES, MAX_TYPES_PER_UPDATE } from '../../../server/sync/update-check.ts';
import { FULL_DOC_MEASURE_INTERVAL_MS, MAX_DOC_BYTES, ProtocolViolation, SyncedDoc, type DocConnection, type WriteDenied } from '../../../server/sync/synced-doc.ts';
import { ByteBudget, WriteBudgets } from '../../../server/sync/write-budget.ts';
import { encodeSyncUpdate } from '../../../server/sync/y-messages.ts';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';

class Writer implements DocConnection {
  readonly readOnly = false;
  readonly denied: Array<WriteDenied | undefined> = [];
  readonly rejected: Error[] = [];
  send(): void {}
  notifyWriteDenied(why?: WriteDenied): void {
    this.denied.push(why);
  }
  reject(err: Error): void {
    this.rejected.push(err);
  }
}

/** Feeds a message the way YConnection does: what handleMessage throws rejects the connection. */
function deliver(doc: SyncedDoc, conn: Writer, message: Uint8Array): void {
  try {
    doc.handleMessage(conn, message);
  } catch (err) {
    conn.reject(err as Error);
  }
}

const newDoc = () => new SyncedDoc('sheet:test', new Y.Doc(), { onUpdate: () => {}, reload: async () => new Y.Doc() });

describe('checkUpdate', () => {
  it('passes every kind of content Yjs writes (maps, arrays, text with formats and embeds, XML, binary, JSON, deletions)', () => {
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    map.set('s', 'text');
    map.set('n', 1.5);
    map.set('o', { a: [1, 2, { b: null, c: true }] });
    map.set('bin', new Uint8Array([1, 2, 3]));
    map.set('nested', new Y.Map());
    doc.getArray('a').push([1, 'x', new Y.Array(), new Y.Text('hi')]);
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    text.format(1, 3, { bold: true });
    text.insertEmbed(4, { image: 'x.png' });
    const element = new Y.XmlElement('div');
    doc.getXmlFragment('x').push([element, new Y.XmlText('t')]);
    doc.getMap('hooks').set('h', new Y.XmlHook('hook'));
    element.setAttribute('class', 'c');
    doc.getArray('a').delete(0, 2);
    map.delete('s');
    expect(() => checkUpdate(Y.encodeStateAsUpdate(doc))).not.toThrow();
  });

  it('passes random edits of many clients, as incremental updates and as whole states', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const docs = Array.from({ length: 3 }, () => new Y.Doc());
    for (let round = 0; round < 200; round++) {
      const doc = docs[Math.floor(random() * docs.length)]!;
      const before = Y.encodeStateVector(doc);
      const list = doc.getArray<unknown>('list');
      const pick = random();
      if (pick < 0.3) list.insert(Math.floor(random() * (list.length + 1)), [new Y.Map([['text', 'x'.repeat(Math.floor(random() * 20))]])]);
      else if (pick < 0.5 && list.length > 0) list.delete(Math.floor(random() * list.length));
      else if (pick < 0.8) doc.getText('memo').insert(0, String(round));
      else doc.getMap('figures').set(`f${round % 7}`, random());
      const update = Y.encodeStateAsUpdate(doc, before);
      expect(() => checkUpdate(update)).not.toThrow();
      for (const other of docs) if (other !== doc) Y.applyUpdate(other, update);
    }
    for (const doc of docs) expect(() => checkUpdate(Y.encodeStateAsUpdate(doc))).not.toThrow();
  });

  it('refuses a subdocument, wherever it sits in the update', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 50; i++) doc.getArray('rows').push([new Y.Map([['i', i]])]);
      doc.getMap('m').set('sub', new Y.Doc());
    });
    expect(() => checkUpdate(Y.encodeStateAsUpdate(doc))).toThrow(/subdocument/);
  });

  it('refuses a 200,000-subdocument update without building them', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 200_000; i++) doc.getMap('m').set(`k${i}`, new Y.Doc({ guid: String(i) }));
    });
    const update = Y.encodeStateAsUpdate(doc);
    const heapBefore = process.memoryUsage().heapUsed;
    expect(() => checkUpdate(update)).toThrow(InvalidUpdate);
    // Building them would take hundreds of MB (and seconds); the scan allocates next to nothing.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it(`refuses more than ${MAX_TYPES_PER_UPDATE} new shared types in one update, takes that many`, () => {
    const make = (n: number) => {
      const doc = new Y.Doc();
      doc.transact(() => {
        for (let i = 0; i < n; i++) doc.getArray('a').push([new Y.Map()]);
      });
      return Y.encodeStateAsUpdate(doc);
    };
    expect(() => checkUpdate(make(MAX_TYPES_PER_UPDATE))).not.toThrow();
    expect(() => checkUpdate(make(MAX_TYPES_PER_UPDATE + 1))).toThrow(/shared types/);
    // Another node's updates were checked there and may be several merged: no cap on types.
    expect(() => checkUpdate(make(MAX_TYPES_PER_UPDATE + 1), { maxTypes: Infinity })).not.toThrow();
  });
});

describe('root types', () => {
  const rootsUpdate = (names: string[]) => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const name of names) doc.getArray(name).push([0]);
    });
    return Y.encodeStateAsUpdate(doc);
  };

  it(`an update naming more than ${MAX_ROOT_TYPES} root types is refused by the scan (100,000 froze the server for 73 s)`, () => {
    expect(() => checkUpdate(rootsUpdate(Array.from({ length: 1_000 }, (_, i) => `r${i}`)))).toThrow(/root types/);
    expect(checkUpdate(rootsUpdate(['a', 'b'])).rootNames).toEqual(new Set(['a', 'b']));
  });

  it(`a document keeps at most ${MAX_ROOT_TYPES}, whatever the updates: a worksheet's own roots fit`, () => {
    const doc = newDoc();
    const writer = new Writer();
    doc.addConnection(writer);
    // A worksheet's roots (philosophy, figures, cards, and per element doing / not-yet / memo).
    const worksheet = ['philosophy', 'actuals', 'cards', ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].flatMap((e) => [`doing:${e}`, `notYet:${e}`, `memo:${e}`])];
    deliver(doc, writer, encodeSyncUpdate(rootsUpdate(worksheet)));
    expect(writer.rejected).toEqual([]);
    const more = Array.from({ length: MAX_ROOT_TYPES - worksheet.length }, (_, i) => `extra${i}`);
    deliver(doc, writer, encodeSyncUpdate(rootsUpdate(more)));
    expect(writer.rejected).toEqual([]);
    deliver(doc, writer, encodeSyncUpdate(rootsUpdate(['one-too-many'])));
    expect(writer.rejected).toHaveLength(1);
    expect(doc.doc.share.size).toBe(MAX_ROOT_TYPES);
  });
});

describe('an update that builds on changes the document does not have', () => {
  it('is refused (the connection reconnects) and leaves nothing pending that later edits would pay for', () => {
    const doc = newDoc();
    const attacker = new Writer();
    const honest = new Writer();
    doc.addConnection(attacker);
    doc.addConnection(honest);
    // Deletions of another client's items the document has never seen.
    const stranger = new Y.Doc();
    stranger.getText('memo').insert(0, 'x'.repeat(100));
    const known = Y.encodeStateVector(stranger);
    stranger.getText('memo').delete(0, 100);
    const deletesOnly = Y.encodeStateAsUpdate(stranger, known);
    deliver(doc, attacker, encodeSyncUpdate(deletesOnly));
    expect(attacker.rejected).toHaveLength(1);
    expect(attacker.rejected[0]).toBeInstanceOf(ProtocolViolation);
    expect(doc.doc.store.pendingDs).toBeNull();

    // Structs that continue a client's clock the document has not reached.
    const gap = new Y.Doc();
    gap.getText('memo').insert(0, 'first');
    const afterFirst = Y.encodeStateVector(gap);
    gap.getText('memo').insert(5, ' second');
    deliver(doc, attacker, encodeSyncUpdate(Y.encodeStateAsUpdate(gap, afterFirst)));
    expect(attacker.rejected).toHaveLength(2);
    expect(doc.doc.store.pendingStructs).toBeNull();

    // An honest client's edit goes through as usual.
    const colleague = new Y.Doc();
    colleague.getText('memo').insert(0, 'ok');
    deliver(doc, honest, encodeSyncUpdate(Y.encodeStateAsUpdate(colleague)));
    expect(honest.rejected).toEqual([]);
    expect(doc.doc.getText('memo').toString()).toBe('ok');
  });
});

describe('a document just under its size cap', () => {
  it('is measured at most once a second however many small writes arrive', () => {
    const doc = newDoc();
    const writer = new Writer();
    doc.addConnection(writer);
    const client = new Y.Doc();
    const fill = (text: string) => {
      const before = Y.encodeStateVector(client);
      client.getText('memo').insert(client.getText('memo').length, text);
      deliver(doc, writer, encodeSyncUpdate(Y.encodeStateAsUpdate(client, before)));
    };
    fill('a'.repeat(MAX_DOC_BYTES - 2_000));
    expect(writer.denied).toEqual([]);
    const measuredAfterFill = doc.sizeMeasurements;
    const started = Date.now();
    for (let i = 0; i < 50; i++) fill('b'.repeat(1_000));
    // One measurement per interval begun: on a loaded CI machine the 50 writes can take over a second.
    const intervals = Math.floor((Date.now() - started) / FULL_DOC_MEASURE_INTERVAL_MS) + 1;
    // A write or two still fit; then every one is refused without encoding the document again.
    expect(writer.denied.length).toBeGreaterThanOrEqual(48);
    expect(writer.denied.every((why) => why === 'document-full')).toBe(true);
    expect(intervals).toBeLessThan(10);
    expect(doc.sizeMeasurements - measuredAfterFill).toBeLessThanOrEqual(intervals);
  });
});

describe('write budgets', () => {
  it('go into debt by what was spent and say how long to wait; refill over time', () => {
    let now = 0;
    const budget = new ByteBudget({ burstBytes: 1_000, bytesPerSecond: 100 }, () => now);
    budget.spend(600);
    expect(budget.readyIn()).toBe(0);
    budget.spend(600);
    expect(budget.readyIn()).toBe(2_000); // 200 bytes of debt at 100 bytes/s
    now += 2_000;
    expect(budget.readyIn()).toBe(0);
    expect(budget.full).toBe(false);
    now += 10_000;
    expect(budget.full).toBe(true);
  });

  it('forget budgets that refilled', () => {
    const budgets = new WriteBudgets({ burstBytes: 1_000, bytesPerSecond: 1_000_000 });
    budgets.of('a');
    budgets.of('b').spend(10);
    expect(budgets.size).toBe(2);
    budgets.sweep();
    expect(budgets.size).toBeLessThanOrEqual(1);
  });
});

describe('a sender over its byte budget (real server)', () => {
  // 20 KB at once, then 20 KB/s: 100 KB takes the server ~4 s to take in.
  const testServer = serverPerFile({ sync: { writeBudget: { burstBytes: 20_000, bytesPerSecond: 20_000 } } });
  const providers: WebsocketProvider[] = [];
  let cookie: string;
  let colleagueCookie: string;
  let docName: string;

  beforeAll(async () => {
    const facilitator = await setupFacilitator(testServer.server.origin);
    const event = await createEvent(facilitator);
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
    const carol = await joinAs(testServer.server.origin, event.joinCode, 'Carol', 'Acme通販');
    cookie = alice.client.cookie!;
    colleagueCookie = carol.client.cookie!;
    docName = sheetDocName(alice.eventCompanyId);
  });

  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });

  it('is slowed down, not refused: every edit arrives in order, and a colleague is served meanwhile', async () => {
    const sender = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() });
    const colleague = connectProvider(testServer.server.wsOrigin, docName, { cookie: colleagueCookie, doc: new Y.Doc() });
    providers.push(sender, colleague);
    await Promise.all([whenSynced(sender), whenSynced(colleague)]);
    let disconnects = 0;
    sender.on('status', ({ status }: { status: string }) => status === 'disconnected' && disconnects++);
    const memo = sender.doc.getText('memo');
    for (let i = 0; i < 50; i++) memo.insert(memo.length, `${String(i).padStart(2, '0')}${'x'.repeat(2_000)}|`);
    // The server's copy is behind the sender for a while (the budget), not refused.
    await new Promise((r) => setTimeout(r, 300));
    const seenEarly = testServer.server.app.docs.peek(docName)?.doc.getText('memo').length ?? 0;
    expect(seenEarly).toBeLessThan(memo.length);
    // A colleague's edit on another connection is not stuck behind the sender's queue.
    colleague.doc.getMap('figures').set('x', 1);
    await eventually(() => expect(sender.doc.getMap('figures').get('x')).toBe(1));
    // Everything arrives, in order, on the same connection.
    await eventually(() => expect(colleague.doc.getText('memo').toString()).toBe(memo.toString()), 15_000);
    expect(disconnects).toBe(0);
  });
});

describe('one user on many connections, and a teammate sending junk (real server)', () => {
  // 20 KB at once, then 20 KB/s per user.
  const testServer = serverPerFile({ sync: { writeBudget: { burstBytes: 20_000, bytesPerSecond: 20_000 } } });
  const providers: WebsocketProvider[] = [];
  let joinCode: string;
  beforeAll(async () => {
    const facilitator = await setupFacilitator(testServer.server.origin);
    joinCode = (await createEvent(facilitator)).joinCode;
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });

  it('overdraws the budget by one message at a time, however many connections the user holds', async () => {
    const owner = await joinAs(testServer.server.origin, joinCode, 'Alice', 'Acme通販');
    const docName = sheetDocName(owner.eventCompanyId);
    const tabs = Array.from({ length: 8 }, () => connectProvider(testServer.server.wsOrigin, docName, { cookie: owner.client.cookie, doc: new Y.Doc() }));
    providers.push(...tabs);
    await Promise.all(tabs.map((t) => whenSynced(t)));
    // Each tab sends one 25 KB edit at the same moment: more than the whole burst each.
    tabs.forEach((tab, i) => tab.doc.getMap('figures').set(`tab${i}`, 'x'.repeat(25_000)));
    await new Promise((r) => setTimeout(r, 400));
    const applied = () => [...(testServer.server.app.docs.peek(docName)?.doc.getMap('figures').keys() ?? [])].length;
    expect(applied()).toBeLessThanOrEqual(2);
    // Nothing is lost: each arrives once the budget allows (~1.3 s apiece).
    await eventually(() => expect(applied()).toBe(8), 20_000);
  });

  it('a teammate’s refused junk costs only the teammate: the others’ edits go through at once', async () => {
    const bob = await joinAs(testServer.server.origin, joinCode, 'Bob', 'Beta商店');
    const teammate = await joinAs(testServer.server.origin, joinCode, 'Mallory', 'Beta商店');
    const docName = sheetDocName(bob.eventCompanyId);
    const writer = connectProvider(testServer.server.wsOrigin, docName, { cookie: bob.client.cookie, doc: new Y.Doc() });
    const peer = connectProvider(testServer.server.wsOrigin, docName, { cookie: bob.client.cookie, doc: new Y.Doc() });
    providers.push(writer, peer);
    await Promise.all([whenSynced(writer), whenSynced(peer)]);
    // The teammate sends 200 KB of an update that does not decode, ten times its burst.
    const junk = new Uint8Array(200_000).fill(0xff);
    junk[0] = 0; // sync
    junk[1] = 2; // update
    const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie: teammate.client.cookie!, origin: testServer.server.origin } });
    ws.on('error', () => {});
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.send(junk);
    await new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const memo = writer.doc.getText('memo');
    for (let i = 0; i < 5; i++) {
      memo.insert(memo.length, String(i));
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(() => expect(peer.doc.getText('memo').toString()).toBe('01234'), 2_000);
  });
});
