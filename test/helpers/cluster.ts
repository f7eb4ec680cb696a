// Real multi-node set-ups for the cluster tests: a redis-server of our own (so a test may stop and
// restart it without touching anyone else's), a throwaway PostgreSQL database, and Kizuki nodes
// as separate processes (server/main.ts) sharing both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.ts';

export const POSTGRES_SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN || 'redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server on a free port, keeping nothing on disk (like the machine's). */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  };
  const redis: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child.once('error', () => {});
      await waitFor(ping, `redis-server on port ${port}`);
    },
    async stop() {
      const dying = child;
      child = undefined;
      if (!dying || dying.exitCode !== null) return;
      const exited = new Promise((r) => dying.once('exit', r));
      dying.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}

export interface KizukiNode {
  name: string;
  origin: string;
  wsOrigin: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface NodeOptions {
  name: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  env?: Record<string, string>;
}

export async function startNode(options: NodeOptions): Promise<KizukiNode> {
  const port = await freePort();
  // The bundle `npm start` runs (built by the cluster tests' global set-up).
  const child = spawn(process.execPath, ['dist/server/main.mjs'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.redisPrefix,
      LOG_LEVEL: process.env.TEST_SERVER_LOGS ? 'info' : 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d;
    if (process.env.TEST_SERVER_LOGS) process.stderr.write(`[${options.name}] ${d}`);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const origin = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(async () => {
    if (gone) throw new Error(`node ${options.name} exited: ${output}`);
    const res = await fetch(`${origin}/healthz`);
    return res.ok;
  }, `node ${options.name} to answer /healthz`).catch((err) => {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  });
  return {
    name: options.name,
    origin,
    wsOrigin: origin.replace(/^http/, 'ws'),
    child,
    output: () => output,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface Cluster {
  db: ThrowawayPostgres;
  redis: RedisProcess;
  prefix: string;
  nodes: KizukiNode[];
  startNode(name: string, env?: Record<string, string>): Promise<KizukiNode>;
  stop(): Promise<void>;
}

/** A fresh database and Redis, and `count` nodes started one after the other. */
export async function startCluster(count = 2): Promise<Cluster> {
  const db = await createThrowawayPostgres(POSTGRES_SERVER_URL, 'kizuki_cluster');
  const redis = await startRedis();
  const prefix = `kizuki-test-${randomBytes(4).toString('hex')}`;
  const nodes: KizukiNode[] = [];
  const cluster: Cluster = {
    db,
    redis,
    prefix,
    nodes,
    async startNode(name, env) {
      const node = await startNode({ name, databaseUrl: db.url, redisUrl: redis.url, redisPrefix: prefix, env });
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.kill('SIGTERM').catch(() => {})));
      await redis.stop();
      await db.drop().catch(() => {});
    },
  };
  try {
    for (let i = 0; i < count; i++) await cluster.startNode(String.fromCharCode(65 + i));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
