// The restart case: N clients connect at once; time until every one finished its sync handshake
// (p50 / p99 / all). Kizuki runs as `npm start` does (bundled; auth and persistence on; clients
// signed in, companies of three, their documents stored as after a restart) beside the y-websocket
// reference server (no auth, no storage) and the floor (bench/floor-server.ts: a bare ws server
// that only answers the handshake, the fastest any Node server can be on this machine) under the
// same load. PGlite by default, DATABASE_URL for PostgreSQL.
//
// Every round is a real restart: a new process (cold JIT, nothing loaded; Kizuki on the same
// database). BENCH_WARM=1 instead reuses one warm Kizuki process, its documents unloaded between
// rounds.
// Clients are light (bench/lib/light-client.ts); the server's and the load process's CPU time per
// round are printed beside the times, so a round limited by the load process shows as such.
//
//   npm run bench:storm                 # 1,000 clients
//   npm run bench:storm -- --clients=300 --rounds=5
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';
import { bundleServers, kizukiNodeArgs } from './lib/bundle.ts';
import { lightClient } from './lib/light-client.ts';
import { forkServer, pinLoad, pinningNote } from './lib/pin.ts';
import { newListItem, sheetDoing } from '../shared/protocol/doc-shapes.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const CLIENTS = Number(arg('clients') ?? 1000);
const ROUNDS = Number(arg('rounds') ?? 3);
const PER_COMPANY = 3;
const KIZUKI_NODE_ARGS = (await kizukiNodeArgs()).join(' ');

const entries = await bundleServers();
pinLoad();

type Seat = { cookie?: string; docName: string };

async function start(kind: 'kizuki' | 'reference' | 'floor', env: NodeJS.ProcessEnv = {}) {
  const execArgv = (kind === 'kizuki' ? (process.env.BENCH_KIZUKI_NODE_ARGS ?? KIZUKI_NODE_ARGS) : (process.env.BENCH_PEER_NODE_ARGS ?? '')).split(' ').filter(Boolean);
  // BENCH_SERVER_STDOUT=1 shows the servers' standard output (e.g. --trace-gc in BENCH_KIZUKI_NODE_ARGS).
  const child = forkServer(entries[kind], execArgv, ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit', 'ipc'], { ...process.env, ...env });
  const ready = await new Promise<{ port: number; database: string; reuse?: string }>((resolve, reject) => {
    child.on('message', (m: { type?: string; port: number; database: string; reuse?: string }) => m.type === 'ready' && resolve(m));
    child.once('exit', () => reject(new Error(`${kind} server exited`)));
  });
  return { child, ...ready };
}

async function kizukiSeats(origin: string): Promise<Seat[]> {
  const facilitator = new ApiClient(origin);
  await facilitator.post('/api/setup', { email: 'storm@example.jp', password: 'benchmark password', displayName: 'Storm' });
  const event = (await facilitator.post('/api/events', { title: 'storm', date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Seat[] = [];
  for (let i = 0; i < CLIENTS; i += 20) {
    const batch = Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, j) => {
      const n = i + j;
      const client = new ApiClient(origin);
      const res = await client.post('/api/join', { code: joinCode, displayName: `P${n}`, companyName: `嵐商事${Math.floor(n / PER_COMPANY)}` });
      if (res.status !== 201) throw new Error(`join ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      return { cookie: client.cookie!, docName: `sheet:${res.body.eventCompanyId}` };
    });
    seats.push(...(await Promise.all(batch)));
  }
  return seats;
}

/** Every seat connects at once (light clients: raw sync handshakes); the times until each one's first sync. */
async function storm(port: number, path: string, seats: Seat[], pid: number): Promise<{ times: number[]; cpuMs: number; loadCpuMs: number }> {
  const cpuBefore = cpuMs(pid);
  const loadBefore = process.cpuUsage();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const times: number[] = [];
  const clients = seats.map((seat) => {
    const client = lightClient(`ws://127.0.0.1:${port}${path}/${seat.docName}`, seat.cookie ? { cookie: seat.cookie, origin } : { origin });
    client.synced.then(() => times.push(performance.now() - started));
    return client;
  });
  await Promise.race([Promise.allSettled(clients.map((c) => c.synced)), new Promise((r) => setTimeout(r, 60_000))]);
  await new Promise((r) => setTimeout(r, 100));
  const cpu = cpuMs(pid) - cpuBefore;
  const load = process.cpuUsage(loadBefore);
  for (const c of clients) c.socket.terminate();
  return { times: times.sort((a, b) => a - b), cpuMs: cpu, loadCpuMs: (load.user + load.system) / 1000 };
}

/** CPU time (user + system) the process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The first connection: stock providers create the documents and write a line into each company's. */
async function fill(port: number, path: string, seats: Seat[]) {
  const origin = `http://127.0.0.1:${port}`;
  const firstOfEach = seats.filter((_, n) => n % PER_COMPANY === 0);
  const providers = firstOfEach.map(
    (seat) =>
      new WebsocketProvider(`ws://127.0.0.1:${port}${path}`, seat.docName, new Y.Doc(), {
        WebSocketPolyfill: webSocketClass({ cookie: seat.cookie, origin }) as never,
        disableBc: true,
      }),
  );
  await Promise.all(providers.map((p) => new Promise<void>((r) => (p.synced ? r() : p.once('sync', () => r())))));
  for (const p of providers) sheetDoing(p.doc, 'customers').push([newListItem(crypto.randomUUID(), '会員制度', '毎月')]);
  await new Promise((r) => setTimeout(r, 1500));
  for (const p of providers) p.destroy();
}

const at = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
const summary = ({ times, cpuMs, loadCpuMs }: { times: number[]; cpuMs: number; loadCpuMs: number }) =>
  `${times.length}/${CLIENTS} synced; p50 ${at(times, 50).toFixed(0)} ms, p99 ${at(times, 99).toFixed(0)} ms, all ${times.at(-1)?.toFixed(0)} ms; server CPU ${cpuMs} ms, load CPU ${loadCpuMs.toFixed(0)} ms` +
  (process.env.BENCH_DECILES ? ` [${[10, 20, 30, 40, 60, 70, 80, 90].map((p) => at(times, p).toFixed(0)).join(' ')}]` : '');

const stop = async (server: Awaited<ReturnType<typeof start>>) => {
  server.child.send({ cmd: 'stop' });
  await new Promise((r) => server.child.once('exit', r));
};

/** Reference and floor: every round a new process too (cold, like Kizuki's), its rooms empty (they keep nothing). */
async function runPeer(kind: 'reference' | 'floor') {
  const seats = Array.from({ length: CLIENTS }, (_, n) => ({ docName: `room-${Math.floor(n / PER_COMPANY)}` }));
  const rounds: Array<Awaited<ReturnType<typeof storm>>> = [];
  let database = '';
  for (let r = 0; r < ROUNDS; r++) {
    const server = await start(kind);
    database = server.database;
    try {
      rounds.push(await storm(server.port, '', seats, server.child.pid!));
    } finally {
      await stop(server);
    }
  }
  return { database, rounds };
}

/** Kizuki: every round is a real restart, a new process on the same database. */
async function runKizuki() {
  let server = await start('kizuki', { BENCH_KEEP: '1' });
  const seats = await kizukiSeats(`http://127.0.0.1:${server.port}`);
  await fill(server.port, '/yjs', seats);
  const reuse = server.reuse!;
  const rounds: Array<Awaited<ReturnType<typeof storm>>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (process.env.BENCH_WARM) {
      // Experiment: the same process (warm JIT), documents unloaded after their 10 s delay.
      await new Promise((res) => setTimeout(res, 11_000));
    } else {
      await stop(server);
      const last = r === ROUNDS - 1;
      server = await start('kizuki', { BENCH_REUSE: reuse, BENCH_KEEP: last ? '0' : '1' });
    }
    rounds.push(await storm(server.port, '/yjs', seats, server.child.pid!));
  }
  await stop(server);
  return { database: server.database, rounds };
}

const floor = await runPeer('floor');
const reference = await runPeer('reference');
const kizuki = await runKizuki();
console.log(`\n${CLIENTS} clients connecting at once, ${ROUNDS} rounds; Kizuki on ${kizuki.database}; ${pinningNote()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
floor.rounds.forEach((t, i) => console.log(`floor     round ${i + 1}: ${summary(t)}`));
reference.rounds.forEach((t, i) => console.log(`reference round ${i + 1}: ${summary(t)}`));
kizuki.rounds.forEach((t, i) => console.log(`Kizuki    round ${i + 1}: ${summary(t)}`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floorAll = median(floor.rounds.map((r) => r.times.at(-1)!));
const refAll = median(reference.rounds.map((r) => r.times.at(-1)!));
const kizukiAll = median(kizuki.rounds.map((r) => r.times.at(-1)!));
console.log(`median time until all synced: floor ${floorAll.toFixed(0)} ms, reference ${refAll.toFixed(0)} ms, Kizuki ${kizukiAll.toFixed(0)} ms (${(kizukiAll / refAll).toFixed(2)}× the reference)`);
process.exit(0);
