// Presence cannot be flooded: one connection may own only a few awareness ids, and each state is
// small. Beyond that the connection is closed, nothing of its message is applied, and the
// presence newcomers download stays small.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { participantOnOwnSheet } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';
import { MAX_AWARENESS_IDS_PER_CONNECTION, MAX_AWARENESS_STATE_BYTES } from '../../../server/sync/awareness-check.ts';
import { MAX_DOC_CONNECTIONS_PER_SESSION } from '../../../server/plugins/yjs-sync.ts';

const testServer = serverPerFile();
let cookie: string;
let docName: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  ({ cookie, docName } = await participantOnOwnSheet(testServer.server.origin));
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

function awarenessFrame(entries: Array<{ id: number; clock?: number; state: unknown }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.id);
    encoding.writeVarUint(inner, e.clock ?? 1);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1); // awareness
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

async function rawSocket() {
  const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: testServer.server.origin } });
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => ws.once('message', () => resolve()));
  return { ws, closed };
}

function presentIds(): number[] {
  return [...(testServer.server.app.docs.peek(docName)?.awareness.getStates().keys() ?? [])];
}

describe('presence limits', () => {
  it(`closes a connection that presents more than ${MAX_AWARENESS_IDS_PER_CONNECTION} ids in one message, applying none`, async () => {
    const honest = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() });
    providers.push(honest);
    await whenSynced(honest);
    honest.awareness.setLocalState({ name: 'Alice' });
    await eventually(() => expect(presentIds()).toContain(honest.doc.clientID));

    const { ws, closed } = await rawSocket();
    const flood = Array.from({ length: 900 }, (_, i) => ({ id: 1_000_000 + i, state: { name: `ghost ${i}` } }));
    ws.send(awarenessFrame(flood));
    expect(await closed).toBe(CloseCode.ProtocolError.code);
    expect(presentIds()).toEqual([honest.doc.clientID]);
    expect(honest.wsconnected).toBe(true);
  });

  it('closes a connection that adds ids one message at a time past the limit, and removes its presence', async () => {
    const { ws, closed } = await rawSocket();
    for (let i = 0; i <= MAX_AWARENESS_IDS_PER_CONNECTION; i++) ws.send(awarenessFrame([{ id: 2_000_000 + i, state: { name: `g${i}` } }]));
    expect(await closed).toBe(CloseCode.ProtocolError.code);
    await eventually(() => expect(presentIds().filter((id) => id >= 2_000_000)).toEqual([]));
  });

  it('allows a few ids per connection (a reload or reconnect reuses them)', async () => {
    const { ws, closed } = await rawSocket();
    for (let i = 0; i < MAX_AWARENESS_IDS_PER_CONNECTION; i++) ws.send(awarenessFrame([{ id: 3_000_000 + i, state: { name: `ok${i}` } }]));
    ws.send(awarenessFrame([{ id: 3_000_000, clock: 2, state: { name: 'ok again' } }]));
    await eventually(() => expect(presentIds().filter((id) => id >= 3_000_000).length).toBe(MAX_AWARENESS_IDS_PER_CONNECTION));
    ws.close();
    expect(await closed).toBe(1005);
  });

  it(`closes a connection whose state exceeds ${MAX_AWARENESS_STATE_BYTES} bytes`, async () => {
    const { ws, closed } = await rawSocket();
    ws.send(awarenessFrame([{ id: 4_000_000, state: { name: 'x'.repeat(MAX_AWARENESS_STATE_BYTES + 1) } }]));
    expect(await closed).toBe(CloseCode.ProtocolError.code);
    expect(presentIds()).not.toContain(4_000_000);
  });

  it('does not apply the first entries of a message whose later entry is malformed', async () => {
    const { ws, closed } = await rawSocket();
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 2);
    encoding.writeVarUint(inner, 5_000_000);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, JSON.stringify({ name: 'first' }));
    encoding.writeVarUint(inner, 5_000_001);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, '{not json');
    const outer = encoding.createEncoder();
    encoding.writeVarUint(outer, 1);
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
    ws.send(encoding.toUint8Array(outer));
    expect(await closed).toBe(CloseCode.ProtocolError.code);
    expect(presentIds()).not.toContain(5_000_000);
  });
});

describe('a stock y-websocket client among many present', () => {
  // A stock WebsocketProvider sends back every presence change it receives: joining a document
  // where more than MAX_AWARENESS_IDS_PER_CONNECTION people are present, it echoes all their states
  // in one message. That echo changes nothing and must not close it (it was closed with 1002 and
  // reconnected in a loop, every stock client of a busy document).
  it('stays connected when it echoes the presence of everyone there', async () => {
    const present = Array.from({ length: MAX_AWARENESS_IDS_PER_CONNECTION + 3 }, () => connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() }));
    providers.push(...present);
    await Promise.all(present.map((p) => whenSynced(p)));
    present.forEach((p, i) => p.awareness.setLocalState({ name: `present ${i}` }));
    await eventually(() => expect(present.every((p) => presentIds().includes(p.doc.clientID))).toBe(true));

    const newcomer = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc: new Y.Doc() });
    providers.push(newcomer);
    const closes: number[] = [];
    newcomer.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
    await whenSynced(newcomer);
    await eventually(() => expect(newcomer.awareness.getStates().size).toBeGreaterThan(MAX_AWARENESS_IDS_PER_CONNECTION + 3));
    await new Promise((r) => setTimeout(r, 500));
    expect(closes).toEqual([]);
    expect(newcomer.wsconnected).toBe(true);
  });
});

describe('documents open per sign-in', () => {
  /** The HTTP status of a Yjs upgrade (101 = accepted); the socket stays open in `open`. */
  const open: WebSocket[] = [];
  const upgrade = () =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: testServer.server.origin } });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => {
        open.push(ws);
        resolve(101);
      });
      ws.on('error', () => {});
    });

  it(`are at most ${MAX_DOC_CONNECTIONS_PER_SESSION}: the next upgrade is refused with 429 until one closes`, async () => {
    try {
      const statuses = await Promise.all(Array.from({ length: MAX_DOC_CONNECTIONS_PER_SESSION }, upgrade));
      expect(statuses.every((s) => s === 101)).toBe(true);
      expect(await upgrade()).toBe(429);
      open.pop()!.close();
      await eventually(async () => expect(await upgrade()).toBe(101));
    } finally {
      for (const ws of open.splice(0)) ws.terminate();
    }
  });
});
