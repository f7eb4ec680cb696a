// Starts a real Kizuki server on a free port for a test, on a database the test controls.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { connectProvider } from './yjs-client.ts';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> — also the Origin the server accepts. */
  origin: string;
  wsOrigin: string;
  close(): Promise<void>;
}

export async function startTestServer(
  database: Database,
  options: Partial<Omit<AppOptions, 'database' | 'config'>> & { port?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<TestServer> {
  // `env`: configuration as the environment would give it (e.g. TRUST_PROXY, PUBLIC_ORIGIN).
  const config = { ...loadConfig({ LOG_LEVEL: 'warn', ...options.env }), port: options.port ?? 0 };
  const app = await buildApp({
    config,
    database,
    logger: process.env.TEST_SERVER_LOGS === '1',
    serveClient: options.serveClient ?? false,
    rateLimits: options.rateLimits ?? { loginPerMinute: 1000, joinPerMinute: 1000 },
    sync: { flushDelayMs: 20, unloadAfterMs: 200, heartbeatMs: 60_000, ...options.sync },
  });
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    close: () => app.close(),
  };
}

/**
 * A fresh database and server for every test of the file (registers beforeEach/afterEach), and
 * stock Yjs providers opened on it that are destroyed after each test. Read `server` and `db`
 * inside tests (they change per test).
 */
export function serverPerTest(options?: Parameters<typeof startTestServer>[1]) {
  return liveServer(beforeEach, afterEach, options);
}

/**
 * One database and server for the whole file (registers beforeAll/afterAll; a file's own hooks
 * run after its set-up and before its tear-down), and stock Yjs providers opened on it that are
 * destroyed with it. Read `server` and `db` inside hooks and tests.
 */
export function serverPerFile(options?: Parameters<typeof startTestServer>[1]) {
  return liveServer(beforeAll, afterAll, options);
}

function liveServer(setUp: typeof beforeAll, tearDown: typeof afterAll, options?: Parameters<typeof startTestServer>[1]) {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  const providers: WebsocketProvider[] = [];
  setUp(async () => {
    db = await createTestDatabase();
    server = await startTestServer(db.database, options);
  });
  tearDown(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await server?.close();
    await db?.drop();
  });
  return {
    get server(): TestServer {
      return server!;
    },
    get db(): TestDatabase {
      return db!;
    },
    /** A stock provider on this server, signed in with `cookie`. */
    open(docName: string, cookie: string | undefined, doc?: Y.Doc): WebsocketProvider {
      const provider = connectProvider(server!.wsOrigin, docName, { cookie, doc });
      providers.push(provider);
      return provider;
    },
  };
}
