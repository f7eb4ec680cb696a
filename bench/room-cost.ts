// The cost of a room: Kizuki (auth and persistence on) beside the y-websocket reference server, the
// same load against each, one after the other, each server in its own process. Per row: edit
// fan-out p99 (ms), the server's peak RSS (MB) and its CPU-seconds during the measured window,
// with Kizuki / reference ratios.
//
// Load: every client of a room is on one document; a few probes per room (5 in big rooms, 1 in
// rooms of 5) write { t } every 250 ms, every other client records arrival − t.
//
//   npm run bench:cost                               # all rows, PGlite
//   DATABASE_URL=postgres://… npm run bench:cost     # Kizuki on PostgreSQL
//   npm run bench:cost -- --rows=1x50,100x5 --seconds=5
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { bundleServers } from './lib/bundle.ts';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROWS = (arg('rows') ?? '1x50,1x200,1x500,100x5,200x5').split(',').map((r) => {
  const [rooms, clients] = r.split('x').map(Number);
  if (!rooms || !clients) throw new Error(`row "${r}" must be <rooms>x<clients per room>`);
  return { rooms, clients };
});
const SECONDS = Number(arg('seconds') ?? 8);
const WARMUP_MS = 1500;
const INTERVAL_MS = 250;
/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

const now = () => performance.timeOrigin + performance.now();

interface ServerProcess {
  child: ChildProcess;
  port: number;
  describe: string;
}

/** The node options `npm start` gives Kizuki (see package.json "start"). */
const KIZUKI_NODE_ARGS = (JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string).match(/^node((?: --[\w-]+=\S+)*) /)?.[1]?.trim() ?? '';
// Both servers run as `npm start` does: bundled, with plain node.
const entries = await bundleServers();

async function startServer(kind: 'kizuki' | 'reference'): Promise<ServerProcess> {
  const child = fork(entries[kind], [], {
    // npm start's node options for Kizuki (package.json); override with BENCH_KIZUKI_NODE_ARGS.
    execArgv: kind === 'kizuki' ? (process.env.BENCH_KIZUKI_NODE_ARGS ?? KIZUKI_NODE_ARGS).split(' ').filter(Boolean) : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; database: string }>((resolve, reject) => {
    child.on('message', (m: { type?: string; port: number; database: string }) => m.type === 'ready' && resolve(m));
    child.once('exit', () => reject(new Error(`${kind} server exited`)));
  });
  return { child, port: ready.port, describe: ready.database };
}

function procStat(pid: number): { cpuSeconds: number; peakMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
  return { cpuSeconds, peakMb };
}

/** Kizuki: a room is one company's sheet, its clients that company's members (real sign-ins). */
async function kizukiSeats(port: number, rooms: number, clients: number): Promise<Array<{ docName: string; cookie?: string }>> {
  const origin = `http://127.0.0.1:${port}`;
  const facilitator = new ApiClient(origin);
  const setup = await facilitator.post('/api/setup', { email: 'cost@example.jp', password: 'benchmark password', displayName: 'Cost' });
  if (setup.status === 409) await facilitator.post('/api/auth/login', { email: 'cost@example.jp', password: 'benchmark password' });
  const event = (await facilitator.post('/api/events', { title: `cost ${rooms}x${clients}`, date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Array<{ docName: string; cookie?: string }> = [];
  const all = Array.from({ length: rooms * clients }, (_, n) => n);
  for (let i = 0; i < all.length; i += 25) {
    seats.push(
      ...(await Promise.all(
        all.slice(i, i + 25).map(async (n) => {
          const client = new ApiClient(origin);
          const res = await client.post('/api/join', { code: joinCode, displayName: `P${n}`, companyName: `部屋${Math.floor(n / clients)}` });
          if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
          return { docName: `sheet:${res.body.eventCompanyId}`, cookie: client.cookie };
        }),
      )),
    );
  }
  return seats;
}

async function runRow(kind: 'kizuki' | 'reference', rooms: number, clients: number) {
  const server = await startServer(kind);
  const origin = `http://127.0.0.1:${server.port}`;
  const providers: WebsocketProvider[] = [];
  try {
    const seats =
      kind === 'kizuki'
        ? await kizukiSeats(server.port, rooms, clients)
        : Array.from({ length: rooms * clients }, (_, n) => ({ docName: `room-${Math.floor(n / clients)}`, cookie: undefined }));
    const probesPerRoom = clients > 5 ? 5 : 1;
    const latencies: number[] = [];
    let measuring = false;
    seats.forEach((seat, n) => {
      const doc = new Y.Doc();
      const key = `c${n}`;
      const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/${kind === 'kizuki' ? 'yjs' : ''}`.replace(/\/$/, ''), seat.docName, doc, {
        WebSocketPolyfill: webSocketClass({ cookie: seat.cookie, origin }) as never,
        disableBc: true,
      });
      doc.getMap('probe').observe((event) => {
        if (!measuring) return;
        const arrived = now();
        for (const changed of event.keysChanged) if (changed !== key) latencies.push(arrived - (doc.getMap('probe').get(changed) as { t: number }).t);
      });
      providers.push(provider);
    });
    await Promise.all(providers.map((p) => new Promise<void>((r) => (p.synced ? r() : p.once('sync', () => r())))));
    const timers: NodeJS.Timeout[] = [];
    providers.forEach((p, n) => {
      if (n % clients >= probesPerRoom) return;
      timers.push(setTimeout(() => timers.push(setInterval(() => p.doc.getMap('probe').set(`c${n}`, { t: now() }), INTERVAL_MS)), Math.random() * INTERVAL_MS));
    });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const before = procStat(server.child.pid!);
    measuring = true;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const after = procStat(server.child.pid!);
    for (const t of timers) clearInterval(t);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(0.99 * latencies.length))] ?? NaN;
    return { p99, peakMb: after.peakMb, cpu: after.cpuSeconds - before.cpuSeconds, samples: latencies.length, describe: server.describe };
  } finally {
    for (const p of providers) p.destroy();
    server.child.send({ cmd: 'stop' });
    await new Promise((r) => server.child.once('exit', r));
  }
}

const lines: string[] = [];
let database = '';
for (const { rooms, clients } of ROWS) {
  const reference = await runRow('reference', rooms, clients);
  const kizuki = await runRow('kizuki', rooms, clients);
  database = kizuki.describe;
  const f = (n: number, d = 1) => n.toFixed(d);
  lines.push(
    `| ${rooms} room${rooms > 1 ? 's' : ''} × ${clients} | ${f(reference.p99)} / ${f(reference.peakMb, 0)} MB / ${f(reference.cpu, 2)} | ${f(kizuki.p99)} / ${f(kizuki.peakMb, 0)} MB / ${f(kizuki.cpu, 2)} | ${f(kizuki.p99 / reference.p99, 2)} / ${f(kizuki.peakMb / reference.peakMb, 2)} / ${f(kizuki.cpu / reference.cpu, 2)} |`,
  );
  console.error(lines.at(-1));
}
console.log(`\nKizuki on ${database}; ${SECONDS} s measured per row; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('fan-out p99 ms / server peak RSS / server CPU-s in the window');
console.log('| load | y-websocket reference | Kizuki | Kizuki ÷ reference |');
console.log('|---|---|---|---|');
for (const line of lines) console.log(line);
process.exit(0);
