// The Yjs endpoint with stock y-websocket clients: convergence, awareness, persistence across a
// restart, and permissions enforced by the server.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';

let testDb: TestDatabase;
let server: TestServer;
const providers: WebsocketProvider[] = [];

function open(docName: string, cookie: string | undefined, doc = new Y.Doc()) {
  const provider = connectProvider(server.wsOrigin, docName, { cookie, doc });
  providers.push(provider);
  return provider;
}

beforeEach(async () => {
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database);
});

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await server.close();
  await testDb.drop();
});

async function twoCompanies() {
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
  const bob = await joinAs(server.origin, event.joinCode, 'Bob', 'Acme通販');
  const carol = await joinAs(server.origin, event.joinCode, 'Carol', 'Beta本舗');
  return { facilitator, event, alice, bob, carol };
}

describe('Yjs sync', () => {
  it('two participants of the same company converge both ways and see each other in awareness', async () => {
    const { alice, bob } = await twoCompanies();
    expect(alice.eventCompanyId).toBe(bob.eventCompanyId);
    const name = sheetDocName(alice.eventCompanyId);
    const a = open(name, alice.client.cookie);
    const b = open(name, bob.client.cookie);
    await Promise.all([whenSynced(a), whenSynced(b)]);

    a.doc.getText('philosophy').insert(0, 'お客様の一生に寄り添う');
    await eventually(() => expect(b.doc.getText('philosophy').toString()).toBe('お客様の一生に寄り添う'));
    b.doc.getText('philosophy').insert(0, '【理念】');
    await eventually(() => expect(a.doc.getText('philosophy').toString()).toBe('【理念】お客様の一生に寄り添う'));

    a.awareness.setLocalStateField('user', { name: 'Alice', element: 'customers' });
    await eventually(() => {
      const states = [...b.awareness.getStates().values()];
      expect(states).toContainEqual({ user: { name: 'Alice', element: 'customers' } });
    });
  });

  it('keeps document content across a server restart on the same database', async () => {
    const { alice } = await twoCompanies();
    const name = sheetDocName(alice.eventCompanyId);
    const a = open(name, alice.client.cookie);
    await whenSynced(a);
    a.doc.getText('philosophy').insert(0, '再起動しても残る');
    a.doc.getArray('doing:customers').push(['会員制度']);
    // Let the update reach the server before it stops; close() flushes it to the database.
    await eventually(() => expect(server.app.docs.peek(name)?.doc.getText('philosophy').toString()).toBe('再起動しても残る'));
    a.destroy();
    await server.close();

    server = await startTestServer(testDb.database);
    const fresh = open(name, alice.client.cookie);
    await whenSynced(fresh);
    expect(fresh.doc.getText('philosophy').toString()).toBe('再起動しても残る');
    expect(fresh.doc.getArray('doing:customers').toArray()).toEqual(['会員制度']);
  });

  it("sends the document's content in the first reply (loaded before answering)", async () => {
    const { alice } = await twoCompanies();
    const name = sheetDocName(alice.eventCompanyId);
    const a = open(name, alice.client.cookie);
    await whenSynced(a);
    a.doc.getText('philosophy').insert(0, 'x'.repeat(100));
    await eventually(() => expect(server.app.docs.peek(name)?.doc.getText('philosophy').length).toBe(100));
    a.destroy();
    // Wait until the document is unloaded, so the next connection must load it from the database.
    await eventually(() => expect(server.app.docs.peek(name)).toBeUndefined());
    const b = open(name, alice.client.cookie);
    await whenSynced(b);
    expect(b.doc.getText('philosophy').length).toBe(100);
  });

  it("lets a participant read but not write another company's worksheet", async () => {
    const { alice, carol } = await twoCompanies();
    const betaSheet = sheetDocName(carol.eventCompanyId);
    const owner = open(betaSheet, carol.client.cookie);
    const intruder = open(betaSheet, alice.client.cookie);
    await Promise.all([whenSynced(owner), whenSynced(intruder)]);

    owner.doc.getText('philosophy').insert(0, 'Beta の理念');
    await eventually(() => expect(intruder.doc.getText('philosophy').toString()).toBe('Beta の理念'));

    // The stock provider reports the server's permission-denied message with console.warn.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    intruder.doc.getText('philosophy').insert(0, 'HACKED ');
    await eventually(() => expect(warn.mock.calls.flat().join(' ')).toContain('Permission denied'));
    warn.mockRestore();
    // A later write by the owner still arrives, and the intruder's text never reached the server or the owner.
    owner.doc.getText('philosophy').insert(owner.doc.getText('philosophy').length, '！');
    await eventually(() => expect(intruder.doc.getText('philosophy').toString()).toContain('！'));
    expect(server.app.docs.peek(betaSheet)?.doc.getText('philosophy').toString()).toBe('Beta の理念！');
    expect(owner.doc.getText('philosophy').toString()).toBe('Beta の理念！');
  });

  it('refuses users of another event, missing cookies and foreign origins before sending any document byte', async () => {
    const { alice } = await twoCompanies();
    const facilitator2 = await setupFacilitator(server.origin);
    const otherEvent = await createEvent(facilitator2, '別の勉強会');
    const stranger = await joinAs(server.origin, otherEvent.joinCode, 'Mallory', 'Gamma');
    const name = sheetDocName(alice.eventCompanyId);

    expect(await upgradeStatus(name, { cookie: stranger.client.cookie })).toBe(403);
    expect(await upgradeStatus(name, {})).toBe(401);
    expect(await upgradeStatus(name, { cookie: alice.client.cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(name, { cookie: alice.client.cookie, origin: null })).toBe(403);
    expect(await upgradeStatus('sheet:not-a-uuid', { cookie: alice.client.cookie })).toBe(404);
    expect(await upgradeStatus(name, { cookie: alice.client.cookie })).toBe(101);
  });
});

/** The HTTP status the server answers a WebSocket upgrade with (101 = accepted). */
function upgradeStatus(docName: string, opts: { cookie?: string; origin?: string | null }): Promise<number> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  const origin = opts.origin === undefined ? server.origin : opts.origin;
  if (origin) headers.origin = origin;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsOrigin}/yjs/${docName}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('message', () => reject(new Error('a refused socket received data')));
    ws.on('error', () => {});
  });
}
