// Sync benchmark: Kizuki's /yjs endpoint (auth + persistence on) against the y-websocket
// reference server (@y/websocket-server), same load, one after the other.
//
//   npm run bench:sync                      # the spec: 60 clients/20 docs, then 300 clients/100 docs, 20 s each
//   BENCH_SECONDS=5 npm run bench:sync      # quick run
//   npm run bench:sync -- --seconds=5 --scenarios=60x20 --servers=kizuki,reference
//
// Other knobs (env): BENCH_WARMUP_SECONDS (2), BENCH_INTERVAL_MS (200), BENCH_QUIET_WAIT_SECONDS
// (60: before each phase, wait that long at most for other processes to leave the CPUs alone),
// DATABASE_URL (Kizuki on a throwaway PostgreSQL database instead of PGlite), and for profiling
// BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_MARKS=1 (the Kizuki
// server prints hrtime marks of the measured window), BENCH_KIZUKI_SYNC='{"flushDelayMs":500}'.
//
// Each client is a stock y-websocket WebsocketProvider (ws in Node, cookie + Origin like a
// browser) on its own Y.Doc. Every 200 ms each client writes { seq, t } under its own key of a
// Y.Map, t being its high-resolution clock; every other client of that document records
// arrival − t when the change reaches it. Latency counts edits sent during the measured window
// (after a warm-up) and delivered within a drain period after it. Each server runs in its own
// child process; its RSS (/proc/<pid>/status) and CPU (/proc/<pid>/stat) are sampled alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

// ---------------------------------------------------------------- settings

function arg(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
function numberSetting(name: string, env: string, fallback: number): number {
  const raw = arg(name) ?? process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const SECONDS = numberSetting('seconds', 'BENCH_SECONDS', 20);
const WARMUP_SECONDS = numberSetting('warmup', 'BENCH_WARMUP_SECONDS', 2);
const INTERVAL_MS = numberSetting('interval', 'BENCH_INTERVAL_MS', 200);
const DRAIN_MS = 3000;
/** Before each phase, wait up to this long for other processes to leave the CPUs alone. */
const QUIET_WAIT_SECONDS = numberSetting('quiet-wait', 'BENCH_QUIET_WAIT_SECONDS', 60);
const QUIET_CPU_PERCENT = 25;
const CLIENTS_PER_DOC = 3;
const SCENARIOS = (arg('scenarios') ?? process.env.BENCH_SCENARIOS ?? '60x20,300x100').split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m || Number(m[1]) !== Number(m[2]) * CLIENTS_PER_DOC) {
    throw new Error(`scenario "${s}" must be <clients>x<docs> with ${CLIENTS_PER_DOC} clients per doc (e.g. 60x20)`);
  }
  return { clients: Number(m[1]), docs: Number(m[2]) };
});
type ServerKind = 'kizuki' | 'reference';
const SERVERS = (arg('servers') ?? process.env.BENCH_SERVERS ?? 'kizuki,reference').split(',').map((s) => {
  const kind = s.trim();
  if (kind !== 'kizuki' && kind !== 'reference') throw new Error(`unknown server "${kind}" (kizuki or reference)`);
  return kind as ServerKind;
});
/** Extra node flags for the server processes, e.g. BENCH_SERVER_NODE_ARGS=--cpu-prof. */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_ENTRY: Record<ServerKind, string> = {
  kizuki: fileURLToPath(new URL('./kizuki-server.ts', import.meta.url)),
  reference: fileURLToPath(new URL('./reference-server.ts', import.meta.url)),
};
const LOOP_RESOLUTION_MS = 5;
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks.

// Every WebsocketProvider adds a process 'exit' listener; 300 of them are expected here.
process.setMaxListeners(0);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Every loop here is bounded; this is the last line of defence.
const totalBudgetMs = (SCENARIOS.length * SERVERS.length * (SECONDS + WARMUP_SECONDS + QUIET_WAIT_SECONDS + 120) + 60) * 1000;
const children = new Set<ChildProcess>();
const watchdog = setTimeout(() => {
  console.error(`\nbench:sync exceeded its time budget (${Math.round(totalBudgetMs / 1000)} s); stopping.`);
  killChildren();
  process.exit(3);
}, totalBudgetMs);
watchdog.unref();
function killChildren() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

// ---------------------------------------------------------------- server processes

interface ServerProcess {
  kind: ServerKind;
  child: ChildProcess;
  pid: number;
  port: number;
  database: string;
  request(cmd: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function startServer(kind: ServerKind): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.YPERSISTENCE; // the reference would otherwise persist to LevelDB
  delete env.CALLBACK_URL;
  // Both servers run under the same runtime (node + the tsx loader), so the loader costs both the same.
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', SERVER_ENTRY[kind]], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  let nextId = 1;
  const pending = new Map<number, (value: Record<string, number>) => void>();
  const ready = new Promise<{ port: number; database: string }>((resolve, reject) => {
    child.on('message', (message: { type: string; id?: number; port?: number; database?: string; stats?: Record<string, number> }) => {
      if (message.type === 'ready') resolve({ port: message.port!, database: message.database! });
      else if (message.type === 'stats') pending.get(message.id!)?.(message.stats ?? {});
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (code ${code}) before it was ready`)));
  });
  const { port, database } = await withTimeout(ready, 120_000, `starting the ${kind} server`);
  return {
    kind,
    child,
    pid: child.pid!,
    port,
    database,
    request: (cmd) => {
      const id = nextId++;
      const answer = new Promise<Record<string, number>>((resolve) => pending.set(id, resolve));
      child.send({ cmd, id });
      return withTimeout(answer, 15_000, `${kind} ${cmd}`).finally(() => pending.delete(id));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ cmd: 'stop' });
      else child.kill('SIGTERM');
      try {
        await withTimeout(exited, 15_000, `stopping the ${kind} server`);
      } catch {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Samples VmRSS of one process; peak() is the largest sample since start(). */
class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private max = 0;
  constructor(private readonly pid: number) {}

  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      return kb ? Number(kb[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
  hwmBytes(): number {
    try {
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return kb ? Number(kb[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
  /** user + system CPU seconds used so far. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
    } catch {
      return 0;
    }
  }
  start(): void {
    this.max = this.rssBytes();
    this.timer = setInterval(() => {
      this.max = Math.max(this.max, this.rssBytes());
    }, 100);
  }
  stop(): number {
    clearInterval(this.timer);
    this.max = Math.max(this.max, this.rssBytes());
    return this.max;
  }
}

/** CPU seconds used by the whole machine so far (all cores), from /proc/stat. */
function machineCpuSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
    const busy = cpu.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
    return busy / CLK_TCK;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- Kizuki fixtures over HTTP

class Http {
  cookie: string | undefined;
  constructor(readonly origin: string) {}
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { origin: this.origin };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(this.origin + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      if (pair?.startsWith('kizuki_session=') && pair !== 'kizuki_session=') this.cookie = pair;
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async expect(status: number, method: string, path: string, body?: unknown) {
    const res = await this.request(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

interface Seat {
  docName: string;
  cookie?: string;
}

/** A facilitator, one event, `docs` companies with 3 participants each: 3 writers per worksheet. */
async function kizukiSeats(origin: string, docs: number): Promise<Seat[]> {
  const facilitator = new Http(origin);
  await facilitator.expect(201, 'POST', '/api/setup', { email: 'bench@example.jp', password: 'benchmark password', displayName: 'Bench' });
  const created = await facilitator.expect(201, 'POST', '/api/events', { title: 'sync benchmark', date: '2026-12-01' });
  const { joinCode } = await facilitator.expect(200, 'GET', `/api/events/${created.id}`);
  const join = async (company: number, member: number): Promise<Seat> => {
    const client = new Http(origin);
    const body = await client.expect(201, 'POST', '/api/join', {
      code: joinCode,
      displayName: `P${company}-${member}`,
      companyName: `ベンチ商事${company}`,
    });
    return { docName: `sheet:${body.eventCompanyId}`, cookie: client.cookie };
  };
  const seats: Seat[] = [];
  // The first member creates the company; the others join it by name once it exists.
  for (let member = 0; member < CLIENTS_PER_DOC; member++) {
    for (let from = 0; from < docs; from += 10) {
      const batch = [];
      for (let company = from; company < Math.min(docs, from + 10); company++) batch.push(join(company, member));
      seats.push(...(await Promise.all(batch)));
    }
  }
  const perDoc = new Map<string, number>();
  for (const seat of seats) perDoc.set(seat.docName, (perDoc.get(seat.docName) ?? 0) + 1);
  if (perDoc.size !== docs || [...perDoc.values()].some((n) => n !== CLIENTS_PER_DOC)) {
    throw new Error(`fixture setup gave ${perDoc.size} documents, expected ${docs} × ${CLIENTS_PER_DOC} clients`);
  }
  return seats;
}

function referenceSeats(docs: number): Seat[] {
  const names = Array.from({ length: docs }, () => `sheet:${randomUUID()}`);
  return Array.from({ length: CLIENTS_PER_DOC }, () => names.map((docName) => ({ docName }))).flat();
}

// ---------------------------------------------------------------- load

function webSocketClass(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

interface Window {
  start: number;
  end: number;
}

class Recorder {
  latencies: number[] = [];
  sentInWindow = 0;
  /** Deliveries owed: each edit sent in the window, to every other client of its document. */
  expected = 0;
  window: Window = { start: Infinity, end: Infinity };
  inWindow(t: number) {
    return t >= this.window.start && t < this.window.end;
  }
}

class BenchClient {
  readonly doc = new Y.Doc();
  readonly map = this.doc.getMap<{ seq: number; t: number }>('bench');
  readonly provider: WebsocketProvider;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending = false;

  constructor(
    readonly id: number,
    wsOrigin: string,
    readonly seat: Seat,
    private readonly recorder: Recorder,
  ) {
    const headers: Record<string, string> = { origin: wsOrigin.replace(/^ws/, 'http') };
    if (seat.cookie) headers.cookie = seat.cookie;
    this.provider = new WebsocketProvider(`${wsOrigin}/yjs`, seat.docName, this.doc, {
      WebSocketPolyfill: webSocketClass(headers) as never,
      disableBc: true,
      maxBackoffTime: 1000,
    });
    this.map.observe((event, transaction) => {
      if (transaction.local) return;
      const arrived = now();
      for (const key of event.keysChanged) {
        const value = this.map.get(key);
        if (value && this.recorder.inWindow(value.t)) this.recorder.latencies.push(arrived - value.t);
      }
    });
  }

  synced(timeoutMs: number): Promise<void> {
    if (this.provider.synced) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.provider.once('sync', () => resolve())), timeoutMs, `client ${this.id} sync`);
  }

  /** Starts editing every INTERVAL_MS, at a random phase so clients don't all fire together. */
  startEditing(): void {
    this.sending = true;
    this.timer = setTimeout(() => {
      this.edit();
      this.timer = setInterval(() => this.edit(), INTERVAL_MS);
    }, Math.random() * INTERVAL_MS);
  }

  stopEditing(): void {
    this.sending = false;
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  private edit(): void {
    if (!this.sending) return;
    const t = now();
    if (this.recorder.inWindow(t)) {
      this.recorder.sentInWindow++;
      this.recorder.expected += CLIENTS_PER_DOC - 1;
    }
    this.map.set(String(this.id), { seq: this.seq++, t });
  }

  destroy(): void {
    this.stopEditing();
    this.provider.destroy();
    this.doc.destroy();
  }
}

interface Result {
  server: ServerKind;
  clients: number;
  docs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  updatesPerSecond: number;
  delivered: number;
  expected: number;
  sent: number;
  peakRssMb: number;
  idleRssMb: number;
  hwmMb: number;
  serverCpuPercent: number;
  loadgenCpuPercent: number;
  otherCpuPercent: number;
  loopDelayP99Ms: number;
  connectMs: number;
  database: string;
  statsDuring: Record<string, number>;
  statsAfter: Record<string, number>;
  serverLoop: Record<string, number>;
  serverLoopP99Ms: number;
  serverLoopMaxMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Waits (bounded) until the machine's busy CPU over 2 s is below QUIET_CPU_PERCENT of one core. */
async function waitForQuietMachine(label: string): Promise<void> {
  const deadline = now() + QUIET_WAIT_SECONDS * 1000;
  let busy = NaN;
  while (now() < deadline) {
    const before = machineCpuSeconds();
    await sleep(2000);
    busy = ((machineCpuSeconds() - before) / 2) * 100;
    if (!(busy >= QUIET_CPU_PERCENT)) return;
  }
  console.error(`${label} warning: the machine stayed busy (${fmt(busy)} % CPU used by other processes); measuring anyway`);
}

async function runPhase(kind: ServerKind, clients: number, docs: number): Promise<Result> {
  const label = `[${kind} ${clients}c/${docs}d]`;
  await waitForQuietMachine(label);
  console.error(`${label} starting server`);
  const server = await startServer(kind);
  const sampler = new ProcessSampler(server.pid);
  const benchClients: BenchClient[] = [];
  try {
    const origin = `http://127.0.0.1:${server.port}`;
    const wsOrigin = `ws://127.0.0.1:${server.port}`;
    const seats = kind === 'kizuki' ? await kizukiSeats(origin, docs) : referenceSeats(docs);
    await sleep(500);
    const idleRss = sampler.rssBytes();
    sampler.start();

    console.error(`${label} connecting ${clients} clients`);
    const recorder = new Recorder();
    const connectStart = now();
    seats.forEach((seat, i) => benchClients.push(new BenchClient(i, wsOrigin, seat, recorder)));
    await Promise.all(benchClients.map((c) => c.synced(60_000)));
    const connectMs = now() - connectStart;

    const cpuStart = sampler.cpuSeconds();
    const machineStart = machineCpuSeconds();
    const loadgenCpuStart = process.cpuUsage();
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const phaseStart = now();
    recorder.window = { start: phaseStart + WARMUP_SECONDS * 1000, end: phaseStart + (WARMUP_SECONDS + SECONDS) * 1000 };
    console.error(`${label} editing: ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured`);
    for (const c of benchClients) c.startEditing();
    await sleep(WARMUP_SECONDS * 1000);
    await server.request('resetLoop');
    loop.enable();
    await sleep(SECONDS * 1000);
    loop.disable();
    for (const c of benchClients) c.stopEditing();
    const cpuEnd = sampler.cpuSeconds();
    const loadgenCpu = process.cpuUsage(loadgenCpuStart);
    const machineEnd = machineCpuSeconds();
    const serverLoop = await server.request('loop');
    const measuredSeconds = (now() - phaseStart) / 1000;

    const drainUntil = now() + DRAIN_MS;
    while (recorder.latencies.length < recorder.expected && now() < drainUntil) await sleep(20);
    const peakRss = sampler.stop();
    const hwm = sampler.hwmBytes();

    // Let Kizuki's flush timer run, then look at what it stored while the documents are live.
    await sleep(300);
    const statsDuring = await server.request('stats');
    for (const c of benchClients.splice(0)) c.destroy();
    await sleep(500);
    const statsAfter = await server.request('stats');

    const sorted = Float64Array.from(recorder.latencies).sort();
    return {
      server: kind,
      clients,
      docs,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
      updatesPerSecond: sorted.length / SECONDS,
      delivered: sorted.length,
      expected: recorder.expected,
      sent: recorder.sentInWindow,
      peakRssMb: peakRss / 2 ** 20,
      idleRssMb: idleRss / 2 ** 20,
      hwmMb: hwm / 2 ** 20,
      serverCpuPercent: ((cpuEnd - cpuStart) / (measuredSeconds - 0)) * 100,
      loadgenCpuPercent: ((loadgenCpu.user + loadgenCpu.system) / 1e6 / measuredSeconds) * 100,
      // The histogram records whole timer intervals; the lag is what exceeds the resolution.
      // Everything else the machine ran meanwhile (other processes, PostgreSQL if DATABASE_URL):
      // if this is large, the numbers of this phase are disturbed.
      otherCpuPercent:
        ((machineEnd - machineStart - (cpuEnd - cpuStart) - (loadgenCpu.user + loadgenCpu.system) / 1e6) / measuredSeconds) * 100,
      loopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      connectMs,
      database: server.database,
      statsDuring,
      statsAfter,
      serverLoop,
      serverLoopP99Ms: serverLoop.loopLagP99Ms!,
      serverLoopMaxMs: serverLoop.loopLagMaxMs!,
    };
  } finally {
    for (const c of benchClients.splice(0)) c.destroy();
    sampler.stop();
    await server.stop();
  }
}

// ---------------------------------------------------------------- report

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function report(clients: number, docs: number, results: Result[]): void {
  console.log(
    `\n=== ${clients} clients in ${docs} documents (${CLIENTS_PER_DOC} per doc), 1 edit / ${INTERVAL_MS} ms per client, ` +
      `${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up ===`,
  );
  const header = ['server', 'clients', 'docs', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'updates/s', 'delivered', 'peak RSS MB', 'idle RSS MB', 'server CPU %', 'other CPU %'];
  const rows = [header];
  for (const r of results) {
    rows.push([
      r.server,
      String(r.clients),
      String(r.docs),
      fmt(r.p50, 2),
      fmt(r.p95, 2),
      fmt(r.p99, 2),
      fmt(r.max, 1),
      fmt(r.updatesPerSecond, 0),
      `${r.delivered}/${r.expected}`,
      fmt(r.peakRssMb),
      fmt(r.idleRssMb),
      fmt(r.serverCpuPercent),
      fmt(r.otherCpuPercent),
    ]);
  }
  const k = results.find((r) => r.server === 'kizuki');
  const ref = results.find((r) => r.server === 'reference');
  if (k && ref) {
    const ratio = (a: number, b: number) => fmt(a / b, 2);
    rows.push([
      'ratio K/ref',
      '',
      '',
      ratio(k.p50, ref.p50),
      ratio(k.p95, ref.p95),
      ratio(k.p99, ref.p99),
      ratio(k.max, ref.max),
      ratio(k.updatesPerSecond, ref.updatesPerSecond),
      '',
      ratio(k.peakRssMb, ref.peakRssMb),
      ratio(k.idleRssMb, ref.idleRssMb),
      ratio(k.serverCpuPercent, ref.serverCpuPercent),
      '',
    ]);
  }
  console.log(table(rows));
  console.log(
    `  (server CPU % = the server process's CPU time / wall time, 100 % = one core of ${os.cpus().length}; ` +
      `other CPU % = every other process on the machine meanwhile — high values mean a disturbed run)`,
  );
  for (const r of results) {
    const lost = r.expected - r.delivered;
    console.log(
      `  ${r.server}: database ${r.database}; ${r.sent} edits sent in the window, ${lost} of ${r.expected} deliveries missing after ${DRAIN_MS / 1000} s drain; ` +
        `all clients synced in ${fmt(r.connectMs, 0)} ms; ` +
        `server event-loop lag p99 ${fmt(r.serverLoopP99Ms, 1)} ms, max ${fmt(r.serverLoopMaxMs, 1)} ms; server VmHWM ${fmt(r.hwmMb)} MB (includes start-up); ` +
        `load generator ${fmt(r.loadgenCpuPercent)} % CPU, event-loop lag p99 ${fmt(r.loopDelayP99Ms, 1)} ms`,
    );
    const s = r.statsDuring;
    if (r.server === 'kizuki') {
      const f = r.serverLoop;
      console.log(
        `  kizuki persistence flushes in the window: ${f.flushes} (${fmt(f.flushes! / SECONDS)} /s), each p50 ${fmt(f.flushP50Ms!, 1)} ms, ` +
          `p99 ${fmt(f.flushP99Ms!, 1)} ms, max ${fmt(f.flushMaxMs!, 1)} ms; ${fmt(f.flushTotalMs! / 1000 / SECONDS * 100)} % of wall time spent flushing`,
      );
      console.log(
        `  kizuki persistence: ${s.loadedDocs} docs loaded; yjs_updates ${s.updateRows} rows (${fmt(s.updateBytes! / 1024)} KiB, ${s.updateDocs} docs), ` +
          `yjs_snapshots ${s.snapshotRows} rows (${fmt(s.snapshotBytes! / 1024)} KiB); after clients left: ${r.statsAfter.loadedDocs} docs still loaded ` +
          `(unloaded after 10 s idle), ${r.statsAfter.updateRows} update rows`,
      );
    } else {
      console.log(`  reference: ${s.loadedDocs} docs in memory (no persistence)`);
    }
  }
}

// ---------------------------------------------------------------- main

console.log(
  `bench:sync — Kizuki (auth + persistence) vs @y/websocket-server reference; clients: y-websocket WebsocketProvider over ws, ` +
    `all in this process; servers each in their own child process (node ${process.version}, tsx loader), on 127.0.0.1`,
);
for (const { clients, docs } of SCENARIOS) {
  const results: Result[] = [];
  for (const kind of SERVERS) {
    results.push(await runPhase(kind, clients, docs));
    await sleep(1000);
  }
  report(clients, docs, results);
}
clearTimeout(watchdog);
process.exit(0);
