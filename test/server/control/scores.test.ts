// Scores over the socket.io control plane with real clients: acks, live 'score:changed' pushes,
// validation, permissions, history, and persistence across a server restart.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { eventMembers } from '../../../server/db/schema.ts';
import type { ScoreEntry } from '../../../shared/protocol/control-events.ts';
import { SCORE_SET_LIMIT, SCORE_SET_TOO_FAST } from '../../../server/control/score-handlers.ts';
import { tokenBucket } from '../../../server/control/socket-limits.ts';

let testDb: TestDatabase;
let server: TestServer;
const sockets: Socket[] = [];

beforeEach(async () => {
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database);
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server.close();
  await testDb.drop();
});

/** A connected control socket for the holder of this cookie; collects 'score:changed' pushes. */
async function connect(cookie: string | undefined) {
  const socket = io(server.origin, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { ...(cookie ? { cookie } : {}), origin: server.origin },
  });
  sockets.push(socket);
  const changes: (ScoreEntry & { eventId: string })[] = [];
  socket.on('score:changed', (payload: ScoreEntry & { eventId: string }) => changes.push(payload));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, changes };
}

/** Emits with an ack (payloads deliberately untyped so invalid ones can be sent). */
function ask(socket: Socket, event: string, payload: unknown): Promise<any> {
  return socket.timeout(10_000).emitWithAck(event, payload);
}

async function subscribe(socket: Socket, eventId: string) {
  const res = await ask(socket, 'event:subscribe', { eventId });
  expect(res.ok).toBe(true);
  return res;
}

async function cast() {
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
  const bob = await joinAs(server.origin, event.joinCode, 'Bob', 'Beta本舗');
  return { facilitator, event, alice, bob };
}

describe('score:set', () => {
  it('a participant sets their own score; everyone subscribed, sender included, gets score:changed', async () => {
    const { event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const b = await connect(bob.client.cookie);
    await subscribe(a.socket, event.id);
    await subscribe(b.socket, event.id);

    const res = await ask(a.socket, 'score:set', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers', value: 2 });
    expect(res.ok).toBe(true);
    expect(res.score).toMatchObject({ eventCompanyId: alice.eventCompanyId, element: 'customers', value: 2 });
    expect(new Date(res.score.updatedAt).toISOString()).toBe(res.score.updatedAt);

    const expected = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers', value: 2, updatedAt: res.score.updatedAt };
    await eventually(() => expect(b.changes).toEqual([expected]));
    await eventually(() => expect(a.changes).toEqual([expected]));
  });

  it('refuses values and elements outside the scale, and missing fields, without storing anything', async () => {
    const { event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const b = await connect(bob.client.cookie);
    await subscribe(b.socket, event.id);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'brand' };

    // Each refusal names the field and the rule it broke, in Japanese and English, as HTTP does.
    const refusals: Array<[unknown, string, string]> = [
      [{ ...base, value: 7 }, 'value', 'enum'],
      [{ ...base, value: -1 }, 'value', 'enum'],
      [{ ...base, value: '3' }, 'value', 'enum'],
      [{ ...base, value: 1.5 }, 'value', 'enum'],
      [{ ...base, value: true }, 'value', 'enum'],
      [{ ...base, element: 'marketing', value: 2 }, 'element', 'enum'],
      [base, 'value', 'required'],
      [{ eventId: event.id, element: 'brand', value: 1 }, 'eventCompanyId', 'required'],
      [{ ...base, eventId: 'not-a-uuid', value: 1 }, 'eventId', 'format'],
      [{ ...base, eventCompanyId: 'not-a-uuid', value: 1 }, 'eventCompanyId', 'format'],
      [{ ...base, value: 1, extra: 'nope' }, 'extra', 'additionalProperties'],
      [null, 'payload', 'type'],
      ['score', 'payload', 'type'],
    ];
    for (const [payload, field, rule] of refusals) {
      const res = await ask(a.socket, 'score:set', payload);
      expect(res, JSON.stringify(payload)).toEqual({ ok: false, error: expect.stringMatching(/\p{Script=Han}.* \/ [A-Z]/u), field, rule });
    }

    const scores = await ask(a.socket, 'scores:get', { eventId: event.id });
    expect(scores).toEqual({ ok: true, scores: [] });
    // A valid set afterwards is the first and only push Bob sees.
    await ask(a.socket, 'score:set', { ...base, value: 3 });
    await eventually(() => expect(b.changes.map((c) => c.value)).toEqual([3]));
  });

  it("refuses a participant scoring another company's element", async () => {
    const { event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const b = await connect(bob.client.cookie);
    const res = await ask(a.socket, 'score:set', { eventId: event.id, eventCompanyId: bob.eventCompanyId, element: 'pr', value: 0 });
    expect(res).toEqual({ ok: false, error: expect.stringContaining('own company') });
    const scores = await ask(b.socket, 'scores:get', { eventId: event.id });
    expect(scores.scores).toEqual([]);
  });

  it('lets a facilitator score any company of the event', async () => {
    const { facilitator, event, alice, bob } = await cast();
    const f = await connect(facilitator.cookie);
    const a = await connect(alice.client.cookie);
    await subscribe(a.socket, event.id);
    for (const [eventCompanyId, value] of [
      [alice.eventCompanyId, 1],
      [bob.eventCompanyId, 3],
    ] as const) {
      const res = await ask(f.socket, 'score:set', { eventId: event.id, eventCompanyId, element: 'data', value });
      expect(res.ok).toBe(true);
      expect(res.score).toMatchObject({ eventCompanyId, element: 'data', value });
    }
    await eventually(() =>
      expect(a.changes.map((c) => [c.eventCompanyId, c.value])).toEqual([
        [alice.eventCompanyId, 1],
        [bob.eventCompanyId, 3],
      ]),
    );
    const history = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: bob.eventCompanyId, element: 'data' });
    expect(history.history.map((h: { setByName: string }) => h.setByName)).toEqual(['進行役']);
  });

  it('refuses a company of another event, even for a facilitator', async () => {
    const { facilitator, event } = await cast();
    const other = await createEvent(facilitator, '別の勉強会');
    const outsider = await joinAs(server.origin, other.joinCode, 'Dan', 'Gamma商店');
    const f = await connect(facilitator.cookie);
    const res = await ask(f.socket, 'score:set', { eventId: event.id, eventCompanyId: outsider.eventCompanyId, element: 'brand', value: 2 });
    expect(res).toEqual({ ok: false, error: expect.stringContaining('not a company of this session') });
    const history = await ask(f.socket, 'score:history', { eventId: event.id, eventCompanyId: outsider.eventCompanyId, element: 'brand' });
    expect(history.ok).toBe(false);
    expect((await ask(f.socket, 'scores:get', { eventId: other.id })).scores).toEqual([]);
  });

  it('refuses a non-member for set, get and history, and for an unknown event', async () => {
    const { facilitator, event, alice } = await cast();
    const other = await createEvent(facilitator, '別の勉強会');
    const outsider = await joinAs(server.origin, other.joinCode, 'Dan', 'Gamma商店');
    const a = await connect(alice.client.cookie);
    const o = await connect(outsider.client.cookie);
    await ask(a.socket, 'score:set', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'culture', value: 2 });

    const notMember = { ok: false, error: expect.stringContaining('not part of this session') };
    expect(await ask(o.socket, 'score:set', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'culture', value: 0 })).toEqual(notMember);
    expect(await ask(o.socket, 'scores:get', { eventId: event.id })).toEqual(notMember);
    expect(await ask(o.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'culture' })).toEqual(notMember);
    expect(await ask(o.socket, 'scores:get', { eventId: randomUUID() })).toEqual(notMember);
    // Its own event's company does not make another event's company reachable.
    expect(await ask(o.socket, 'score:set', { eventId: other.id, eventCompanyId: alice.eventCompanyId, element: 'culture', value: 0 })).toMatchObject({ ok: false });

    const scores = await ask(a.socket, 'scores:get', { eventId: event.id });
    expect(scores.scores.map((s: ScoreEntry) => s.value)).toEqual([2]);
  });

  it('refuses an observer, who may still read', async () => {
    const { facilitator, event, alice } = await cast();
    const other = await createEvent(facilitator, '別の勉強会');
    const watcher = await joinAs(server.origin, other.joinCode, 'Eve', 'Delta工房');
    await testDb.database.db.insert(eventMembers).values({ id: randomUUID(), eventId: event.id, userId: watcher.userId, role: 'observer' });
    const w = await connect(watcher.client.cookie);
    const a = await connect(alice.client.cookie);
    await ask(a.socket, 'score:set', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'people', value: 1 });

    const res = await ask(w.socket, 'score:set', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'people', value: 3 });
    expect(res).toEqual({ ok: false, error: expect.stringContaining('Observers') });
    const scores = await ask(w.socket, 'scores:get', { eventId: event.id });
    expect(scores.scores).toEqual([expect.objectContaining({ element: 'people', value: 1 })]);
  });

  it('refuses changes once the event is closed, keeping the scores readable', async () => {
    const { facilitator, event, alice } = await cast();
    const a = await connect(alice.client.cookie);
    const f = await connect(facilitator.cookie);
    const payload = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'uniqueness', value: 2 };
    expect((await ask(a.socket, 'score:set', payload)).ok).toBe(true);
    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);

    expect(await ask(a.socket, 'score:set', { ...payload, value: 3 })).toEqual({ ok: false, error: expect.stringContaining('closed') });
    expect(await ask(f.socket, 'score:set', { ...payload, value: 0 })).toEqual({ ok: false, error: expect.stringContaining('closed') });
    const scores = await ask(a.socket, 'scores:get', { eventId: event.id });
    expect(scores.scores).toEqual([expect.objectContaining({ element: 'uniqueness', value: 2 })]);
  });
});

describe('scores:get and score:history', () => {
  it("returns the event's current values, one per company × element", async () => {
    const { facilitator, event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const b = await connect(bob.client.cookie);
    const f = await connect(facilitator.cookie);
    const set = (s: Socket, eventCompanyId: string, element: string, value: number | null) =>
      ask(s, 'score:set', { eventId: event.id, eventCompanyId, element, value });
    await set(a.socket, alice.eventCompanyId, 'philosophy', 1);
    await set(a.socket, alice.eventCompanyId, 'philosophy', 3);
    await set(a.socket, alice.eventCompanyId, 'brand', 0);
    await set(b.socket, bob.eventCompanyId, 'philosophy', 2);

    // Another event's scores never show up here.
    const other = await createEvent(facilitator, '別の勉強会');
    const dan = await joinAs(server.origin, other.joinCode, 'Dan', 'Gamma商店');
    expect((await ask(f.socket, 'score:set', { eventId: other.id, eventCompanyId: dan.eventCompanyId, element: 'brand', value: 3 })).ok).toBe(true);

    for (const s of [a.socket, b.socket, f.socket]) {
      const res = await ask(s, 'scores:get', { eventId: event.id });
      expect(res.ok).toBe(true);
      const values = Object.fromEntries(res.scores.map((e: ScoreEntry) => [`${e.eventCompanyId}/${e.element}`, e.value]));
      expect(values).toEqual({
        [`${alice.eventCompanyId}/philosophy`]: 3,
        [`${alice.eventCompanyId}/brand`]: 0,
        [`${bob.eventCompanyId}/philosophy`]: 2,
      });
    }
  });

  it('clears with null, which is distinct from 0, and pushes the clear', async () => {
    const { event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const b = await connect(bob.client.cookie);
    await subscribe(b.socket, event.id);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'consideration' };

    expect((await ask(a.socket, 'score:set', { ...base, value: 0 })).score.value).toBe(0);
    let scores = (await ask(a.socket, 'scores:get', { eventId: event.id })).scores;
    expect(scores).toEqual([expect.objectContaining({ element: 'consideration', value: 0 })]);

    const cleared = await ask(a.socket, 'score:set', { ...base, value: null });
    expect(cleared.ok).toBe(true);
    expect(cleared.score.value).toBeNull();
    scores = (await ask(a.socket, 'scores:get', { eventId: event.id })).scores;
    expect(scores).toHaveLength(1);
    expect(scores[0].value).toBeNull();
    expect(scores[0].value).not.toBe(0);

    await eventually(() => expect(b.changes.map((c) => c.value)).toEqual([0, null]));
  });

  it('keeps every change in order, oldest first, with who made it', async () => {
    const { facilitator, event, alice } = await cast();
    const a = await connect(alice.client.cookie);
    const f = await connect(facilitator.cookie);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'products' };
    const steps: [Socket, number | null][] = [
      [a.socket, 1],
      [a.socket, 2],
      [f.socket, 0],
      [a.socket, null],
      [a.socket, 3],
    ];
    for (const [s, value] of steps) expect((await ask(s, 'score:set', { ...base, value })).ok).toBe(true);
    // Another element's changes stay out of this history.
    await ask(a.socket, 'score:set', { ...base, element: 'pr', value: 1 });

    const res = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'products' });
    expect(res.ok).toBe(true);
    expect(res.history.map((h: { value: number | null }) => h.value)).toEqual([1, 2, 0, null, 3]);
    expect(res.history.map((h: { setByName: string }) => h.setByName)).toEqual(['Alice', 'Alice', '進行役', 'Alice', 'Alice']);
    const times = res.history.map((h: { setAt: string }) => Date.parse(h.setAt));
    expect(times.every((t: number) => Number.isFinite(t))).toBe(true);
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    const empty = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'data' });
    expect(empty).toEqual({ ok: true, history: [] });
  });

  it('keeps scores and history across a server restart on the same database', async () => {
    const { event, alice } = await cast();
    const a = await connect(alice.client.cookie);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers' };
    await ask(a.socket, 'score:set', { ...base, value: 1 });
    await ask(a.socket, 'score:set', { ...base, value: 2 });
    await ask(a.socket, 'score:set', { ...base, element: 'brand', value: null });
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();

    server = await startTestServer(testDb.database);
    const fresh = await connect(alice.client.cookie);
    const scores = await ask(fresh.socket, 'scores:get', { eventId: event.id });
    const values = Object.fromEntries(scores.scores.map((e: ScoreEntry) => [e.element, e.value]));
    expect(values).toEqual({ customers: 2, brand: null });
    const history = await ask(fresh.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers' });
    expect(history.history.map((h: { value: number | null; setByName: string }) => [h.value, h.setByName])).toEqual([
      [1, 'Alice'],
      [2, 'Alice'],
    ]);
    // And the restarted server still accepts and pushes changes.
    await subscribe(fresh.socket, event.id);
    expect((await ask(fresh.socket, 'score:set', { ...base, value: 3 })).ok).toBe(true);
    await eventually(() => expect(fresh.changes.map((c) => c.value)).toEqual([3]));
  });
});

describe('setting the value a score already has', () => {
  it('acks with the current entry but writes no history and pushes nothing', async () => {
    const { facilitator, event, alice, bob } = await cast();
    const a = await connect(alice.client.cookie);
    const f = await connect(facilitator.cookie);
    const b = await connect(bob.client.cookie);
    await subscribe(b.socket, event.id);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'brand' };

    const first = await ask(a.socket, 'score:set', { ...base, value: 2 });
    expect(first.ok).toBe(true);
    // The same value again, from the same member and from the facilitator.
    for (const s of [a.socket, f.socket]) {
      const again = await ask(s, 'score:set', { ...base, value: 2 });
      expect(again).toEqual({ ok: true, score: first.score });
    }
    // A real change afterwards is the next (and only other) push Bob sees.
    expect((await ask(a.socket, 'score:set', { ...base, value: 3 })).ok).toBe(true);
    await eventually(() => expect(b.changes.map((c) => c.value)).toEqual([2, 3]));

    const history = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'brand' });
    expect(history.history.map((h: { value: number | null; setByName: string }) => [h.value, h.setByName])).toEqual([
      [2, 'Alice'],
      [3, 'Alice'],
    ]);
  });

  it('a first clear of a score never set is still a change', async () => {
    const { event, alice } = await cast();
    const a = await connect(alice.client.cookie);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'pr' };
    expect((await ask(a.socket, 'score:set', { ...base, value: null })).score.value).toBeNull();
    expect((await ask(a.socket, 'score:set', { ...base, value: null })).ok).toBe(true);
    const history = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'pr' });
    expect(history.history.map((h: { value: number | null }) => h.value)).toEqual([null]);
  });
});

describe('score:set rate limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`allows ${SCORE_SET_LIMIT.burst} in a burst per socket, refuses the next without writing, and refills`, async () => {
    const { event, alice } = await cast();
    // Freeze the clock (only Date: sockets and the database keep their real timers), so "at once"
    // is exact and the refill happens only when the test moves the time.
    vi.useFakeTimers({ toFake: ['Date'] });
    const a = await connect(alice.client.cookie);
    const base = { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers' };
    for (let i = 0; i < SCORE_SET_LIMIT.burst; i++) {
      const res = await ask(a.socket, 'score:set', { ...base, value: i % 4 });
      expect(res.ok, `set #${i + 1}`).toBe(true);
    }
    expect(await ask(a.socket, 'score:set', { ...base, value: 0 })).toEqual({ ok: false, error: SCORE_SET_TOO_FAST, retry: true });
    const lastValue = (SCORE_SET_LIMIT.burst - 1) % 4;
    expect((await ask(a.socket, 'scores:get', { eventId: event.id })).scores.map((s: ScoreEntry) => s.value)).toEqual([lastValue]);

    // The limit is per socket: another connection of the same user has its own allowance.
    const other = await connect(alice.client.cookie);
    expect((await ask(other.socket, 'score:set', { ...base, element: 'brand', value: 1 })).ok).toBe(true);

    // Half the window refills half the burst.
    vi.setSystemTime(Date.now() + SCORE_SET_LIMIT.windowMs / 2);
    for (let i = 0; i < SCORE_SET_LIMIT.burst / 2; i++) {
      expect((await ask(a.socket, 'score:set', { ...base, value: (lastValue + 1 + i) % 4 })).ok, `refilled set #${i + 1}`).toBe(true);
    }
    expect((await ask(a.socket, 'score:set', { ...base, value: 0 })).ok).toBe(false);
    const history = await ask(a.socket, 'score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId, element: 'customers' });
    expect(history.history).toHaveLength(SCORE_SET_LIMIT.burst + SCORE_SET_LIMIT.burst / 2);
  });

  it('tokenBucket: spends tokens, refuses when empty, refills with time up to its capacity', () => {
    let now = 1_000;
    const bucket = tokenBucket(3, 1 / 1000, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 999;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // a long pause refills to the capacity, not beyond
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now -= 5_000; // a clock stepping back adds nothing
    expect(bucket.take()).toBe(false);
  });
});
