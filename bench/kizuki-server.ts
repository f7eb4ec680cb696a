// The Kizuki server as the sync benchmark runs it: its own process (so its RSS is measured alone),
// the production app with auth and persistence on, on a fresh database — PGlite in a temp dir,
// or a throwaway database on DATABASE_URL's PostgreSQL server. Talks to bench/sync.ts over IPC:
// sends { type: 'ready', port }, answers { cmd: 'stats' | 'loop' | 'resetLoop' }, stops on { cmd: 'stop' }.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/client.ts';
import { createThrowawayPostgres, dropThrowawayPostgres } from '../test/helpers/throwaway-postgres.ts';
import { YPersistence } from '../server/sync/persistence.ts';
import { LISTEN_BACKLOG } from '../server/net/listen-backlog.ts';
import { memoryAfterGc } from './lib/memory.ts';

if (!process.send) {
  console.error('bench/kizuki-server.ts is started by bench/sync.ts (it needs an IPC channel)');
  process.exit(2);
}

// How long this server's event loop was blocked (the histogram records whole 5 ms timer intervals).
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const loopLag = () => ({
  loopLagP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 5),
  loopLagMaxMs: Math.max(0, loop.max / 1e6 - 5),
});
const send = (message: object) => process.send!(message);

// BENCH_KEEP=1 keeps the database at stop; BENCH_REUSE=<what an earlier run reported as `reuse`>
// opens that database again (a restart). Otherwise the database is thrown away at stop.
async function openBenchDatabase(): Promise<{ database: Database; describe: string; reuse: string; cleanup: () => Promise<void> }> {
  const reuse = process.env.BENCH_REUSE;
  const keep = process.env.BENCH_KEEP === '1';
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const reusedName = reuse && new URL(reuse).pathname.slice(1);
    const throwaway = reusedName ? { name: reusedName, url: reuse, drop: () => dropThrowawayPostgres(serverUrl, reusedName) } : await createThrowawayPostgres(serverUrl, 'kizuki_bench');
    const database = await openDatabase({ url: throwaway.url });
    await database.migrate();
    return { database, describe: `PostgreSQL (throwaway database ${throwaway.name})`, reuse: throwaway.url, cleanup: () => (keep ? Promise.resolve() : throwaway.drop()) };
  }
  const dataDir = reuse ?? (await mkdtemp(path.join(tmpdir(), 'kizuki-bench-')));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  return {
    database,
    describe: `PGlite on disk (${dataDir})`,
    reuse: dataDir,
    cleanup: () => (keep ? Promise.resolve() : rm(dataDir, { recursive: true, force: true })),
  };
}

// Times every persistence flush (the INSERT of queued updates) without touching the server code.
const flushMs: number[] = [];
{
  const proto = YPersistence.prototype as unknown as { writePending(): Promise<void> };
  const original = proto.writePending;
  proto.writePending = async function (this: unknown) {
    const started = performance.now();
    try {
      return await original.call(this);
    } finally {
      flushMs.push(performance.now() - started);
    }
  };
}
function flushStats() {
  const sorted = [...flushMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { flushes: sorted.length, flushP50Ms: at(50), flushP99Ms: at(99), flushMaxMs: sorted[sorted.length - 1] ?? 0, flushTotalMs: sorted.reduce((a, b) => a + b, 0) };
}

const { database, describe, reuse, cleanup } = await openBenchDatabase();
const config = { ...loadConfig({ LOG_LEVEL: 'warn' }), port: 0, host: '127.0.0.1' };
const app = await buildApp({
  config,
  database,
  logger: false,
  serveClient: false,
  rateLimits: { loginPerMinute: 100_000, joinPerMinute: 100_000 },
  // Production sync settings (flush cadence, compaction, heartbeat): the defaults main.ts uses,
  // unless an experiment overrides some, e.g. BENCH_KIZUKI_SYNC='{"flushDelayMs":500}'.
  sync: process.env.BENCH_KIZUKI_SYNC ? JSON.parse(process.env.BENCH_KIZUKI_SYNC) : {},
});
await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
const port = (app.server.address() as { port: number }).port;

async function stats() {
  const db = database.db;
  const one = async (query: ReturnType<typeof sql>) => {
    const result = (await db.execute(query)) as unknown as { rows: Array<Record<string, unknown>> };
    return result.rows[0] ?? {};
  };
  const updates = await one(sql`select count(*)::int as rows, coalesce(sum(octet_length(update)), 0)::bigint as bytes, count(distinct doc_name)::int as docs from yjs_updates`);
  const snapshots = await one(sql`select count(*)::int as rows, coalesce(sum(octet_length(state)), 0)::bigint as bytes from yjs_snapshots`);
  return {
    ...loopLag(),
    loadedDocs: app.docs.loadedCount,
    updateRows: Number(updates.rows),
    updateBytes: Number(updates.bytes),
    updateDocs: Number(updates.docs),
    snapshotRows: Number(snapshots.rows),
    snapshotBytes: Number(snapshots.bytes),
  };
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await app.close();
    await database.close();
    await cleanup();
  } finally {
    process.exit(code);
  }
}

// BENCH_ALLOC_PROFILE=<file>: samples every allocation between 'allocStart' and 'allocStop' (the
// benchmark's measured window), garbage included, and writes the profile as a .heapprofile
// (Chrome DevTools' Memory tab reads it) — where the young generation's churn comes from.
const allocSession = process.env.BENCH_ALLOC_PROFILE ? new (await import('node:inspector/promises')).Session() : null;
async function allocCommand(cmd: 'allocStart' | 'allocStop'): Promise<void> {
  if (!allocSession) return;
  if (cmd === 'allocStart') {
    allocSession.connect();
    await allocSession.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  } else {
    const { profile } = (await allocSession.post('HeapProfiler.stopSampling')) as { profile: unknown };
    const { writeFile } = await import('node:fs/promises');
    await writeFile(process.env.BENCH_ALLOC_PROFILE!, JSON.stringify(profile));
    allocSession.disconnect();
  }
}

process.on('message', (message: { cmd?: string; id?: number }) => {
  if (message.cmd === 'allocStart' || message.cmd === 'allocStop') {
    void allocCommand(message.cmd).then(() => send({ type: 'stats', id: message.id, stats: {} }));
  } else if (message.cmd === 'resetLoop') {
    loop.reset();
    flushMs.length = 0;
    if (process.env.BENCH_MARKS) console.error(`mark window-start ${process.hrtime.bigint() / 1000n}`);
    send({ type: 'stats', id: message.id, stats: {} });
  } else if (message.cmd === 'loop') {
    if (process.env.BENCH_MARKS) console.error(`mark window-end ${process.hrtime.bigint() / 1000n}`);
    send({ type: 'stats', id: message.id, stats: { ...loopLag(), ...flushStats() } });
  } else if (message.cmd === 'memory') {
    void memoryAfterGc().then((m) => send({ type: 'stats', id: message.id, stats: m }));
  } else if (message.cmd === 'stats') {
    stats().then(
      (s) => send({ type: 'stats', id: message.id, stats: s }),
      (err) => send({ type: 'stats', id: message.id, error: String(err) }),
    );
  } else if (message.cmd === 'stop') {
    void stop();
  }
});
// The parent going away (crash, Ctrl-C) must not leave this server running.
process.on('disconnect', () => void stop(1));
process.on('SIGTERM', () => void stop(0));

send({ type: 'ready', port, database: describe, reuse });
