// `npm run start:cluster`: two Kizuki nodes and a tiny proxy in front of them, to try multi-node
// operation on one machine. Needs a PostgreSQL server (DATABASE_URL) and Redis (REDIS_URL,
// default redis://127.0.0.1:6379). Open http://127.0.0.1:3000 (PORT); the nodes listen on PORT+1
// and PORT+2. Ctrl+C stops everything (each node saves its documents first).
import { spawn } from 'node:child_process';
import { startProxy } from './cluster-proxy.mjs';
import { startNodeArgs } from './server-bundle-options.mjs';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('start:cluster needs DATABASE_URL (the nodes share one PostgreSQL server), e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/kizuki npm run start:cluster');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const host = '127.0.0.1';
const publicOrigin = process.env.PUBLIC_ORIGIN ?? `http://${host}:${port}`;
const nodeCount = Number(process.env.NODES ?? 2);
const backends = Array.from({ length: nodeCount }, (_, i) => ({ host, port: port + 1 + i }));

const children = [];
let stopping = false;
const stop = (code = 0) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(code));
};
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

async function startNode(backend, index) {
  const child = spawn(process.execPath, [...startNodeArgs(), 'dist/server/main.mjs'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(backend.port),
      HOST: host,
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PUBLIC_ORIGIN: publicOrigin,
      // The proxy in front sets X-Forwarded-For from loopback: per-address limits count browsers.
      TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
    },
  });
  children.push(child);
  child.on('exit', (code) => {
    if (!stopping) console.error(`node ${index + 1} stopped (exit ${code}); the other node keeps serving`);
  });
  // One after the other: the first applies the migrations.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node ${index + 1} exited during start-up`);
    try {
      if ((await fetch(`http://${backend.host}:${backend.port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`node ${index + 1} did not start within 60 s`);
}

try {
  for (const [index, backend] of backends.entries()) await startNode(backend, index);
} catch (err) {
  console.error(err.message);
  stop(1);
}
if (!stopping) {
  startProxy({ port, host, backends });
  console.log(`Kizuki (${nodeCount} nodes) on ${publicOrigin}`);
}
