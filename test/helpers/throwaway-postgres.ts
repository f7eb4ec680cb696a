// A throwaway PostgreSQL database on the server DATABASE_URL points at: created empty, dropped
// afterwards. Used by tests and benchmarks (no vitest imports here).
import { randomBytes } from 'node:crypto';
import { loadPg } from '../../server/db/load-pg.ts';

export interface ThrowawayPostgres {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createThrowawayPostgres(serverUrl: string, prefix = 'kizuki_test'): Promise<ThrowawayPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runOn(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => runOn(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Drops a database made by createThrowawayPostgres in an earlier process. */
export const dropThrowawayPostgres = (serverUrl: string, name: string) => runOn(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

async function runOn(serverUrl: string, statement: string): Promise<void> {
  // As the server loads it (benchmarks run this in the measured server process).
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
