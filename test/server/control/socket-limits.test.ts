// What one control socket may ask of the server, with real socket.io clients: a flood of reads is
// refused at once (and retried later) instead of queueing work that starves everyone else, a
// reconnect's burst still goes through, and every request that asks for an answer gets one
// (unknown events, a payload where none is expected, an ack that is not the second argument).
import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import { createHandlerGate, HANDLER_CONCURRENCY, handlerGateOf, TOO_MANY_AT_ONCE, TOO_MANY_EVENTS } from '../../../server/control/socket-limits.ts';

const testServer = serverPerFile();
let eventId: string;
let alice: Awaited<ReturnType<typeof joinAs>>;
let bob: Awaited<ReturnType<typeof joinAs>>;
const clients: ControlClient[] = [];

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
  bob = await joinAs(testServer.server.origin, event.joinCode, 'Bob', 'Beta本舗');
});

afterEach(() => {
  for (const c of clients.splice(0)) c.socket.disconnect();
});

async function connect(cookie: string | undefined): Promise<ControlClient> {
  const client = await connectControlClient(testServer.server.origin, cookie);
  clients.push(client);
  return client;
}

/** Emits `count` requests without waiting for any answer; resolves with every answer and when it came. */
function flood(client: ControlClient, event: string, payload: unknown, count: number) {
  const started = Date.now();
  let arrived = 0;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<{ res: any; afterMs: number; order: number }>((resolve) => {
          client.socket.timeout(20_000).emit(event, payload, (err: Error | null, res: any) => {
            resolve({ res: err ? { timedOut: true } : res, afterMs: Date.now() - started, order: arrived++ });
          });
        }),
    ),
  );
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe('a socket flooding the control plane', () => {
  it('is refused at once with a retryable error, while other clients and /healthz stay responsive', async () => {
    const attacker = await connect(alice.client.cookie);
    const neighbour = await connect(bob.client.cookie);

    const answers = flood(attacker, 'scores:get', { eventId }, 2000);
    const [neighbourRead, health] = await Promise.all([
      timed(ask(neighbour.socket, 'scores:get', { eventId })),
      timed(fetch(`${testServer.server.origin}/healthz`)),
    ]);
    const all = await answers;

    expect(neighbourRead.value.ok).toBe(true);
    // Generous bounds: they say "not stuck behind the flood", not how fast (that is bench:control).
    expect(neighbourRead.ms).toBeLessThan(10_000);
    expect(health.value.status).toBe(200);
    expect(health.ms).toBeLessThan(10_000);

    const refused = all.filter(({ res }) => res.ok === false);
    expect(all.filter(({ res }) => res.timedOut)).toEqual([]);
    expect(refused.length).toBeGreaterThan(1800);
    for (const { res } of refused) {
      expect(res.retry).toBe(true);
      expect([TOO_MANY_EVENTS, TOO_MANY_AT_ONCE]).toContain(res.error);
    }
    // Refusals are answered without waiting for the requests that were let through: they are
    // written in the same turn as their message is read, while even the first admitted read waits
    // for a database round trip. So refusals come back before the first admitted answer (asserted
    // as the order of arrival, not a time, so that a loaded machine cannot fail it); had they
    // queued behind the admitted work, none would.
    const admitted = all.filter(({ res }) => res.ok === true);
    expect(admitted.length).toBeGreaterThan(0);
    const firstAdmitted = Math.min(...admitted.map(({ order }) => order));
    expect(refused.filter(({ order }) => order < firstAdmitted).length).toBeGreaterThan(0);
  });

  it('answers again once the flood stops (the refusal is temporary)', async () => {
    const client = await connect(alice.client.cookie);
    await flood(client, 'time:sync', {}, 500);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await ask(client.socket, 'scores:get', { eventId })).toMatchObject({ ok: true });
  });

  it('rate-limits events outside the payload-checking wrapper too (time:sync)', async () => {
    const client = await connect(alice.client.cookie);
    const answers = await flood(client, 'time:sync', {}, 1000);
    expect(answers.filter(({ res }) => res.ok === false && res.retry === true).length).toBeGreaterThan(800);
  });

  it('lets a reconnecting client’s burst through: subscribe, loads, clock samples and more at once', async () => {
    const client = await connect(alice.client.cookie);
    const burst = [
      ask(client.socket, 'event:subscribe', { eventId }),
      ask(client.socket, 'session:whoami'),
      ...Array.from({ length: 6 }, () => [
        ask(client.socket, 'scores:get', { eventId }),
        ask(client.socket, 'cards:get', { eventId }),
        ask(client.socket, 'meetup:get', { eventId }),
        ask(client.socket, 'time:sync', {}),
      ]).flat(),
    ];
    const answers = await Promise.all(burst);
    expect(answers.filter((res) => !res.ok)).toEqual([]);
  });
});

describe('every request that asks for an answer gets one', () => {
  it('an unknown event is answered with an error naming it', async () => {
    const client = await connect(alice.client.cookie);
    expect(await ask(client.socket, 'nope', {})).toEqual({ ok: false, error: 'この操作はありません: nope / unknown event: nope' });
    expect(await ask(client.socket, 'nope')).toEqual({ ok: false, error: 'この操作はありません: nope / unknown event: nope' });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await ask(client.socket, name, {})).toEqual({ ok: false, error: `この操作はありません: ${name} / unknown event: ${name}` });
    }
  });

  it('an "error" event from a client neither crashes the server nor goes unanswered', async () => {
    const client = await connect(alice.client.cookie);
    client.socket.emit('error', { boom: true });
    expect(await ask(client.socket, 'error', {})).toEqual({ ok: false, error: 'この操作はありません: error / unknown event: error' });
    expect((await fetch(`${testServer.server.origin}/healthz`)).status).toBe(200);
    expect(await ask(client.socket, 'session:whoami')).toMatchObject({ ok: true });
  });

  it('session:whoami and time:sync answer with or without a payload before the ack', async () => {
    const client = await connect(alice.client.cookie);
    const me = { ok: true, userId: alice.userId, displayName: 'Alice' };
    expect(await ask(client.socket, 'session:whoami')).toEqual(me);
    expect(await ask(client.socket, 'session:whoami', {})).toEqual(me);
    expect(await ask(client.socket, 'time:sync', {})).toMatchObject({ ok: true, serverTime: expect.any(Number) });
    expect(await ask(client.socket, 'time:sync')).toMatchObject({ ok: true, serverTime: expect.any(Number) });
  });

  it('a checked event takes its ack from the last argument, and says when the payload is missing', async () => {
    const client = await connect(alice.client.cookie);
    expect(await client.socket.timeout(5000).emitWithAck('scores:get', { eventId }, 'extra')).toMatchObject({ ok: true });
    expect(await ask(client.socket, 'scores:get')).toEqual({
      ok: false,
      error: '送信内容はオブジェクトで送ってください / The payload must be an object',
      field: 'payload',
      rule: 'type',
    });
  });
});

describe('the per-socket handler gate', () => {
  /** A task that runs until release() is called, recording that it started. */
  function pending(started: string[], name: string) {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    return { task: () => (started.push(name), done), release: () => release() };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('runs a few at once, queues a few more in order, and refuses the rest', async () => {
    const gate = createHandlerGate({ running: 2, waiting: 2 });
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((name) => pending(started, name));
    expect(tasks.map((t) => gate.admit(t.task))).toEqual([true, true, true, true, false]);
    expect(started).toEqual(['a', 'b']);
    tasks[1]!.release();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]!.release();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a task that failed', async () => {
    const gate = createHandlerGate({ running: 1, waiting: 0 });
    expect(gate.admit(() => Promise.reject(new Error('boom')))).toBe(true);
    expect(gate.admit(async () => {})).toBe(false);
    await settle();
    expect(gate.admit(async () => {})).toBe(true);
  });

  it('drops the waiting work when the socket disconnects, and admits nothing more', async () => {
    const socket = new EventEmitter() as unknown as Socket;
    const gate = handlerGateOf(socket);
    expect(handlerGateOf(socket)).toBe(gate);
    const started: string[] = [];
    const { running } = HANDLER_CONCURRENCY;
    const tasks = Array.from({ length: running + 5 }, (_, i) => pending(started, `t${i}`));
    for (const t of tasks) expect(gate.admit(t.task)).toBe(true);
    expect(started).toHaveLength(running);
    (socket as unknown as EventEmitter).emit('disconnect', 'transport close');
    for (const t of tasks) t.release();
    await settle();
    expect(started).toHaveLength(running);
    expect(gate.admit(async () => {})).toBe(false);
  });
});
