// A fresh, migrated database per test: PGlite in memory, or — when DATABASE_URL is set — a new
// throwaway database on that PostgreSQL server, dropped afterwards.
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { createThrowawayPostgres } from './throwaway-postgres.ts';

export interface TestDatabase {
  database: Database;
  /** The postgres:// URL of the throwaway database, or undefined on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ loadDataDir: await pgliteTemplate() });
    // The template is already migrated; this confirms it (and is a no-op).
    await database.migrate();
    return { database, url: undefined, drop: () => database.close() };
  }
  const throwaway = await createThrowawayPostgres(serverUrl);
  const database = await openDatabase({ url: throwaway.url });
  await database.migrate();
  return {
    database,
    url: throwaway.url,
    drop: async () => {
      await database.close();
      await throwaway.drop();
    },
  };
}

let template: Promise<Blob> | undefined;

function pgliteTemplate(): Promise<Blob> {
  template ??= readFile(inject('pgliteTemplate')).then((bytes) => new Blob([bytes]));
  return template;
}
