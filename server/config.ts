// The only module that reads process.env. Everything else receives a typed Config.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** postgres://… — when absent, the embedded PGlite database in dataDir is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /** The origin browsers use to reach us (e.g. https://kizuki.example.jp). Also decides Secure cookies. */
  publicOrigin: string | undefined;
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
    redisUrl: nonEmpty(env.REDIS_URL),
    publicOrigin: publicOrigin?.replace(/\/$/, ''),
    logLevel,
    adminEmail,
    adminPassword,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
