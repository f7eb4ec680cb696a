// The only module that reads process.env. Everything else receives a typed Config.
import path from 'node:path';
import { isIP } from 'node:net';

/**
 * How long document edits wait to be written together when SYNC_FLUSH_DELAY_MS is unset. PGlite
 * runs its SQL in this process, so fewer, larger writes save a third of the server's CPU in a
 * session (bench:cost); a PostgreSQL server takes them sooner, so an edit is stored ~60 ms after it
 * arrives. Clients send what the server lost on reconnect either way (Yjs sync).
 */
export const DEFAULT_FLUSH_DELAY_MS = { pg: 50, pglite: 250 } as const;

export interface Config {
  port: number;
  host: string;
  /** postgres://… — when absent, the embedded PGlite database in dataDir is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /** How long document edits are batched before one database write (ms); unset: see DEFAULT_FLUSH_DELAY_MS. */
  syncFlushDelayMs: number | undefined;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** The origin browsers use to reach us (e.g. https://kizuki.example.jp). Also decides Secure cookies. */
  publicOrigin: string | undefined;
  /**
   * Whose X-Forwarded-For to believe (Fastify's trustProxy): false = nobody (the client address is
   * the socket's), a number = that many proxy hops in front of us, or proxy addresses / CIDRs.
   */
  trustProxy: false | number | string[];
  /** Extra host names (Host header) the server accepts besides loopback, HOST and its own addresses. */
  allowedHosts: string[];
  logLevel: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const redisUrl = nonEmpty(env.REDIS_URL);
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  if (redisUrl && !databaseUrl) {
    // PGlite lives inside one process; nodes sharing documents must share one database server.
    throw new ConfigError('REDIS_URL (several nodes) needs DATABASE_URL: the nodes share one PostgreSQL server, not the embedded PGlite');
  }
  const syncFlushDelayMs = env.SYNC_FLUSH_DELAY_MS === undefined || env.SYNC_FLUSH_DELAY_MS === '' ? undefined : Number(env.SYNC_FLUSH_DELAY_MS);
  if (syncFlushDelayMs !== undefined && (!Number.isInteger(syncFlushDelayMs) || syncFlushDelayMs < 1 || syncFlushDelayMs > 60_000)) {
    throw new ConfigError(`SYNC_FLUSH_DELAY_MS must be an integer between 1 and 60000, got "${env.SYNC_FLUSH_DELAY_MS}"`);
  }
  const redisPrefix = nonEmpty(env.REDIS_PREFIX) ?? 'kizuki';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX may hold only letters, digits, "_", "." and "-" (at most 64)');
  }
  const publicOrigin = nonEmpty(env.PUBLIC_ORIGIN);
  if (publicOrigin) {
    let parsed: URL;
    try {
      parsed = new URL(publicOrigin);
    } catch {
      throw new ConfigError(`PUBLIC_ORIGIN is not a URL: "${publicOrigin}"`);
    }
    if (parsed.origin !== publicOrigin.replace(/\/$/, '')) {
      throw new ConfigError(`PUBLIC_ORIGIN must be an origin only (scheme://host[:port]), got "${publicOrigin}"`);
    }
  }
  const trustProxy = parseTrustProxy(nonEmpty(env.TRUST_PROXY));
  const allowedHosts = parseAllowedHosts(nonEmpty(env.ALLOWED_HOSTS));
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const adminEmail = nonEmpty(env.KIZUKI_ADMIN_EMAIL);
  const adminPassword = nonEmpty(env.KIZUKI_ADMIN_PASSWORD);
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError('Set both KIZUKI_ADMIN_EMAIL and KIZUKI_ADMIN_PASSWORD, or neither');
  }
  return {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(nonEmpty(env.DATA_DIR) ?? './data'),
    redisUrl,
    redisPrefix,
    syncFlushDelayMs,
    publicOrigin: publicOrigin?.replace(/\/$/, ''),
    trustProxy,
    allowedHosts,
    logLevel,
    adminEmail,
    adminPassword,
  };
}

/** Names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 16) throw new ConfigError(`TRUST_PROXY as a hop count must be 0–16, got "${value}"`);
    return hops === 0 ? false : hops;
  }
  if (/^(true|yes|on|\*)$/i.test(value)) {
    throw new ConfigError('TRUST_PROXY must be a hop count or proxy addresses, not "trust everyone": anyone could then choose their own client address');
  }
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_RANGE_NAMES.has(entry) && (family === 0 || !validBits || extra !== undefined)) {
      throw new ConfigError(`TRUST_PROXY: "${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`);
    }
  }
  return entries.length === 0 ? false : entries;
}

function parseAllowedHosts(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry) => {
      // Host names only: a port, scheme or path would never match (the port is not checked).
      if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.:-]+)$/.test(entry) || (entry.split(':').length === 2 && !entry.startsWith('['))) {
        throw new ConfigError(`ALLOWED_HOSTS: "${entry}" is not a host name or address (no scheme, port or path)`);
      }
      return entry.replace(/^\[|\]$/g, '');
    });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
