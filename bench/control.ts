// Control-plane benchmark: how long after a facilitator's command the LAST participant's browser
// hears about it, on the socket.io control plane of a meetup.
//
//   npm run bench:control                                  # 40 participants/14 rooms, then 400/134, 30 trials each
//   npm run bench:control -- --scenarios=40x14 --trials=10
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:control   # on PostgreSQL
//
// Each scenario starts the production Kizuki app in this process on a fresh database (PGlite in
// memory, or a throwaway database on DATABASE_URL's PostgreSQL server, dropped afterwards). A
// facilitator creates an event; <participants> people join over HTTP (POST /api/join) as
// <rooms> companies of about three people each, and the facilitator seats every company in a
// room of its own with 'room:create' + 'company:move' (so "400x134" is 134 companies, 132 of 3
// people and 2 of 2, in 134 rooms). Every participant then opens one socket.io-client socket
// (websocket transport, session cookie + Origin like a browser) and subscribes to the event.
//
// Measured, each over --trials repetitions after one unmeasured warm-up:
//   company:move   one company to another room → 'event:changed' at that company's members, and at everyone;
//   clock:next     → 'meetup:state' carrying the new stepIndex at everyone (then clock:start back to step 0,
//   clock:start      measured too);
//   scores:reveal  (roomId null) → 'scores:revealed' at everyone.
// t0 is performance.now() just before the facilitator's emit, arrivals are performance.now() in
// each participant's listener: one clock, because server and clients share this process. That
// also means the numbers include this process decoding 400 copies of each push — as a real
// server would not, but a browser would, each for its own copy.
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/client.ts';
import { createThrowawayPostgres } from '../test/helpers/throwaway-postgres.ts';
import { ApiClient } from '../test/helpers/api-client.ts';
import { balancedSizes } from '../shared/meetup/room-split.ts';
import type { MeetupState } from '../shared/protocol/meetup.ts';

// ---------------------------------------------------------------- settings

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const TRIALS = (() => {
  const raw = arg('trials') ?? '30';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--trials must be a positive integer, got "${raw}"`);
  return n;
})();

interface Scenario {
  participants: number;
  rooms: number;
}
const SCENARIOS: Scenario[] = (arg('scenarios') ?? '40x14,400x134').split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  const participants = Number(m?.[1]);
  const rooms = Number(m?.[2]);
  if (!m || rooms < 1 || participants < rooms) throw new Error(`scenario "${s}" must be <participants>x<rooms> with participants ≥ rooms ≥ 1 (e.g. 40x14)`);
  return { participants, rooms };
});

/**
 * Pause between two measured commands. The server allows each socket a burst of 30 commands and
 * then 3 per second (tokenBucket in room- and meetup-handlers); 350 ms apart never runs the
 * bucket dry, so no trial is refused with 429, and the previous push has long settled.
 */
const GAP_MS = 350;
/** A push that has not reached every receiver by then counts as missing. */
const ARRIVAL_TIMEOUT_MS = 15_000;
/** Joins and socket connections in flight at once during set-up. */
const SETUP_CONCURRENCY = 25;
/** The whole run, set-up included; a hang must not keep the process alive. */
const BUDGET_MS = SCENARIOS.reduce((ms, s) => ms + 60_000 + s.participants * 150 + TRIALS * 4 * (GAP_MS + 2_000), 30_000);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

// ---------------------------------------------------------------- clean-up and the time budget

const cleanups: Array<() => Promise<unknown> | unknown> = [];
/** Runs the registered clean-ups, newest first (sockets, then server, then database). */
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await Promise.race([fn(), sleep(10_000)]);
    } catch (err) {
      console.error('clean-up step failed:', err);
    }
  }
}
const watchdog = setTimeout(() => {
  console.error(`\nbench:control exceeded its time budget (${Math.round(BUDGET_MS / 1000)} s); stopping.`);
  void cleanUp().finally(() => process.exit(1));
}, BUDGET_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
}

// ---------------------------------------------------------------- server and database

async function openBenchDatabase(): Promise<{ database: Database; describe: string; close: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({});
    await database.migrate();
    return { database, describe: 'PGlite in memory', close: () => database.close() };
  }
  const throwaway = await createThrowawayPostgres(serverUrl, 'kizuki_bench');
  const database = await openDatabase({ url: throwaway.url });
  await database.migrate();
  return {
    database,
    describe: `PostgreSQL ${new URL(serverUrl).host} (throwaway database ${throwaway.name})`,
    close: async () => {
      await database.close();
      await throwaway.drop();
    },
  };
}

/** The production app on a fresh database; returns its origin. Clean-ups are registered. */
async function startServer(): Promise<{ origin: string; describe: string }> {
  const { database, describe, close } = await openBenchDatabase();
  cleanups.push(close);
  const app = await buildApp({
    config: { ...loadConfig({ LOG_LEVEL: 'warn' }), port: 0, host: '127.0.0.1' },
    database,
    logger: false,
    serveClient: false,
    // Hundreds of people join from one address here; the production limit is per address.
    rateLimits: { loginPerMinute: 100_000, joinPerMinute: 100_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  const port = (app.server.address() as { port: number }).port;
  return { origin: `http://127.0.0.1:${port}`, describe };
}

// ---------------------------------------------------------------- the cast

interface Participant {
  index: number;
  cookie: string;
  eventCompanyId: string;
  socket?: Socket;
}

async function expectStatus(res: Promise<{ status: number; body: any }>, status: number, what: string) {
  const { status: got, body } = await res;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
async function inBatches<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(task))));
  return results;
}

async function createEvent(origin: string): Promise<{ facilitator: ApiClient; eventId: string; joinCode: string }> {
  const facilitator = new ApiClient(origin);
  await expectStatus(facilitator.post('/api/setup', { email: 'bench@example.jp', password: 'bench passphrase 1234', displayName: '進行役' }), 201, 'setup');
  const created = await expectStatus(facilitator.post('/api/events', { title: 'ベンチ 交流会', date: '2026-12-01' }), 201, 'create event');
  const detail = await expectStatus(facilitator.get(`/api/events/${created.id}`), 200, 'event detail');
  return { facilitator, eventId: created.id, joinCode: detail.joinCode };
}

/**
 * `participants` people join as `companies` companies of balanced size. Round r adds the r-th
 * member of every company: the first round creates the companies, later rounds join them by name
 * (joining the same new name concurrently could race to create it twice).
 */
async function joinParticipants(origin: string, joinCode: string, participants: number, companies: number): Promise<Participant[]> {
  const sizes = balancedSizes(participants, companies);
  const joined: Participant[] = [];
  for (let round = 0; round < sizes[0]!; round++) {
    const seats = sizes.flatMap((size, company) => (round < size ? [company] : []));
    joined.push(
      ...(await inBatches(seats, SETUP_CONCURRENCY, async (company) => {
        const client = new ApiClient(origin);
        const body = await expectStatus(
          client.post('/api/join', { code: joinCode, displayName: `参加者 ${company}-${round}`, companyName: `ベンチ商事 ${company}` }),
          201,
          'join',
        );
        return { index: -1, cookie: client.cookie!, eventCompanyId: body.eventCompanyId as string };
      })),
    );
  }
  joined.forEach((p, i) => (p.index = i));
  return joined;
}

/** One control socket as a browser opens it, subscribed to the event. */
async function connectControl(origin: string, cookie: string, eventId: string): Promise<Socket> {
  const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin } });
  cleanups.push(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io did not connect within 20 s')), 20_000);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    socket.once('connect_error', (err) => (clearTimeout(timer), reject(err)));
  });
  await command(socket, 'event:subscribe', { eventId });
  return socket;
}

/** A request/ack command; a refusal is a bug in this benchmark or the server, so it throws. */
async function command(socket: Socket, event: string, payload: unknown): Promise<any> {
  const res = await socket.timeout(20_000).emitWithAck(event, payload);
  if (!res?.ok) throw new Error(`${event} refused: ${JSON.stringify(res)}`);
  return res;
}

/** Facilitator commands per set-up socket: under the burst of 30 the server allows each socket. */
const SETUP_COMMANDS_PER_SOCKET = 24;

/**
 * Gives every company a room of its own ('rooms:split' cannot: its smallest size is 2). The first
 * company keeps the event's default room; each other one gets a 'room:create' and a
 * 'company:move'. Hundreds of commands would take minutes at 3 per second on one socket, so they
 * are spread over short-lived extra sockets of the same facilitator, like several open tabs.
 * Returns each company's room.
 */
async function seatOneCompanyPerRoom(origin: string, cookie: string, eventId: string, participants: Participant[]): Promise<Map<string, string>> {
  const companies = [...new Set(participants.map((p) => p.eventCompanyId))];
  const setupSocket = await connectControl(origin, cookie, eventId);
  const state = (await command(setupSocket, 'meetup:get', { eventId })).state as MeetupState;
  setupSocket.disconnect();
  const homeRoom = new Map<string, string>([[companies[0]!, state.rooms[0]!.id]]);
  const rest = companies.slice(1);
  const perSocket = SETUP_COMMANDS_PER_SOCKET / 2;
  const groups = Array.from({ length: Math.ceil(rest.length / perSocket) }, (_, i) => rest.slice(i * perSocket, (i + 1) * perSocket));
  await Promise.all(
    groups.map(async (group, g) => {
      const socket = await connectControl(origin, cookie, eventId);
      try {
        for (const [i, eventCompanyId] of group.entries()) {
          const { roomId } = await command(socket, 'room:create', { eventId, name: `ルーム ${g * perSocket + i + 2}` });
          await command(socket, 'company:move', { eventId, eventCompanyId, roomId });
          homeRoom.set(eventCompanyId, roomId);
        }
      } finally {
        socket.disconnect();
      }
    }),
  );
  return new Map(companies.map((c) => [c, homeRoom.get(c)!]));
}

// ---------------------------------------------------------------- measuring one push

type PushName = 'event:changed' | 'meetup:state' | 'scores:revealed';
const PUSHES: PushName[] = ['event:changed', 'meetup:state', 'scores:revealed'];

/** What the current trial waits for; participants' listeners report matching arrivals to it. */
interface Expected {
  push: PushName;
  matches(payload: any): boolean;
  arrive(index: number, at: number): void;
}
let awaited: Expected | undefined;
/** Every push each kind of listener saw, matching or not (duplicates show up here). */
const pushCounts = new Map<PushName, number>();

/** Listeners installed once per participant socket, so a trial costs no listener churn. */
function listen(p: Participant): void {
  for (const push of PUSHES) {
    p.socket!.on(push as string, (payload: unknown) => {
      const at = performance.now();
      pushCounts.set(push, (pushCounts.get(push) ?? 0) + 1);
      if (awaited?.push === push && awaited.matches(payload)) awaited.arrive(p.index, at);
    });
  }
}

interface Trial {
  ackMs: number;
  /** ms from the emit to each participant's arrival (NaN = never arrived). */
  arrivals: Float64Array;
  ack: any;
}

/** Emits `event` from the facilitator and waits until every participant received the push. */
async function measure(facilitator: Socket, participants: number, event: string, payload: unknown, push: PushName, matches: (p: any) => boolean): Promise<Trial> {
  const arrivals = new Float64Array(participants).fill(NaN);
  let missing = participants;
  let allArrived!: () => void;
  const everyone = new Promise<void>((resolve) => (allArrived = resolve));
  let t0 = 0;
  awaited = {
    push,
    matches,
    arrive(index, at) {
      if (!Number.isNaN(arrivals[index]!)) return; // only the first matching push counts
      arrivals[index] = at - t0;
      if (--missing === 0) allArrived();
    },
  };
  t0 = performance.now();
  const ack = await command(facilitator, event, payload);
  const ackMs = performance.now() - t0;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([everyone, new Promise<void>((resolve) => (timer = setTimeout(resolve, ARRIVAL_TIMEOUT_MS)))]);
  clearTimeout(timer);
  awaited = undefined;
  return { ackMs, arrivals, ack };
}

/** The slowest arrival among `indices` (all when omitted); NaN when any of them never arrived. */
function lastArrival(trial: Trial, indices?: number[]): number {
  let last = 0;
  for (const i of indices ?? trial.arrivals.keys()) {
    const t = trial.arrivals[i]!;
    if (Number.isNaN(t)) return NaN;
    last = Math.max(last, t);
  }
  return last;
}

function firstArrival(trial: Trial, indices?: number[]): number {
  let first = Infinity;
  for (const i of indices ?? trial.arrivals.keys()) if (!Number.isNaN(trial.arrivals[i]!)) first = Math.min(first, trial.arrivals[i]!);
  return first;
}

// ---------------------------------------------------------------- one scenario

interface Row {
  measurement: string;
  /** Per trial: the command's ack, the first and the last receiver (ms after the emit). */
  ack: number[];
  first: number[];
  last: number[];
  /** How many receivers a trial waits for, e.g. "400", or "2–3" for a moved company's members. */
  receivers: string;
}

interface ScenarioResult {
  scenario: Scenario;
  database: string;
  setup: string;
  rows: Row[];
  rss: { beforeServer: number; afterSetup: number; afterTrials: number };
  meetupStateBytes: number;
  eventChangedPerMove: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** The machine's 1-minute load average before and after the trials (other processes disturb the numbers). */
  load: [number, number];
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const label = `[${scenario.participants}x${scenario.rooms}]`;
  const rssBeforeServer = process.memoryUsage().rss;
  const { origin, describe } = await startServer();
  console.error(`${label} server ${origin} on ${describe}`);

  // The cast: a facilitator's event, the participants joined over HTTP as companies.
  const setupStarted = performance.now();
  const { facilitator: facilitatorHttp, eventId, joinCode } = await createEvent(origin);
  const participants = await joinParticipants(origin, joinCode, scenario.participants, scenario.rooms);
  const joinMs = performance.now() - setupStarted;
  const facilitator = await connectControl(origin, facilitatorHttp.cookie!, eventId);

  // One company per room, seated by the facilitator's own commands.
  const homeRoom = await seatOneCompanyPerRoom(origin, facilitatorHttp.cookie!, eventId, participants);
  const companies = [...homeRoom.keys()];
  if (new Set(homeRoom.values()).size !== scenario.rooms) throw new Error(`seated ${companies.length} companies in ${new Set(homeRoom.values()).size} rooms, expected ${scenario.rooms}`);

  // Sockets connect after the seating, so each subscription joins its room's channel as a browser
  // opened now would.
  const connectStarted = performance.now();
  await inBatches(participants, SETUP_CONCURRENCY, async (p) => {
    p.socket = await connectControl(origin, p.cookie, eventId);
    listen(p);
  });
  const connectMs = performance.now() - connectStarted;
  const sizes = balancedSizes(scenario.participants, scenario.rooms);
  const setup =
    `${scenario.rooms} companies (${describeSizes(sizes)}) joined over HTTP in ${Math.round(joinMs)} ms; ` +
    `each company seated in a room of its own by 'room:create' + 'company:move' → ${scenario.rooms} rooms; ` +
    `${participants.length} participant sockets + 1 facilitator connected and subscribed in ${Math.round(connectMs)} ms`;
  console.error(`${label} ${setup}`);
  await sleep(500); // let the set-up's stragglers (join pushes, GC) settle
  const rssAfterSetup = process.memoryUsage().rss;

  const loadBefore = os.loadavg()[0]!;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const rows: Row[] = [];
  const row = (measurement: string, receivers: string) => {
    const r: Row = { measurement, ack: [], first: [], last: [], receivers };
    rows.push(r);
    return r;
  };
  const record = (r: Row, trial: Trial, indices?: number[]) => {
    r.ack.push(trial.ackMs);
    r.first.push(firstArrival(trial, indices));
    r.last.push(lastArrival(trial, indices));
  };
  const n = participants.length;
  const isEvent = (p: any) => p?.eventId === eventId;

  // --- company:move: company k to its neighbour's room, or back home if it was moved before.
  console.error(`${label} company:move × ${TRIALS}`);
  const roomOf = new Map(homeRoom);
  const sizesOfMoved: number[] = [];
  const moveMembers = row("company:move → moved company's members (event:changed)", '');
  const moveAll = row('company:move → every participant (event:changed)', String(n));
  const countBefore = pushCounts.get('event:changed') ?? 0;
  for (let t = -1; t < TRIALS; t++) {
    const k = (t + 1) % companies.length;
    const company = companies[k]!;
    const target = roomOf.get(company) === homeRoom.get(company) ? homeRoom.get(companies[(k + 1) % companies.length]!)! : homeRoom.get(company)!;
    const members = participants.filter((p) => p.eventCompanyId === company).map((p) => p.index);
    await sleep(GAP_MS);
    const trial = await measure(facilitator, n, 'company:move', { eventId, eventCompanyId: company, roomId: target }, 'event:changed', isEvent);
    roomOf.set(company, target);
    if (t < 0) continue; // warm-up
    record(moveMembers, trial, members);
    record(moveAll, trial);
    sizesOfMoved.push(members.length);
  }
  const fewest = Math.min(...sizesOfMoved);
  const most = Math.max(...sizesOfMoved);
  moveMembers.receivers = fewest === most ? String(most) : `${fewest}–${most}`;
  await sleep(GAP_MS); // the second event:changed of the last move (see the report) arrives meanwhile
  const eventChangedPerMove = ((pushCounts.get('event:changed') ?? 0) - countBefore) / ((TRIALS + 1) * n);

  // --- clock:next (step 0 → 1) and clock:start back to step 0, alternately.
  console.error(`${label} clock:next / clock:start × ${TRIALS}`);
  const next = row("clock:next → every participant (meetup:state, new stepIndex)", String(n));
  const start = row("clock:start → every participant (meetup:state, new stepIndex)", String(n));
  const stepIs = (stepIndex: number) => (p: any) => p?.eventId === eventId && p.clock?.stepIndex === stepIndex;
  await sleep(GAP_MS);
  const warm = await measure(facilitator, n, 'clock:start', { eventId, stepIndex: 0 }, 'meetup:state', stepIs(0));
  const meetupStateBytes = Buffer.byteLength(JSON.stringify(warm.ack.state as MeetupState));
  for (let t = 0; t < TRIALS; t++) {
    await sleep(GAP_MS);
    record(next, await measure(facilitator, n, 'clock:next', { eventId }, 'meetup:state', stepIs(1)));
    await sleep(GAP_MS);
    record(start, await measure(facilitator, n, 'clock:start', { eventId, stepIndex: 0 }, 'meetup:state', stepIs(0)));
  }

  // --- scores:reveal for every room (revealing again is allowed and pushes again).
  console.error(`${label} scores:reveal × ${TRIALS}`);
  const reveal = row('scores:reveal (all rooms) → every participant (scores:revealed)', String(n));
  for (let t = -1; t < TRIALS; t++) {
    await sleep(GAP_MS);
    const trial = await measure(facilitator, n, 'scores:reveal', { eventId, roomId: null }, 'scores:revealed', (p) => isEvent(p) && p.roomId === null);
    if (t >= 0) record(reveal, trial);
  }
  loop.disable();
  const rssAfterTrials = process.memoryUsage().rss;

  await cleanUp(); // sockets, server, database: the next scenario starts from nothing
  return {
    scenario,
    database: describe,
    setup,
    rows,
    rss: { beforeServer: rssBeforeServer, afterSetup: rssAfterSetup, afterTrials: rssAfterTrials },
    meetupStateBytes,
    eventChangedPerMove,
    // The histogram counts whole timer intervals; the delay is what exceeds the resolution.
    loopP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 10),
    loopMaxMs: Math.max(0, loop.max / 1e6 - 10),
    load: [loadBefore, os.loadavg()[0]!],
  };
}

function describeSizes(sizes: number[]): string {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([size, count]) => `${count} × ${size} ${size === 1 ? 'person' : 'people'}`).join(', ');
}

// ---------------------------------------------------------------- report

/** Nearest-rank percentile of the finite values; NaN values (pushes that never came) are left out. */
function percentile(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function report(r: ScenarioResult): void {
  const { participants, rooms } = r.scenario;
  console.log(`\n=== ${participants} participants in ${rooms} rooms — ${r.database} ===`);
  console.log(`set-up: ${r.setup}`);
  const header = ['command → push (ms after the emit)', 'trials', 'receivers', 'ack p50', 'first p50', 'last p50', 'last p99', 'last max', 'incomplete'];
  const lines = [header];
  for (const row of r.rows) {
    lines.push([
      row.measurement,
      String(row.last.length),
      row.receivers,
      fmt(percentile(row.ack, 50)),
      fmt(percentile(row.first, 50)),
      fmt(percentile(row.last, 50)),
      fmt(percentile(row.last, 99)),
      fmt(percentile(row.last, 100)),
      String(row.last.filter((v) => !Number.isFinite(v)).length),
    ]);
  }
  console.log(table(lines));
  console.log(
    `  last = when the last receiver got the push; first = the first one; ack = the facilitator's acknowledgement. ` +
      `Percentiles over trials (nearest rank: with ${TRIALS} trials p99 is the slowest trial); ` +
      `incomplete = trials where some receiver had nothing after ${ARRIVAL_TIMEOUT_MS / 1000} s.`,
  );
  console.log(
    `  process RSS (server, its database client${r.database.startsWith('PGlite') ? ' and PGlite thread' : ''} and all ${participants + 1} client sockets share this process): ` +
      `${mb(r.rss.beforeServer)} before the server started, ${mb(r.rss.afterSetup)} after set-up, ${mb(r.rss.afterTrials)} after the trials`,
  );
  console.log(
    `  pushes: each 'meetup:state' carries the whole state, ${(r.meetupStateBytes / 1024).toFixed(1)} KiB of JSON here (${rooms} rooms in it); ` +
      `each participant got ${r.eventChangedPerMove.toFixed(2)} 'event:changed' per company:move; ` +
      `event-loop delay of this process during the trials p99 ${fmt(r.loopP99Ms)} ms, max ${fmt(r.loopMaxMs)} ms`,
  );
  console.log(`  machine: ${os.cpus().length} CPUs, 1-minute load average ${r.load[0].toFixed(1)} before / ${r.load[1].toFixed(1)} after the trials`);
}

// ---------------------------------------------------------------- main

console.log(
  `bench:control — meetup control plane, facilitator command → push at the last participant; ` +
    `server and ${SCENARIOS.map((s) => s.participants).join('/')} socket.io-client sockets (websocket) in this process ` +
    `(node ${process.version}, ${os.cpus().length} CPUs, ${GAP_MS} ms between commands)`,
);
let exitCode = 0;
try {
  for (const scenario of SCENARIOS) report(await runScenario(scenario));
} catch (err) {
  console.error('\nbench:control failed:', err);
  exitCode = 1;
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
process.exit(exitCode);
