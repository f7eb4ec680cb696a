// DocRegistry in a running server: documents without connections are saved and unloaded after
// unloadAfterMs, and connecting again before, during or after the unload still gets all content.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eq, sql } from 'drizzle-orm';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { yjsUpdates } from '../../../server/db/schema.ts';
import type { SyncedDoc } from '../../../server/sync/synced-doc.ts';

let testDb: TestDatabase;
let server: TestServer;
let cookie: string;
let facilitatorCookie: string;
let eventId: string;
let sheet: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  // A flush delay far longer than the unload delay: whatever is saved at unload was saved by the unload.
  server = await startTestServer(testDb.database, { sync: { unloadAfterMs: 150, flushDelayMs: 60_000 } });
  const facilitator = await setupFacilitator(server.origin);
  facilitatorCookie = facilitator.cookie!;
  const event = await createEvent(facilitator);
  eventId = event.id;
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
  cookie = alice.client.cookie!;
  sheet = sheetDocName(alice.eventCompanyId);
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

afterAll(async () => {
  await server?.close();
  await testDb?.drop();
});

/** Room boards are writable by the facilitator; worksheets by the company's participant. */
function open(docName: string, who = docName.startsWith('room:') ? facilitatorCookie : cookie) {
  const provider = connectProvider(server.wsOrigin, docName, { cookie: who, doc: new Y.Doc() });
  providers.push(provider);
  return provider;
}

function close(provider: WebsocketProvider) {
  providers.splice(providers.indexOf(provider), 1);
  provider.destroy();
}

async function newRoomDoc(): Promise<string> {
  const res = await fetch(`${server.origin}/api/events/${eventId}/rooms`, {
    method: 'POST',
    headers: { cookie: facilitatorCookie, origin: server.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Room ${Math.random().toString(36).slice(2, 8)}` }),
  });
  expect(res.status).toBe(201);
  return roomDocName(((await res.json()) as { id: string }).id);
}

async function rowCount(docName: string) {
  return (await testDb.database.db.select({ id: yjsUpdates.id }).from(yjsUpdates).where(eq(yjsUpdates.docName, docName))).length;
}

describe('DocRegistry unloading', () => {
  it('unloads a document after its last connection leaves, saving it first, and reloads it on the next connection', async () => {
    const a = open(sheet);
    await whenSynced(a);
    a.doc.getText('philosophy').insert(0, 'unload me');
    await eventually(() => expect(server.app.docs.peek(sheet)?.doc.getText('philosophy').toString()).toBe('unload me'));
    expect(await rowCount(sheet)).toBe(0); // still only queued (flush delay is a minute)

    close(a);
    await eventually(() => expect(server.app.docs.peek(sheet)).toBeUndefined());
    await eventually(async () => expect(await rowCount(sheet)).toBeGreaterThan(0));

    const b = open(sheet);
    await whenSynced(b);
    expect(b.doc.getText('philosophy').toString()).toBe('unload me');
    expect(server.app.docs.peek(sheet)?.doc.getText('philosophy').toString()).toBe('unload me');
  });

  it('keeps a document loaded while any connection remains, and a quick reconnect still gets the content', async () => {
    const docName = await newRoomDoc();
    const a = open(docName);
    const b = open(docName);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const live = server.app.docs.peek(docName);
    expect(live).toBeDefined();
    close(a);
    // b is still connected: its edits keep flowing through the same in-memory document.
    b.doc.getMap('cards').set('k', 'v');
    await eventually(() => expect(live!.doc.getMap('cards').get('k')).toBe('v'));
    expect(server.app.docs.peek(docName)).toBe(live);

    // Leave and come back straight away: the same instance serves the newcomer.
    close(b);
    const c = open(docName);
    await whenSynced(c);
    expect(c.doc.getMap('cards').get('k')).toBe('v');
    // While c is connected the document stays loaded, whichever instance serves it.
    await new Promise((r) => setTimeout(r, 300)); // longer than unloadAfterMs
    expect(server.app.docs.peek(docName)?.doc.getMap('cards').get('k')).toBe('v');
    close(c);
    await eventually(() => expect(server.app.docs.peek(docName)).toBeUndefined());
  });

  it('a connection arriving while the document is being saved and unloaded waits and gets all content', async () => {
    const docName = await newRoomDoc();
    const a = open(docName);
    await whenSynced(a);
    for (let i = 0; i < 20; i++) a.doc.getArray('items').push([`item ${i}`]);
    await eventually(() => expect(server.app.docs.peek(docName)?.doc.getArray('items').length).toBe(20));

    // Hold a lock that blocks writes to yjs_updates, so the save done by the unload stays in flight.
    let releaseLock!: () => void;
    const lockReleased = new Promise<void>((resolve) => (releaseLock = resolve));
    let lockTaken!: () => void;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    const lockTx = testDb.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table yjs_updates in exclusive mode`);
      lockTaken();
      await lockReleased;
    });
    let reacquired: SyncedDoc | undefined;
    try {
      await locked;
      close(a);
      // The registry drops the document from memory when the unload starts (then saves it).
      await eventually(() => expect(server.app.docs.peek(docName)).toBeUndefined());
      const acquiring = server.app.docs.acquire(docName).then((doc) => (reacquired = doc));
      // A WebSocket client connecting now must wait as well.
      const b = open(docName);
      await new Promise((r) => setTimeout(r, 100));
      expect(reacquired).toBeUndefined(); // cannot load before the save it waits for has finished
      releaseLock();
      await lockTx;
      await acquiring;
      expect(reacquired!.doc.getArray('items').toArray()).toEqual(Array.from({ length: 20 }, (_, i) => `item ${i}`));
      await whenSynced(b);
      expect(b.doc.getArray('items').length).toBe(20);
      close(b);
    } finally {
      releaseLock();
      await lockTx.catch(() => {});
      if (reacquired) server.app.docs.release(docName);
    }
    await eventually(() => expect(server.app.docs.peek(docName)).toBeUndefined());
    expect(await rowCount(docName)).toBeGreaterThan(0);
  });

  it('many clients racing to reconnect around the unload all converge on the full content', async () => {
    const docName = await newRoomDoc();
    const a = open(docName);
    await whenSynced(a);
    a.doc.getText('t').insert(0, 'base');
    await eventually(() => expect(server.app.docs.peek(docName)?.doc.getText('t').toString()).toBe('base'));
    close(a);

    // Reconnect at staggered moments spanning the unload delay (before, around and after it).
    const late: WebsocketProvider[] = [];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 40));
      late.push(open(docName));
    }
    await Promise.all(late.map((p) => whenSynced(p)));
    late.forEach((p, i) => p.doc.getArray('who').push([i]));
    await eventually(() => {
      for (const p of late) {
        expect(p.doc.getText('t').toString()).toBe('base');
        expect([...p.doc.getArray<number>('who').toArray()].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      }
    });
  });
});
