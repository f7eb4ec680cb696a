// Opens the database: PostgreSQL through `pg` when a URL is given, embedded PGlite otherwise.
// Both return the same drizzle type so every query is written once.
import { fileURLToPath } from 'node:url';
import { loadPg } from './load-pg.ts';
import { PGliteThread } from './pglite-thread.ts';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'pg' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `fn` while holding the lock `key` (any constant bigint unique to its use): one caller at a
   * time across every node sharing the database (a PostgreSQL advisory lock on a connection of its
   * own, released when fn settles or the node dies), or within the process for PGlite.
   */
  exclusively<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** PGlite only: the whole database as a tarball (tests start from a migrated template). */
  dumpDataDir?(): Promise<Blob>;
}

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory; absent = in memory (tests). */
  dataDir?: string;
  /** PGlite: start in memory from a dump made by dumpDataDir(). */
  loadDataDir?: Blob;
  /** PGlite: called once if the embedded database stops unexpectedly (nothing can be saved then). */
  onFatal?: (err: Error) => void;
}

/** Any fixed number: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 4_711_2026;

/** Holds a session advisory lock on a client of its own while `fn` runs with that client. */
async function withAdvisoryLock<T>(pool: pg.Pool, key: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await fn(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/**
 * Several nodes may start at once against one PostgreSQL: one migrates while the others wait on
 * an advisory lock, then find nothing left to do.
 */
async function migratePgLocked(pool: pg.Pool): Promise<void> {
  const { drizzle: drizzlePg } = await import('drizzle-orm/node-postgres');
  const { migrate: migratePg } = await import('drizzle-orm/node-postgres/migrator');
  await withAdvisoryLock(pool, MIGRATION_LOCK_KEY, (client) => migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder }));
}

/** PGlite lives in one process: a chain of promises per key is the lock. */
function inProcessLocks(): Database['exclusively'] {
  const tails = new Map<number, Promise<unknown>>();
  return (key, fn) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return run;
  };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  // Each driver is loaded only when used: a PostgreSQL server does not carry PGlite in memory, nor
  // the embedded install pg.
  if (options.url) {
    const pg = await loadPg();
    const { drizzle: drizzlePg } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      driver: 'pg',
      migrate: () => migratePgLocked(pool),
      exclusively: (key, fn) => withAdvisoryLock(pool, key, () => fn()),
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => pool.end(),
    };
  }
  // PGlite runs on a worker thread so its synchronous SQL never stalls sockets (see pglite-worker.mjs).
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
  const client = await PGliteThread.open({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, onFatal: options.onFatal });
  const db = drizzlePglite({ client: client as never, schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    exclusively: inProcessLocks(),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir(),
  };
}
