// The socket.io control plane with a real socket.io-client, over the WebSocket transport and over
// HTTP long-polling: handshake authentication (cookie + Origin), whoami, event subscriptions and
// pushes from HTTP changes; and socket.io side by side with the Yjs endpoint on one testServer.server.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/control-events.ts';

type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Transport = 'websocket' | 'polling' | 'polling+upgrade';

const testServer = serverPerFile();
let facilitator: ApiClient;
let eventId: string;
let alice: { client: ApiClient; userId: string; eventCompanyId: string };
let otherEventId: string;
let mallory: { client: ApiClient; userId: string };
const sockets: ControlSocket[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
  const other = await createEvent(facilitator, '別の勉強会');
  otherEventId = other.id;
  mallory = await joinAs(testServer.server.origin, other.joinCode, 'Mallory', 'Gamma');
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const p of providers.splice(0)) p.destroy();
});

function connect(transport: Transport, headers: { cookie?: string; origin?: string | null }): ControlSocket {
  const extraHeaders: Record<string, string> = {};
  if (headers.cookie) extraHeaders.cookie = headers.cookie;
  const origin = headers.origin === undefined ? testServer.server.origin : headers.origin;
  if (origin) extraHeaders.origin = origin;
  const socket: ControlSocket = io(testServer.server.origin, {
    extraHeaders,
    reconnection: false,
    forceNew: true,
    ...(transport === 'websocket' ? { transports: ['websocket'] } : {}),
    ...(transport === 'polling' ? { transports: ['polling'] } : {}),
  });
  sockets.push(socket);
  return socket;
}

/** Resolves 'connected' or the connect_error message, whichever comes first. */
function outcome(socket: ControlSocket): Promise<{ connected: true } | { connected: false; error: string }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (err) => resolve({ connected: false, error: err.message }));
  });
}

async function connected(socket: ControlSocket): Promise<ControlSocket> {
  const result = await outcome(socket);
  if (!result.connected) throw new Error(`socket.io connection refused: ${result.error}`);
  return socket;
}

async function postRoom(name: string) {
  const res = await facilitator.post(`/api/events/${eventId}/rooms`, { name });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe.each<Transport>(['websocket', 'polling', 'polling+upgrade'])('socket.io control plane over %s', (transport) => {
  it('refuses a connection without a session cookie', async () => {
    const socket = connect(transport, {});
    // Refused at the engine.io handshake (403, 「ログインが必要です」; handshake-limits.test.ts reads
    // the answer), before a session exists: the client only sees its transport fail.
    const result = await outcome(socket);
    expect(result.connected).toBe(false);
    expect(socket.connected).toBe(false);
  });

  it('refuses a connection with an unknown session cookie', async () => {
    const socket = connect(transport, { cookie: 'kizuki_session=not-a-real-session-token' });
    expect((await outcome(socket)).connected).toBe(false);
  });

  it('refuses a connection from a foreign Origin, or with no Origin, even with a valid cookie', async () => {
    for (const origin of ['http://evil.example', null]) {
      const socket = connect(transport, { cookie: alice.client.cookie, origin });
      const result = await outcome(socket);
      expect(result.connected).toBe(false);
      expect(socket.connected).toBe(false);
    }
  });

  it('answers session:whoami with the signed-in user', async () => {
    const socket = await connected(connect(transport, { cookie: alice.client.cookie }));
    const res = await socket.timeout(5_000).emitWithAck('session:whoami');
    expect(res).toEqual({ ok: true, userId: alice.userId, displayName: 'Alice' });
  });

  it('event:subscribe validates the payload and membership, and acks the role', async () => {
    const socket = await connected(connect(transport, { cookie: alice.client.cookie }));
    const ask = (payload: unknown) => (socket.timeout(5_000) as any).emitWithAck('event:subscribe', payload);

    const bad = await ask({ eventId: 7 });
    expect(bad.ok).toBe(false);
    expect(bad).toMatchObject({ field: 'eventId', rule: 'type' });
    expect(bad.error).toMatch(/^イベント.* \/ Session must be a string$/);
    expect((await ask({ eventId: 'not-a-uuid' })).ok).toBe(false);
    expect((await ask({ eventId, extra: true })).ok).toBe(false);
    expect((await ask(null)).ok).toBe(false);

    const foreign = await ask({ eventId: otherEventId });
    expect(foreign).toEqual({ ok: false, error: expect.any(String) });
    expect((await ask({ eventId: '00000000-0000-4000-8000-000000000000' })).ok).toBe(false);

    expect(await ask({ eventId })).toEqual({ ok: true, role: 'participant' });
  });

  it('pushes event:changed to subscribers when a facilitator changes the event over HTTP, and only to them', async () => {
    const subscriber = await connected(connect(transport, { cookie: alice.client.cookie }));
    const bystander = await connected(connect(transport, { cookie: mallory.client.cookie }));
    expect(await subscriber.timeout(5_000).emitWithAck('event:subscribe', { eventId })).toEqual({ ok: true, role: 'participant' });
    expect(await bystander.timeout(5_000).emitWithAck('event:subscribe', { eventId: otherEventId })).toEqual({
      ok: true,
      role: 'participant',
    });
    const received: Array<{ eventId: string }> = [];
    const bystanderReceived: Array<{ eventId: string }> = [];
    subscriber.on('event:changed', (payload) => received.push(payload));
    bystander.on('event:changed', (payload) => bystanderReceived.push(payload));

    await postRoom(`Room ${transport}`);
    await eventually(() => expect(received).toContainEqual({ eventId }));
    // Anything emitted to the bystander before the HTTP change would precede this ack on its connection.
    expect(await bystander.timeout(5_000).emitWithAck('session:whoami')).toMatchObject({ ok: true, userId: mallory.userId });
    expect(bystanderReceived).toEqual([]);
  });
});

describe('socket.io and the Yjs endpoint on one server', () => {
  it('serves a socket.io client and y-websocket providers at the same time', async () => {
    const docName = sheetDocName(alice.eventCompanyId);
    const socket = connect('websocket', { cookie: alice.client.cookie });
    const a = connectProvider(testServer.server.wsOrigin, docName, { cookie: alice.client.cookie, doc: new Y.Doc() });
    const b = connectProvider(testServer.server.wsOrigin, docName, { cookie: alice.client.cookie, doc: new Y.Doc() });
    providers.push(a, b);
    await Promise.all([connected(socket), whenSynced(a), whenSynced(b)]);

    expect(await socket.timeout(5_000).emitWithAck('session:whoami')).toEqual({ ok: true, userId: alice.userId, displayName: 'Alice' });
    expect(await socket.timeout(5_000).emitWithAck('event:subscribe', { eventId })).toEqual({ ok: true, role: 'participant' });

    a.doc.getText('philosophy').insert(0, 'side by side');
    await eventually(() => expect(b.doc.getText('philosophy').toString()).toBe('side by side'));

    const changes: Array<{ eventId: string }> = [];
    socket.on('event:changed', (p) => changes.push(p));
    await postRoom('Side by side room');
    await eventually(() => expect(changes).toContainEqual({ eventId }));

    // Both are still up afterwards.
    b.doc.getText('philosophy').insert(0, '✓ ');
    await eventually(() => expect(a.doc.getText('philosophy').toString()).toBe('✓ side by side'));
    expect(await socket.timeout(5_000).emitWithAck('session:whoami')).toMatchObject({ ok: true });
    expect(socket.connected).toBe(true);
    expect(a.wsconnected && b.wsconnected).toBe(true);
  });
});
