// The closing countdown ends on the server: the event moves to the plenary at the end time with no
// facilitator connected, a cancelled countdown ends nothing, a countdown that ran out while nobody
// was counting (no timer) ends when the state is read, and one that ran out while the server was
// down ends at start-up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { events } from '../../../server/db/schema.ts';
import type { MeetupState } from '../../../shared/protocol/meetup.ts';

let testDb: TestDatabase;
let server: TestServer;
let facilitator: ApiClient;
const sockets: Socket[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database);
  facilitator = await setupFacilitator(server.origin);
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(async () => {
  await server?.close();
  await testDb?.drop();
});

interface Client {
  socket: Socket;
  states: MeetupState[];
}

async function connect(cookie: string | undefined, eventId: string): Promise<Client> {
  const socket = io(server.origin, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: cookie ?? '', origin: server.origin } });
  sockets.push(socket);
  const states: MeetupState[] = [];
  socket.on('meetup:state', (state: MeetupState) => states.push(state));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  expect((await ask(socket, 'event:subscribe', { eventId })).ok).toBe(true);
  return { socket, states };
}

function ask(socket: Socket, event: string, payload: unknown): Promise<any> {
  return socket.timeout(10_000).emitWithAck(event, payload);
}

async function cast() {
  const event = await createEvent(facilitator, `全体共有 ${Math.random()}`);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 6)}`);
  return { event, fac: await connect(facilitator.cookie, event.id), alice: await connect(alice.client.cookie, event.id) };
}

async function phaseRow(eventId: string) {
  const [row] = await testDb.database.db.select({ phase: events.phase, phaseEndsAt: events.phaseEndsAt }).from(events).where(eq(events.id, eventId));
  return row!;
}

describe('closing → plenary', () => {
  it('moves to the plenary at the end of the countdown, with no facilitator connected', async () => {
    const { event, fac, alice } = await cast();
    const before = Date.now();
    const closing = await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 5 });
    expect(closing.ok).toBe(true);
    expect(closing.state.phase).toBe('closing');
    expect(closing.state.phaseEndsAt).toBeGreaterThanOrEqual(before + 5000);
    expect(closing.state.phaseEndsAt).toBeLessThanOrEqual(Date.now() + 5000);
    // Everyone sees the same end time (their browsers count down to it).
    await eventually(() => expect(alice.states.at(-1)).toMatchObject({ phase: 'closing', phaseEndsAt: closing.state.phaseEndsAt }));
    expect(server.app.phaseTimer.pending).toContain(event.id);
    fac.socket.disconnect();

    await eventually(() => expect(alice.states.at(-1)).toMatchObject({ phase: 'plenary', phaseEndsAt: null }), 9000);
    expect(Date.now()).toBeGreaterThanOrEqual(closing.state.phaseEndsAt);
    expect(await phaseRow(event.id)).toEqual({ phase: 'plenary', phaseEndsAt: null });
    expect(server.app.phaseTimer.pending).not.toContain(event.id);
    // Exactly one push for the change.
    expect(alice.states.filter((s) => s.phase === 'plenary')).toHaveLength(1);
  }, 20_000);

  it('a facilitator can go to the plenary at once, or back to the breakout; neither leaves a timer', async () => {
    const { event, fac, alice } = await cast();
    await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 120 });
    expect(server.app.phaseTimer.pending).toContain(event.id);
    const back = await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' });
    expect(back.state).toMatchObject({ phase: 'breakout', phaseEndsAt: null });
    await eventually(() => expect(server.app.phaseTimer.pending).not.toContain(event.id));

    await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 120 });
    const now = await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' });
    expect(now.state).toMatchObject({ phase: 'plenary', phaseEndsAt: null });
    await eventually(() => expect(alice.states.at(-1)?.phase).toBe('plenary'));
    await eventually(() => expect(server.app.phaseTimer.pending).not.toContain(event.id));

    // The spotlight is set and cleared by facilitators; back to the breakout clears it too.
    const spot = await ask(fac.socket, 'spotlight:set', { eventId: event.id, spotlight: { kind: 'element', element: 'brand' } });
    expect(spot.state.spotlight).toEqual({ kind: 'element', element: 'brand' });
    await eventually(() => expect(alice.states.at(-1)?.spotlight).toEqual({ kind: 'element', element: 'brand' }));
    expect((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' })).state.spotlight).toBeNull();
  });

  it('a countdown that ran out with no timer ends when the state is read, and everyone is told', async () => {
    const { event, alice } = await cast();
    // As if a server restarted (or another node) while counting: the row says closing, in the past.
    await testDb.database.db.update(events).set({ phase: 'closing', phaseEndsAt: new Date(Date.now() - 3000) }).where(eq(events.id, event.id));
    expect(server.app.phaseTimer.pending).not.toContain(event.id);

    const other = await joinAs(server.origin, event.joinCode, 'Bob', `Beta-${event.id.slice(0, 6)}`);
    const bob = await connect(other.client.cookie, event.id);
    const read = await ask(bob.socket, 'meetup:get', { eventId: event.id });
    expect(read.state).toMatchObject({ phase: 'plenary', phaseEndsAt: null });
    expect(await phaseRow(event.id)).toEqual({ phase: 'plenary', phaseEndsAt: null });
    await eventually(() => expect(alice.states.at(-1)?.phase).toBe('plenary'));
    // Reading again changes nothing and tells nobody.
    expect((await ask(alice.socket, 'meetup:get', { eventId: event.id })).state.phase).toBe('plenary');
    await new Promise((r) => setTimeout(r, 200));
    expect(alice.states.filter((s) => s.phase === 'plenary')).toHaveLength(1);
  });

  it('a countdown still running is left alone when read', async () => {
    const { event, fac, alice } = await cast();
    await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 60 });
    expect((await ask(alice.socket, 'meetup:get', { eventId: event.id })).state.phase).toBe('closing');
    await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' });
  });

  it('refuses countdowns outside 5–600 seconds', async () => {
    const { event, fac } = await cast();
    expect((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 4 })).ok).toBe(false);
    expect((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'closing', seconds: 601 })).ok).toBe(false);
    expect((await phaseRow(event.id)).phase).toBe('breakout');
  });
});

describe('the plenary moves the agenda', () => {
  const MIN = 60_000;

  it('going to the plenary starts the 全体共有 step; back to the rooms and again leaves the clock alone', async () => {
    const { event, fac, alice } = await cast();
    // ステップ 2/8 ワークシート記入 counting down.
    expect((await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 1 })).state.clock).toMatchObject({ status: 'running', stepIndex: 1 });
    const before = Date.now();
    const plenary = (await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).state as MeetupState;
    expect(plenary.phase).toBe('plenary');
    expect(plenary.agenda[6]!.title.ja).toBe('全体共有');
    expect(plenary.clock).toMatchObject({ status: 'running', stepIndex: 6, pausedRemainingMs: null });
    expect(plenary.clock.endsAt).toBeGreaterThanOrEqual(before + 15 * MIN);
    expect(plenary.clock.endsAt).toBeLessThanOrEqual(Date.now() + 15 * MIN);
    await eventually(() => expect(alice.states.at(-1)?.clock.stepIndex).toBe(6));

    // Back to the rooms: no jump backwards (the clock keeps the plenary step), nor forwards again.
    const back = (await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' })).state as MeetupState;
    expect(back.clock).toEqual(plenary.clock);
    const again = (await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).state as MeetupState;
    expect(again.clock).toEqual(plenary.clock);
  });

  it('a clock already at or past the plenary step is left as it is', async () => {
    const { event, fac } = await cast();
    const started = (await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 7 })).state as MeetupState;
    const plenary = (await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).state as MeetupState;
    expect(plenary.clock).toEqual(started.clock);
  });

  it('the closing countdown ending on the server moves the agenda too', async () => {
    const { event, fac, alice } = await cast();
    await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 2 });
    await testDb.database.db.update(events).set({ phase: 'closing', phaseEndsAt: new Date(Date.now() - 1000) }).where(eq(events.id, event.id));
    const read = (await ask(alice.socket, 'meetup:get', { eventId: event.id })).state as MeetupState;
    expect(read.phase).toBe('plenary');
    expect(read.clock).toMatchObject({ status: 'running', stepIndex: 6 });
    await eventually(() => expect(alice.states.at(-1)).toMatchObject({ phase: 'plenary', clock: { stepIndex: 6 } }));
  });

  it('with no plenary step in the agenda, the step clock stops', async () => {
    const { event, fac } = await cast();
    const steps = [
      { title: { ja: '自己紹介', en: 'Introductions' }, durationMinutes: 5 },
      { title: { ja: '議論', en: 'Discussion' }, durationMinutes: 20 },
    ];
    expect((await ask(fac.socket, 'agenda:set', { eventId: event.id, steps })).ok).toBe(true);
    await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 1 });
    const plenary = (await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).state as MeetupState;
    expect(plenary.clock).toEqual({ status: 'idle', stepIndex: 1, endsAt: null, pausedRemainingMs: null });
    // Back to the rooms: still stopped; the facilitator starts the next step when ready.
    expect(((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' })).state as MeetupState).clock).toEqual(plenary.clock);
  });
});

describe('closing across a server restart', () => {
  it('ends countdowns that ran out while the server was down at start-up, and resumes the others', async () => {
    const { event: expired } = await cast();
    const { event: running } = await cast();
    for (const s of sockets.splice(0)) s.disconnect();
    const port = Number(new URL(server.origin).port);
    await server.close();
    await testDb.database.db.update(events).set({ phase: 'closing', phaseEndsAt: new Date(Date.now() - 10_000) }).where(eq(events.id, expired.id));
    await testDb.database.db.update(events).set({ phase: 'closing', phaseEndsAt: new Date(Date.now() + 120_000) }).where(eq(events.id, running.id));

    server = await startTestServer(testDb.database, { port });
    // Nobody connected: the server ends the expired countdown by itself.
    await eventually(async () => expect((await phaseRow(expired.id)).phase).toBe('plenary'));
    expect(server.app.phaseTimer.pending).toContain(running.id);
    expect((await phaseRow(running.id)).phase).toBe('closing');
  });
});
