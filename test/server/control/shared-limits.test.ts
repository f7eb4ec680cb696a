// Limits shared beyond one socket: a user's sockets on this node spend from one budget (20 sockets
// per sign-in must not mean 20 budgets), and every control handler of the node takes turns, user by
// user, at a few database slots, so a crowd of sockets cannot queue work in front of everyone else.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import {
  createFairGate,
  EVENT_RATE_LIMIT,
  NODE_HANDLER_CONCURRENCY,
  nodeHandlerGate,
  TOO_MANY_AT_ONCE,
  TOO_MANY_EVENTS,
  USER_EVENT_RATE_LIMIT,
} from '../../../server/control/socket-limits.ts';

const testServer = serverPerFile();
let eventId: string;
let joinCode: string;
let alice: Awaited<ReturnType<typeof joinAs>>;
let bob: Awaited<ReturnType<typeof joinAs>>;
const clients: ControlClient[] = [];

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  joinCode = event.joinCode;
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

function flood(client: ControlClient, event: string, payload: unknown, count: number): Promise<any[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      client.socket
        .timeout(20_000)
        .emitWithAck(event, payload)
        .catch(() => ({ timedOut: true })),
    ),
  );
}

describe("one user's sockets share a budget", () => {
  it('refuses (retry: true) what several sockets send together beyond it, though each stays under its own', async () => {
    const perSocket = EVENT_RATE_LIMIT.burst - 10;
    const sockets = Math.ceil((USER_EVENT_RATE_LIMIT.burst + 100) / perSocket);
    const own = await Promise.all(Array.from({ length: sockets }, () => connect(alice.client.cookie)));
    const answers = (await Promise.all(own.map((c) => flood(c, 'time:sync', {}, perSocket)))).flat();

    const refused = answers.filter((res) => res.ok === false);
    expect(answers.filter((res) => res.timedOut)).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(answers.length - USER_EVENT_RATE_LIMIT.burst - 5);
    for (const res of refused) expect(res).toEqual({ ok: false, error: TOO_MANY_EVENTS, retry: true });

    // Another user's budget is untouched.
    const other = await connect(bob.client.cookie);
    expect(await ask(other.socket, 'scores:get', { eventId })).toMatchObject({ ok: true });
  });
});

describe("the node's handler gate", () => {
  it('holds the handlers of many flooding users to its running limit, and a bystander still gets through quickly', async () => {
    const crowd = [];
    for (let i = 0; i < 6; i++) crowd.push(await joinAs(testServer.server.origin, joinCode, `Flood${i}`, `Flood社${i}`));
    const sockets = (await Promise.all(crowd.map((p) => Promise.all([connect(p.client.cookie), connect(p.client.cookie), connect(p.client.cookie)])))).flat();
    const bystander = await connect(bob.client.cookie);

    let maxRunning = 0;
    let sawWaiting = false;
    const sample = setInterval(() => {
      maxRunning = Math.max(maxRunning, nodeHandlerGate.load.running);
      sawWaiting ||= nodeHandlerGate.load.waiting > 0;
    }, 1);
    const answers = Promise.all(sockets.map((c) => flood(c, 'scores:get', { eventId }, 40)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const read = await ask(bystander.socket, 'meetup:get', { eventId });
    const bystanderMs = Date.now() - started;
    const all = (await answers).flat();
    clearInterval(sample);

    expect(read.ok).toBe(true);
    expect(sawWaiting).toBe(true);
    expect(maxRunning).toBeLessThanOrEqual(NODE_HANDLER_CONCURRENCY.running);
    expect(all.filter((res) => res.timedOut)).toEqual([]);
    for (const res of all.filter((r) => r.ok === false)) expect([TOO_MANY_EVENTS, TOO_MANY_AT_ONCE]).toContain(res.error);
    // In turn with 6 users, not behind their ~700 requests.
    expect(bystanderMs).toBeLessThan(3000);
  });
});

describe('createFairGate', () => {
  /** A task that stays running until released. */
  function held() {
    let release!: () => void;
    const started = { value: false };
    const done = new Promise<void>((resolve) => (release = resolve));
    return { task: () => ((started.value = true), done), started, release };
  }

  it('runs at most `running` at once and serves waiting users in turn, not in arrival order', async () => {
    const gate = createFairGate({ running: 1, waitingPerUser: 10, waiting: 100 });
    const first = held();
    expect(gate.admit('mallory', first.task)).toBe(true);
    const mallory = Array.from({ length: 5 }, () => held());
    for (const m of mallory) expect(gate.admit('mallory', m.task)).toBe(true);
    const victim = held();
    expect(gate.admit('victim', victim.task)).toBe(true);
    expect(gate.load).toEqual({ running: 1, waiting: 6 });

    first.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(mallory[0]!.started.value).toBe(true);
    mallory[0]!.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The victim's turn comes before Mallory's second waiting request.
    expect(victim.started.value).toBe(true);
    expect(mallory[1]!.started.value).toBe(false);
  });

  it("refuses beyond a user's waiting bound and the total, while others may still wait", () => {
    const gate = createFairGate({ running: 1, waitingPerUser: 2, waiting: 3 });
    expect(gate.admit('a', held().task)).toBe(true);
    expect(gate.admit('a', held().task)).toBe(true);
    expect(gate.admit('a', held().task)).toBe(true);
    expect(gate.admit('a', held().task)).toBe(false);
    expect(gate.admit('b', held().task)).toBe(true);
    expect(gate.admit('c', held().task)).toBe(false);
  });
});
