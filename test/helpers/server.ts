// Starts a real Kizuki server on a free port for a test, on a database the test controls.
import type { FastifyInstance } from 'fastify';
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
