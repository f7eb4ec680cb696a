// The company boundary on live connections: a company's members (and only they) hear who joined
// it, facilitators hear about join requests, and removing a member closes their document
// connections and control channel at once and for good.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/control-events.ts';

type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const testServer = serverPerFile();
let facilitator: ApiClient;
const sockets: ControlSocket[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const p of providers.splice(0)) p.destroy();
});

async function connect(cookie: string | undefined): Promise<ControlSocket> {
  const socket: ControlSocket = io(testServer.server.origin, {
    extraHeaders: { cookie: cookie!, origin: testServer.server.origin },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function subscribed(cookie: string | undefined, eventId: string): Promise<ControlSocket> {
  const socket = await connect(cookie);
  const ack = await socket.timeout(5000).emitWithAck('event:subscribe', { eventId });
  expect(ack.ok).toBe(true);
  return socket;
}

/** Everything of one kind the socket receives from now on. */
function collect<E extends keyof ServerToClientEvents>(socket: ControlSocket, event: E): Array<Parameters<ServerToClientEvents[E]>[0]> {
  const seen: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  socket.on(event as never, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

const settle = () => new Promise((r) => setTimeout(r, 300));

/** The same two companies in every event of this file: the facilitator adds them (a company of another event may only be brought in by a facilitator). */
async function cast(title: string) {
  const event = await createEvent(facilitator, title);
  for (const name of ['青空通販', 'みどり本舗']) expect((await facilitator.post(`/api/events/${event.id}/companies`, { name })).status).toBe(201);
  const alice = await joinApproved(testServer.server.origin, facilitator, event, 'Alice', '青空通販');
  const bob = await joinApproved(testServer.server.origin, facilitator, event, 'Bob', 'みどり本舗');
  return { event, alice, bob };
}

describe("company:member-joined goes to the company's members only", () => {
  it('a join by the event code reaches the company; another company and the facilitator do not hear it', async () => {
    const { event, alice, bob } = await cast('参加通知');
    const aliceSocket = await subscribed(alice.client.cookie, event.id);
    const bobSocket = await subscribed(bob.client.cookie, event.id);
    const facSocket = await subscribed(facilitator.cookie, event.id);
    const toAlice = collect(aliceSocket, 'company:member-joined');
    const toBob = collect(bobSocket, 'company:member-joined');
    const toFac = collect(facSocket, 'company:member-joined');
    const changed = collect(bobSocket, 'event:changed');

    const carol = new ApiClient(testServer.server.origin);
    const res = await carol.post('/api/join', { code: event.joinCode, displayName: 'Carol 🌸', eventCompanyId: alice.eventCompanyId });
    expect(res.status).toBe(201);
    await eventually(() =>
      expect(toAlice).toEqual([{ eventId: event.id, eventCompanyId: alice.eventCompanyId, userId: res.body.user.id, displayName: 'Carol 🌸' }]),
    );
    // Everyone still hears that the event changed (the member lists refetch).
    await eventually(() => expect(changed.length).toBeGreaterThan(0));
    await settle();
    expect(toBob).toEqual([]);
    expect(toFac).toEqual([]);
  });

  it('an approved request reaches the company too; facilitators hear about requests, participants do not', async () => {
    const { event, alice, bob } = await cast('承認通知');
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true })).status).toBe(200);
    const aliceSocket = await subscribed(alice.client.cookie, event.id);
    const bobSocket = await subscribed(bob.client.cookie, event.id);
    const facSocket = await subscribed(facilitator.cookie, event.id);
    const joinedAlice = collect(aliceSocket, 'company:member-joined');
    const joinedBob = collect(bobSocket, 'company:member-joined');
    const requestsFac = collect(facSocket, 'join-requests:changed');
    const requestsAlice = collect(aliceSocket, 'join-requests:changed');

    const dave = new ApiClient(testServer.server.origin);
    const asked = await dave.post('/api/join', { code: event.joinCode, displayName: 'Dave', eventCompanyId: bob.eventCompanyId });
    expect(asked.status).toBe(202);
    await eventually(() => expect(requestsFac).toEqual([{ eventId: event.id, added: true }]));
    // A pending person is nobody yet: no join push, and no control channel for the event.
    const daveSocket = await connect(dave.cookie);
    const refused = await daveSocket.timeout(5000).emitWithAck('event:subscribe', { eventId: event.id });
    expect(refused.ok).toBe(false);
    await settle();
    expect(joinedBob).toEqual([]);

    expect((await facilitator.post(`/api/events/${event.id}/join-requests/${asked.body.requestId}/approve`)).status).toBe(204);
    await eventually(() => expect(joinedBob).toEqual([expect.objectContaining({ eventCompanyId: bob.eventCompanyId, displayName: 'Dave' })]));
    await eventually(() => expect(requestsFac).toHaveLength(2));
    expect(requestsFac[1]).toEqual({ eventId: event.id, added: false });
    const now = await daveSocket.timeout(5000).emitWithAck('event:subscribe', { eventId: event.id });
    expect(now).toEqual({ ok: true, role: 'participant' });
    await settle();
    expect(joinedAlice).toEqual([]);
    expect(requestsAlice).toEqual([]);
  });
});

describe('removing a member', () => {
  it("closes the removed user's Yjs sockets for good, refuses their reconnect and takes their control socket out of the event", async () => {
    const { event, alice, bob } = await cast('退出');
    // Bob has his own worksheet and Alice's (read-only) open, and a subscribed control socket.
    const own = connectProvider(testServer.server.wsOrigin, sheetDocName(bob.eventCompanyId), { cookie: bob.client.cookie });
    const other = connectProvider(testServer.server.wsOrigin, sheetDocName(alice.eventCompanyId), { cookie: bob.client.cookie });
    const alices = connectProvider(testServer.server.wsOrigin, sheetDocName(alice.eventCompanyId), { cookie: alice.client.cookie });
    providers.push(own, other, alices);
    await Promise.all([whenSynced(own), whenSynced(other), whenSynced(alices)]);
    const closes: number[] = [];
    for (const p of [own, other]) p.on('connection-close', (e: { code: number } | null) => e && closes.push(e.code));
    let aliceClosed = false;
    alices.on('connection-close', () => (aliceClosed = true));

    const bobSocket = await subscribed(bob.client.cookie, event.id);
    const aliceSocket = await subscribed(alice.client.cookie, event.id);
    const removed = collect(bobSocket, 'member:removed');
    const removedAlice = collect(aliceSocket, 'member:removed');
    const bobChanges = collect(bobSocket, 'event:changed');

    expect((await facilitator.delete(`/api/events/${event.id}/members/${bob.userId}`)).status).toBe(204);
    await eventually(() => expect(closes).toEqual([CloseCode.Removed.code, CloseCode.Removed.code]));
    // y-websocket gives up on 44xx: no retry storm against a refused upgrade.
    expect(own.shouldConnect).toBe(false);
    expect(other.shouldConnect).toBe(false);
    await eventually(() => expect(removed).toEqual([{ eventId: event.id }]));
    expect(removedAlice).toEqual([]);
    expect(aliceClosed).toBe(false);

    // A reconnect is refused at the upgrade, and the control channel too.
    const retry = connectProvider(testServer.server.wsOrigin, sheetDocName(bob.eventCompanyId), { cookie: bob.client.cookie });
    providers.push(retry);
    let synced = false;
    retry.on('sync', () => (synced = true));
    await settle();
    expect(synced).toBe(false);
    expect(testServer.server.app.docs.peek(sheetDocName(bob.eventCompanyId))?.connectionCount ?? 0).toBe(0);
    const again = await bobSocket.timeout(5000).emitWithAck('event:subscribe', { eventId: event.id });
    expect(again).toMatchObject({ ok: false });

    // The old socket no longer hears the event: a later change reaches Alice, not Bob.
    const before = bobChanges.length;
    const aliceChanges = collect(aliceSocket, 'event:changed');
    expect((await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム 2' })).status).toBe(201);
    await eventually(() => expect(aliceChanges.length).toBeGreaterThan(0));
    await settle();
    expect(bobChanges.length).toBe(before);
  });
});

describe("actions:changed goes to the company's members and the facilitators only", () => {
  it('adding and updating an action tells them, nobody else, and the event is not refetched by everyone', async () => {
    const { event, alice, bob } = await cast('持ち帰り通知');
    const aliceSocket = await subscribed(alice.client.cookie, event.id);
    const bobSocket = await subscribed(bob.client.cookie, event.id);
    const facSocket = await subscribed(facilitator.cookie, event.id);
    const toAlice = collect(aliceSocket, 'actions:changed');
    const toBob = collect(bobSocket, 'actions:changed');
    const toFac = collect(facSocket, 'actions:changed');
    const bobRefetches = collect(bobSocket, 'event:changed');
    const expected = { eventId: event.id, eventCompanyId: alice.eventCompanyId };

    const made = await alice.client.post(`/api/events/${event.id}/companies/${alice.eventCompanyId}/actions`, { element: 'customers', text: '紹介率を毎月見る' });
    expect(made.status).toBe(201);
    await eventually(() => expect(toAlice).toEqual([expected]));
    await eventually(() => expect(toFac).toEqual([expected]));

    const done = await alice.client.patch(`/api/actions/${made.body.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    await eventually(() => expect(toAlice).toEqual([expected, expected]));
    await eventually(() => expect(toFac).toEqual([expected, expected]));
    await settle();
    expect(toBob).toEqual([]);
    expect(bobRefetches).toEqual([]);
  });
});
