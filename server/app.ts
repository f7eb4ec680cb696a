// Builds the Kizuki app without listening: main.ts listens, tests call buildApp() directly.
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { HttpError } from './errors.ts';
import { trustProxyOption } from './security/trust-proxy.ts';
import databasePlugin from './plugins/database.ts';
import securityPlugin from './plugins/security.ts';
import compressionPlugin from './plugins/compression.ts';
import authPlugin from './plugins/auth.ts';
import upgradeRouterPlugin from './plugins/upgrade-router.ts';
import yjsSyncPlugin, { type SyncOptions } from './plugins/yjs-sync.ts';
import controlPlugin from './plugins/control.ts';
import cardsPlugin from './plugins/cards.ts';
import domainPlugin from './plugins/domain.ts';
import phaseTimerPlugin from './plugins/phase-timer.ts';
import staticClientPlugin from './plugins/static-client.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { eventRoutes } from './routes/events.ts';
import { joinRoutes } from './routes/join.ts';
import { memberRoutes } from './routes/members.ts';
import './types.ts';

export interface AppOptions {
  config: Config;
  /** An already open (and migrated) database; the app then leaves it open on close. */
  database?: Database;
  logger?: boolean;
  sync?: SyncOptions;
  rateLimits?: { loginPerMinute?: number; joinPerMinute?: number };
  serveClient?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    // The client address (rate limits) comes from X-Forwarded-For only when TRUST_PROXY says whose
    // to believe; otherwise anyone could pick a fresh address for every attempt.
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 256 * 1024,
    // Unknown fields are an error the caller should hear about, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);

  let database = options.database;
  const owned = !database;
  if (!database) {
    database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    await database.migrate();
  }

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    // A deliberate HttpError 5xx (503: the database is down; its thrower logs the cause) says so;
    // anything else stays generic.
    if (status >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ statusCode: status, error: 'Internal Server Error', message: 'サーバーエラーが発生しました / Something went wrong on our side' });
    }
    return reply.code(status).send({ statusCode: status, error: httpReason(status), message: error.message });
  });

  await app.register(databasePlugin, { database, owned });
  await app.register(securityPlugin);
  await app.register(compressionPlugin);
  await app.register(authPlugin);
  await app.register(upgradeRouterPlugin);
  await app.register(yjsSyncPlugin, options.sync ?? {});
  await app.register(controlPlugin);
  await app.register(domainPlugin);
  await app.register(phaseTimerPlugin);
  await app.register(cardsPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes, { loginPerMinute: options.rateLimits?.loginPerMinute ?? 10 });
  await app.register(eventRoutes);
  await app.register(memberRoutes);
  // A whole venue often shares one address: 30–50 people open the link and join within minutes.
  await app.register(joinRoutes, { joinPerMinute: options.rateLimits?.joinPerMinute ?? 120 });
  if (options.serveClient !== false) await app.register(staticClientPlugin);
  return app;
}

function httpReason(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ??
    'Error'
  );
}
