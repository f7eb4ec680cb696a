// The cost of a room: Kizuki (auth and persistence on) beside the y-websocket reference server and
// Hocuspocus (neither with auth or storage), the same load against each, one after the other, each
// server in its own process pinned to core 0 (the load on the other cores). Per row: edit fan-out
// p99 (ms), the server's peak RSS (MB) and its CPU-seconds during the measured window, with
// Kizuki's ratios: p99 to the better of the two peers, RSS and CPU to the reference.
//
// Load: every client of a room is on one document; a few probes per room (5 in big rooms, 1 in
// rooms of 5) hold a Y.Doc and write { t } every 250 ms; every other client is a light receiver
// (bench/lib/load-client.ts). Each arrival of a probe's update counts arrival − send time.
// Hocuspocus comes from bench/peers (installed there on first use; it is not part of the app).
//
//   npm run bench:cost                               # all rows, PGlite
//   DATABASE_URL=postgres://… npm run bench:cost     # Kizuki on PostgreSQL
//   npm run bench:cost -- --rows=1x50,100x5 --seconds=5 --peers=reference --repeat=3
import type { ChildProcess } from 'node:child_process';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { ApiClient } from '../test/helpers/api-client.ts';
import { bundleServers, kizukiNodeArgs } from './lib/bundle.ts';
import { loadClient, type LoadClient, type Protocol } from './lib/load-client.ts';
import { forkServer, pinLoad, pinningNote } from './lib/pin.ts';

type Kind = 'reference' | 'hocuspocus' | 'kizuki';
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = (arg('rows') ?? '1x50,1x200,1x500,100x5,200x5').split(',').map((r) => {
  const [rooms, clients] = r.split('x').map(Number);
  if (!rooms || !clients) throw new Error(`row "${r}" must be <rooms>x<clients per room>`);
  return { rooms, clients };
});
const PEERS = (arg('peers') ?? 'reference,hocuspocus').split(',') as Array<'reference' | 'hocuspocus'>;
if (!PEERS.includes('reference')) throw new Error('--peers must include reference (RSS and CPU ratios are to it)');
const SECONDS = Number(arg('seconds') ?? 8);
/** Runs per server and row; the table shows each figure's median (this machine's runs vary by ±50 %). */
const REPEAT = Number(arg('repeat') ?? 1);
const WARMUP_MS = 1500;
const INTERVAL_MS = 250;
/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

const now = () => performance.timeOrigin + performance.now();

const KIZUKI_NODE_ARGS = (await kizukiNodeArgs()).join(' ');
// Kizuki and the reference run as `npm start` does: bundled, with plain node.
const bundled = await bundleServers();
const HOCUSPOCUS = 'bench/peers/hocuspocus-server.mjs';
if (PEERS.includes('hocuspocus') && !existsSync('bench/peers/node_modules/@hocuspocus/server')) {
  console.error('installing the peer servers (bench/peers) …');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: 'bench/peers', stdio: 'inherit' });
}
const entries: Record<Kind, string> = { ...bundled, hocuspocus: HOCUSPOCUS };
pinLoad();

async function startServer(kind: Kind): Promise<{ child: ChildProcess; port: number; describe: string }> {
  // npm start's node options for Kizuki (package.json); override with BENCH_KIZUKI_NODE_ARGS.
  // BENCH_PEER_NODE_ARGS gives the peers node options too (e.g. --trace-gc to compare).
  const execArgv = (kind === 'kizuki' ? (process.env.BENCH_KIZUKI_NODE_ARGS ?? KIZUKI_NODE_ARGS) : (process.env.BENCH_PEER_NODE_ARGS ?? '')).split(' ').filter(Boolean);
  // BENCH_SERVER_STDOUT=1 shows the servers' standard output (e.g. with --trace-gc in BENCH_KIZUKI_NODE_ARGS).
  const child = forkServer(entries[kind], execArgv, ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit', 'ipc']);
  const ready = await new Promise<{ port: number; database: string }>((resolve, reject) => {
    child.on('message', (m: { type?: string; port: number; database: string }) => m.type === 'ready' && resolve(m));
    child.once('exit', () => reject(new Error(`${kind} server exited`)));
  });
  return { child, port: ready.port, describe: ready.database };
}

/** Sends a command to a benchmark server and waits for its answer. */
async function ask(child: ChildProcess, cmd: string): Promise<void> {
  const id = Math.random();
  await new Promise<void>((resolve) => {
    const onMessage = (m: { type?: string; id?: number }) => {
      if (m.type === 'stats' && m.id === id) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.send({ cmd, id });
  });
}

function procStat(pid: number): { cpuSeconds: number; systemSeconds: number; peakMb: number; syscalls: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const systemSeconds = Number(fields[12]) / TICKS_PER_SECOND;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
  // Read and write system calls so far: how many times the server went to the kernel for its sockets.
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const syscalls = Number(/syscr:\s+(\d+)/.exec(io)![1]) + Number(/syscw:\s+(\d+)/.exec(io)![1]);
  return { cpuSeconds, systemSeconds, peakMb, syscalls };
}

interface Seat {
  url: string;
  docName: string;
  headers?: Record<string, string>;
}

/** Kizuki: a room is one company's sheet, its clients that company's members (real sign-ins). */
async function kizukiSeats(port: number, rooms: number, clients: number): Promise<Seat[]> {
  const origin = `http://127.0.0.1:${port}`;
  const facilitator = new ApiClient(origin);
  const setup = await facilitator.post('/api/setup', { email: 'cost@example.jp', password: 'benchmark password', displayName: 'Cost' });
  if (setup.status === 409) await facilitator.post('/api/auth/login', { email: 'cost@example.jp', password: 'benchmark password' });
  const event = (await facilitator.post('/api/events', { title: `cost ${rooms}x${clients}`, date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Seat[] = [];
  const all = Array.from({ length: rooms * clients }, (_, n) => n);
  for (let i = 0; i < all.length; i += 25) {
    seats.push(
      ...(await Promise.all(
        all.slice(i, i + 25).map(async (n) => {
          const client = new ApiClient(origin);
          const res = await client.post('/api/join', { code: joinCode, displayName: `P${n}`, companyName: `部屋${Math.floor(n / clients)}` });
          if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
          const docName = `sheet:${res.body.eventCompanyId}`;
          return { url: `ws://127.0.0.1:${port}/yjs/${docName}`, docName, headers: { cookie: client.cookie!, origin } };
        }),
      )),
    );
  }
  return seats;
}

function peerSeats(kind: 'reference' | 'hocuspocus', port: number, rooms: number, clients: number): Seat[] {
  return Array.from({ length: rooms * clients }, (_, n) => {
    const docName = `room-${Math.floor(n / clients)}`;
    return { url: kind === 'reference' ? `ws://127.0.0.1:${port}/${docName}` : `ws://127.0.0.1:${port}`, docName };
  });
}

async function runRow(kind: Kind, rooms: number, clients: number) {
  const server = await startServer(kind);
  const protocol: Protocol = kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket';
  const connections: LoadClient[] = [];
  try {
    const seats = kind === 'kizuki' ? await kizukiSeats(server.port, rooms, clients) : peerSeats(kind, server.port, rooms, clients);
    const probesPerRoom = clients > 5 ? 5 : 1;
    // Send time of every probe edit, keyed by the (client, clock) its update ends at.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let measuring = false;
    const onUpdate = (update: Uint8Array, arrivedAt: number) => {
      if (!measuring) return;
      for (const [client, clock] of Y.parseUpdateMeta(update).to) {
        const sent = sentAt.get(`${client}:${clock}`);
        if (sent !== undefined) latencies.push(arrivedAt - sent);
      }
    };
    const probes: Y.Doc[] = [];
    seats.forEach((seat, n) => {
      const doc = n % clients < probesPerRoom ? new Y.Doc() : undefined;
      if (doc) {
        probes.push(doc);
        doc.on('update', (update: Uint8Array, origin: unknown) => {
          if (typeof origin === 'symbol') return; // applied from the network
          for (const [client, clock] of Y.parseUpdateMeta(update).to) if (client === doc.clientID) sentAt.set(`${client}:${clock}`, now());
        });
      }
      connections.push(loadClient({ ...seat, protocol, doc, onUpdate, now }));
    });
    await Promise.all(connections.map((c) => c.synced));
    const timers: NodeJS.Timeout[] = [];
    probes.forEach((doc, n) => {
      timers.push(setTimeout(() => timers.push(setInterval(() => doc.getMap('probe').set(`p${n}`, { t: now() }), INTERVAL_MS)), Math.random() * INTERVAL_MS));
    });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    // BENCH_ALLOC_PROFILE=<file>: Kizuki samples its allocations over the window (bench/kizuki-server.ts).
    const allocProfile = kind === 'kizuki' && !!process.env.BENCH_ALLOC_PROFILE;
    if (allocProfile) await ask(server.child, 'allocStart');
    const before = procStat(server.child.pid!);
    measuring = true;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const after = procStat(server.child.pid!);
    if (allocProfile) await ask(server.child, 'allocStop');
    for (const t of timers) clearInterval(t);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(0.99 * latencies.length))] ?? NaN;
    return { p99, peakMb: after.peakMb, cpu: after.cpuSeconds - before.cpuSeconds, systemCpu: after.systemSeconds - before.systemSeconds, syscalls: after.syscalls - before.syscalls, samples: latencies.length, describe: server.describe };
  } finally {
    for (const c of connections) c.close();
    server.child.send({ cmd: 'stop' });
    await new Promise((r) => server.child.once('exit', r));
  }
}

type Result = Awaited<ReturnType<typeof runRow>>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Each figure's median over the runs (not one run's figures). */
const medianOf = (rs: Result[]): Result => ({
  p99: median(rs.map((r) => r.p99)),
  peakMb: median(rs.map((r) => r.peakMb)),
  cpu: median(rs.map((r) => r.cpu)),
  systemCpu: median(rs.map((r) => r.systemCpu)),
  syscalls: median(rs.map((r) => r.syscalls)),
  samples: median(rs.map((r) => r.samples)),
  describe: rs[0]!.describe,
});
const f = (n: number, d = 1) => n.toFixed(d);
// BENCH_CPU_DETAIL=1 adds the kernel's share of the CPU time, the server's read/write system calls
// and the number of latency samples.
const cell = (r: Result) => `${f(r.p99)} / ${f(r.peakMb, 0)} MB / ${f(r.cpu, 2)}` + (process.env.BENCH_CPU_DETAIL ? ` (sys ${f(r.systemCpu, 2)}, ${r.syscalls} syscalls, n=${r.samples})` : '');
const lines: string[] = [];
let database = '';
for (const { rooms, clients } of ROWS) {
  const peers: Partial<Record<'reference' | 'hocuspocus', Result>> = {};
  const runs: Record<Kind, Result[]> = { reference: [], hocuspocus: [], kizuki: [] };
  // Interleaved, so a slow spell of the machine hits every server alike.
  for (let r = 0; r < REPEAT; r++) for (const kind of [...PEERS, 'kizuki'] as Kind[]) runs[kind].push(await runRow(kind, rooms, clients));
  for (const peer of PEERS) peers[peer] = medianOf(runs[peer]);
  const kizuki = medianOf(runs.kizuki);
  database = kizuki.describe;
  const reference = peers.reference!;
  const bestP99 = Math.min(...Object.values(peers).map((r) => r.p99));
  lines.push(
    `| ${rooms} room${rooms > 1 ? 's' : ''} × ${clients} | ${PEERS.map((p) => cell(peers[p]!)).join(' | ')} | ${cell(kizuki)} | ${f(kizuki.p99 / bestP99, 2)} / ${f(kizuki.peakMb / reference.peakMb, 2)} / ${f(kizuki.cpu / reference.cpu, 2)} |`,
  );
  console.error(lines.at(-1));
}
const names: Record<string, string> = { reference: 'y-websocket reference', hocuspocus: 'Hocuspocus 4.7' };
console.log(`\nKizuki on ${database}; ${SECONDS} s measured per row${REPEAT > 1 ? `, medians of ${REPEAT} runs` : ''}; ${pinningNote()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('fan-out p99 ms / server peak RSS / server CPU-s in the window; ratios: Kizuki p99 ÷ the better peer, RSS and CPU ÷ the reference');
console.log(`| load | ${PEERS.map((p) => names[p]).join(' | ')} | Kizuki | Kizuki ratios |`);
console.log(`|---|${PEERS.map(() => '---|').join('')}---|---|`);
for (const line of lines) console.log(line);
process.exit(0);
