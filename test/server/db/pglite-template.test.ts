// A new embedded database is unpacked from the shipped template (what PGlite's initdb makes),
// and the installed PGlite opens it: if PGlite moves to a new PostgreSQL major version, this fails
// until `node scripts/make-pglite-template.mjs` makes the template again.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createFromTemplate, PGLITE_TEMPLATE } from '../../../server/db/pglite-template.mjs';
import { openDatabase } from '../../../server/db/client.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-template-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('PGlite data directory template', () => {
  it('unpacks into a directory that holds only lock files, and the installed PGlite opens and migrates it', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, '.kizuki.lock.owner'), '{}');
    expect(await createFromTemplate(dir)).toBe(true);
    expect(existsSync(path.join(dir, '.kizuki-creating'))).toBe(false);
    expect(readFileSync(path.join(dir, '.kizuki.lock.owner'), 'utf8')).toBe('{}');
    const pgVersion = readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim();

    const database = await openDatabase({ dataDir: dir });
    try {
      await database.migrate();
      const result = (await database.db.execute(sql`select current_setting('server_version_num') as v, count(*)::int as tables from pg_tables where schemaname = 'public'`)) as unknown as {
        rows: Array<{ v: string; tables: number }>;
      };
      expect(String(Math.floor(Number(result.rows[0]!.v) / 10000))).toBe(pgVersion);
      expect(result.rows[0]!.tables).toBeGreaterThan(10);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('completes an interrupted attempt (no PG_VERSION yet), replacing what it left', async () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'base', 'junk'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'junk', 'half-written'), 'x');
    mkdirSync(path.join(dir, '.kizuki-creating', 'global'), { recursive: true });
    expect(await createFromTemplate(dir)).toBe(true);
    expect(existsSync(path.join(dir, 'base', 'junk'))).toBe(false);
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dir, 'global', 'pg_control'))).toBe(true);
  });

  it('never touches a directory that already holds a database; without a template it says so', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    await expect(createFromTemplate(dir)).rejects.toThrow(/already holds a database/);
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(existsSync(PGLITE_TEMPLATE)).toBe(true);
    expect(await createFromTemplate(freshDir(), path.join(freshDir(), 'missing.tar.br'))).toBe(false);
  });
});
