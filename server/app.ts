// Builds the Kizuki app without listening: main.ts listens, tests call buildApp() directly.
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DEFAULT_FLUSH_DELAY_MS, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { HttpError, isUnstorableText, UNSTORABLE_TEXT_MESSAGE } from './errors.ts';
import { describeValidation, type SchemaError } from './validation-messages.ts';
import { QuietRequestLog } from './request-log.ts';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';
import { jsonNestingExceeds, tooDeep } from './text-rules.ts';
import { trustProxyOption } from './security/trust-proxy.ts';
import { limitConnections } from './net/connection-limits.ts';
import databasePlugin from './plugins/database.ts';
import securityPlugin from './plugins/security.ts';
import compressionPlugin from './plugins/compression.ts';
import authPlugin from './plugins/auth.ts';
import upgradeRouterPlugin from './plugins/upgrade-router.ts';
import yjsSyncPlugin, { type SyncOptions } from './plugins/yjs-sync.ts';
import controlPlugin from './plugins/control.ts';
import cardsPlugin from './plugins/cards.ts';
import domainPlugin from './plugins/domain.ts';
import clusterPlugin from './plugins/cluster.ts';
import phaseTimerPlugin from './plugins/phase-timer.ts';
import staticClientPlugin from './plugins/static-client.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { eventRoutes } from './routes/events.ts';
import { joinRoutes } from './routes/join.ts';
import { memberRoutes } from './routes/members.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { serverInfoRoutes } from './routes/server-info.ts';
import { seriesRoutes } from './routes/series.ts';
import { actionRoutes } from './routes/actions.ts';
import { companyRoutes } from './routes/companies.ts';
import { exportRoutes } from './routes/exports.ts';
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
  // Route schemas compile on first use, not all at start-up (server/lazy-schema-compilers.ts).
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    schemaController: { compilersFactory: schemas.compilersFactory },
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // main.ts prints where Kizuki runs in plain words; Fastify's JSON line would repeat it.
            hooks: {
              logMethod(args, method) {
                if (typeof args[0] === 'string' && args[0].startsWith('Server listening at')) return;
                method.apply(this, args);
              },
            },
          },
    // At `info`, only failed API requests; every request at `debug` (server/request-log.ts).
    logController: new QuietRequestLog(),
    // A mangled link (/join/%E0%A4%A) is still a page: the app shows its "link broken" page.
    rewriteUrl: (req) => pageUrlOrItself(req.url ?? '/'),
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      void (reply as unknown as PlainReply).code(status).send({ statusCode: status, error: httpReason(status), message: MALFORMED_URL });
    },
    // The client address (rate limits) comes from X-Forwarded-For only when TRUST_PROXY says whose
    // to believe; otherwise anyone could pick a fresh address for every attempt.
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 256 * 1024,
    // Unknown fields are an error the caller should hear about, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  limitConnections(app.server, { behindProxy: config.trustProxy !== false });

  // A JSON body nested deeper than the text rules allow is refused before JSON.parse, which alone
  // would spend ~100 ms on 256 KB of brackets.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, nestingLimitedJsonParser(app.getDefaultJsonParser('error', 'error')));

  app.decorate('config', config);
  app.decorate('compileAllSchemas', schemas.compileAll);

  let database = options.database;
  const owned = !database;
  if (!database) {
    database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    await database.migrate();
  }

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    // Text with a character PostgreSQL cannot store is the request's fault, not ours.
    if (isUnstorableText(error)) {
      request.log.warn('the database refused a character of the request: a check before it is missing');
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: UNSTORABLE_TEXT_MESSAGE });
    }
    const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    // A deliberate HttpError 5xx (503: the database is down; its thrower logs the cause) says so;
    // anything else stays generic.
    if (status >= 500 && !(error instanceof HttpError)) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ statusCode: status, error: 'Internal Server Error', message: 'サーバーエラーが発生しました / Something went wrong on our side' });
    }
    if (Array.isArray(error.validation)) {
      const context = (error as { validationContext?: string }).validationContext;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', ...describeValidation(error.validation as SchemaError[], context, request.routeOptions.url) });
    }
    const code = (error as { code?: string }).code;
    let message = (code && FRAMEWORK_MESSAGES[code]) || error.message;
    // @fastify/rate-limit's own error ("Rate limit exceeded, retry in 1 minute"); ours are HttpErrors.
    if (status === 429 && !(error instanceof HttpError)) {
      message = `試行が多すぎます。しばらく待ってから、もう一度お試しください / Too many attempts. ${error.message}`;
    }
    const rule = error instanceof HttpError && error.rule ? { rule: error.rule } : {};
    const detail = error instanceof HttpError && error.detail ? error.detail : {};
    return reply.code(status).send({ statusCode: status, error: httpReason(status), message, ...detail, ...rule });
  });

  await app.register(databasePlugin, { database, owned });
  await app.register(clusterPlugin);
  await app.register(securityPlugin);
  await app.register(compressionPlugin);
  await app.register(authPlugin);
  await app.register(upgradeRouterPlugin);
  await app.register(yjsSyncPlugin, { flushDelayMs: config.syncFlushDelayMs ?? DEFAULT_FLUSH_DELAY_MS[database.driver], ...options.sync });
  await app.register(controlPlugin);
  await app.register(domainPlugin);
  await app.register(phaseTimerPlugin);
  await app.register(cardsPlugin);
  await app.register(healthRoutes);
  await app.register(authRoutes, { loginPerMinute: options.rateLimits?.loginPerMinute ?? 10 });
  await app.register(eventRoutes);
  await app.register(memberRoutes);
  await app.register(assessmentRoutes);
  await app.register(serverInfoRoutes);
  await app.register(seriesRoutes);
  await app.register(actionRoutes);
  await app.register(companyRoutes);
  await app.register(exportRoutes);
  // A whole venue often shares one address: 30–50 people open the link and join within minutes.
  await app.register(joinRoutes, { joinPerMinute: options.rateLimits?.joinPerMinute ?? 120 });
  if (options.serveClient !== false) await app.register(staticClientPlugin);
  return app;
}

type JsonParser = ReturnType<FastifyInstance['getDefaultJsonParser']>;

/**
 * Fastify's own JSON parser (prototype poisoning refused, as by default) behind a one-pass
 * nesting check; a body too deep fails validation of the body as a whole (rule maxDepth).
 */
function nestingLimitedJsonParser(parse: JsonParser): JsonParser {
  return (request, body, done) => {
    if (typeof body === 'string' && jsonNestingExceeds(body)) {
      const problem = tooDeep();
      return done(Object.assign(new Error(problem.message), { statusCode: 400, validation: [problem], validationContext: 'body' }), undefined);
    }
    return parse(request, body, done);
  };
}

type PlainReply = { code(status: number): { send(body: unknown): unknown } };
/** What an API path with a malformed escape (or an over-long parameter) gets. */
const MALFORMED_URL = 'URL が正しくありません。リンクを確認してください / The URL is malformed. Check the link';

/** Fastify's own request errors, said in both languages (the English half keeps Fastify's words). */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: "リクエストの本文が空です / Body cannot be empty when content-type is set to 'application/json'",
  FST_ERR_CTP_INVALID_JSON_BODY: 'リクエストの本文が正しい JSON ではありません / Body is not valid JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'リクエストが大きすぎます / Request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'この形式のリクエストは受け付けていません / Unsupported media type',
};

/**
 * A path with a malformed escape (%E0%A4%A) makes the router answer 400 with JSON before any hook
 * runs. A page path is rewritten to one no route has, so it reaches the static client's not-found
 * handler like any other page (Host check and security headers included) and gets index.html; the
 * browser keeps the original URL and the app shows its not-found page. API paths stay as they are.
 */
function pageUrlOrItself(url: string): string {
  const path = url.split('?')[0]!;
  if (path.startsWith('/api/') || path.startsWith('/yjs/')) return url;
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    return '/link-broken';
  }
}

function httpReason(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ??
    'Error'
  );
}
