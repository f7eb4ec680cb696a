// Hostile or broken frames on the Yjs endpoint: each closes only the offending socket with the
// right close code; the other clients on the same document keep syncing and the server stays up.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { participantOnOwnSheet } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';

const MAX_MESSAGE_BYTES = 64 * 1024;

const testServer = serverPerFile({ sync: { maxMessageBytes: MAX_MESSAGE_BYTES } });
let cookie: string;
let docName: string;
const providers: WebsocketProvider[] = [];
const rawSockets: WebSocket[] = [];

beforeAll(async () => {
  ({ cookie, docName } = await participantOnOwnSheet(testServer.server.origin));
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
  for (const ws of rawSockets.splice(0)) ws.terminate();
});

function open(doc = new Y.Doc()) {
  const provider = connectProvider(testServer.server.wsOrigin, docName, { cookie, doc });
  providers.push(provider);
  return provider;
}

/** Deterministic "random" bytes (mulberry32), so a failure can be replayed. */
function seededBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

interface RawSocket {
  ws: WebSocket;
  /** Resolves with the close code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the socket is open and the server has sent its first message (the document is attached). */
  ready: Promise<void>;
  /** Resolves as soon as the socket is open. */
  opened: Promise<void>;
}

/** A bare `ws` client on the Yjs endpoint, authenticated like a browser. */
function openRaw(): RawSocket {
  const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: testServer.server.origin } });
  rawSockets.push(ws);
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  const ready = new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed with ${code} before the first server message`)));
  });
  ready.catch(() => {});
  return { ws, closed, ready, opened };
}

type Case = {
  name: string;
  expected: number;
  send: (ws: WebSocket) => void;
  /** Send right after the socket opens instead of waiting for the server's first message. */
  early?: boolean;
};

const cases: Case[] = [
  { name: '256 random bytes', expected: CloseCode.ProtocolError.code, send: (ws) => ws.send(seededBytes(1, 256)) },
  { name: 'a truncated varint (single 0xFF byte)', expected: CloseCode.ProtocolError.code, send: (ws) => ws.send(Uint8Array.of(0xff)) },
  {
    name: 'a sync update whose payload is shorter than its length prefix',
    expected: CloseCode.ProtocolError.code,
    // [sync][update][length 100][only 3 bytes]
    send: (ws) => ws.send(Uint8Array.of(0, 2, 100, 1, 2, 3)),
  },
  {
    name: 'a sync step 1 with a truncated state vector',
    expected: CloseCode.ProtocolError.code,
    send: (ws) => ws.send(Uint8Array.of(0, 0, 50, 1)),
  },
  { name: 'an unknown message type', expected: CloseCode.ProtocolError.code, send: (ws) => ws.send(Uint8Array.of(42, 0, 0)) },
  { name: 'an unknown sync step', expected: CloseCode.ProtocolError.code, send: (ws) => ws.send(Uint8Array.of(0, 9, 0)) },
  { name: 'an empty binary frame', expected: CloseCode.ProtocolError.code, send: (ws) => ws.send(new Uint8Array(0)) },
  {
    name: 'a malformed frame sent before the first server message',
    expected: CloseCode.ProtocolError.code,
    early: true,
    send: (ws) => ws.send(Uint8Array.of(0xff)),
  },
  { name: 'a text frame', expected: CloseCode.UnsupportedData.code, send: (ws) => ws.send('hello, I am text') },
  {
    // Each is 4 bytes and asks for the whole document (or everyone's presence) encoded anew.
    name: '50 sync step 1 requests at once (a client sends one when it connects)',
    expected: CloseCode.ProtocolError.code,
    send: (ws) => {
      for (let i = 0; i < 50; i++) ws.send(Uint8Array.of(0, 0, 1, 0));
    },
  },
  {
    name: '50 awareness queries at once',
    expected: CloseCode.ProtocolError.code,
    send: (ws) => {
      for (let i = 0; i < 50; i++) ws.send(Uint8Array.of(3));
    },
  },
  {
    name: 'a 100 KiB frame (limit 64 KiB)',
    expected: CloseCode.MessageTooBig.code,
    send: (ws) => ws.send(new Uint8Array(100 * 1024).fill(7)),
  },
];

describe('malformed frames on /yjs/<docName>', () => {
  it.each(cases)('$name closes only that socket with $expected', async ({ name, expected, send, early }) => {
    const a = open();
    const b = open();
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const disconnects: string[] = [];
    a.on('status', ({ status }: { status: string }) => status === 'disconnected' && disconnects.push('a'));
    b.on('status', ({ status }: { status: string }) => status === 'disconnected' && disconnects.push('b'));

    const raw = openRaw();
    await (early ? raw.opened : raw.ready);
    send(raw.ws);
    const { code } = await raw.closed;
    expect(code).toBe(expected);

    // The well-behaved clients on the same document still sync, both ways.
    a.doc.getArray<string>('log').push([`a after ${name}`]);
    await eventually(() => expect(b.doc.getArray<string>('log').toArray()).toContain(`a after ${name}`));
    b.doc.getArray<string>('log').push([`b after ${name}`]);
    await eventually(() => expect(a.doc.getArray<string>('log').toArray()).toContain(`b after ${name}`));
    expect(disconnects).toEqual([]);
    expect(a.wsconnected && b.wsconnected).toBe(true);

    // A newcomer gets everything, and the server's copy holds no trace of the bad frame.
    const c = open();
    await whenSynced(c);
    await eventually(() =>
      expect(c.doc.getArray<string>('log').toArray()).toEqual(expect.arrayContaining([`a after ${name}`, `b after ${name}`])),
    );
    expect(c.doc.getArray<string>('log').toArray()).toEqual(a.doc.getArray<string>('log').toArray());

    const health = await fetch(`${testServer.server.origin}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a flood of malformed sockets at once leaves the server and other clients working', async () => {
    const a = open();
    const b = open();
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const raws = Array.from({ length: 20 }, () => openRaw());
    await Promise.all(raws.map((r) => r.opened));
    raws.forEach((r, i) => r.ws.send(i % 2 === 0 ? seededBytes(100 + i, 64) : 'text'));
    const codes = await Promise.all(raws.map((r) => r.closed.then((c) => c.code)));
    expect(codes).toEqual(raws.map((_, i) => (i % 2 === 0 ? CloseCode.ProtocolError.code : CloseCode.UnsupportedData.code)));

    a.doc.getText('flood').insert(0, 'still alive');
    await eventually(() => expect(b.doc.getText('flood').toString()).toBe('still alive'));
    expect((await fetch(`${testServer.server.origin}/healthz`)).status).toBe(200);
  });
});
