// Migration 0005 brings company names stored before names had one form into that form (the form
// shared/text/company-name.ts gives new names), leaving alone a name whose form another company
// already has, or one that would grow past the limit.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { companies } from '../../../server/db/schema.ts';
import { companyNameForm } from '../../../shared/text/company-name.ts';

const MIGRATION = readFileSync(new URL('../../../migrations/0005_company_name_form.sql', import.meta.url), 'utf8');

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

async function nameOf(id: string): Promise<string> {
  const rows = await test.database.db.select({ id: companies.id, name: companies.name }).from(companies);
  return rows.find((r) => r.id === id)!.name;
}

describe('migration 0005: company names in one form', () => {
  it('gives SQL the same form as companyNameForm', async () => {
    for (const name of [' ＡＢＣ商事 ', 'ｶﾌﾞｼｷｶﾞｲｼｬ　みどり  本舗', '㈱テスト', 'Tab\there']) {
      const result = (await test.database.db.execute(sql`select btrim(regexp_replace(normalize(${name}, NFKC), '\\s+', ' ', 'g')) as form`)) as unknown as { rows: { form: string }[] };
      expect(result.rows[0]!.form).toBe(companyNameForm(name));
    }
  });

  it('rewrites names into the form unless two companies would share a name or it grows too long', async () => {
    const wide = randomUUID();
    const clashOld = randomUUID();
    const clashNew = randomUUID();
    const long = randomUUID();
    const longName = '㈱'.repeat(40); // 40 characters; its form, (株) × 40, is 120
    await test.database.db.insert(companies).values([
      { id: wide, name: 'ＱＲＳ物産　 東京' },
      { id: clashOld, name: 'ＴＵＶ商事' },
      { id: clashNew, name: 'tuv商事' },
      { id: long, name: longName },
    ]);
    await test.database.db.execute(sql.raw(MIGRATION));
    expect(await nameOf(wide)).toBe('QRS物産 東京');
    expect(await nameOf(clashOld)).toBe('ＴＵＶ商事');
    expect(await nameOf(clashNew)).toBe('tuv商事');
    expect(await nameOf(long)).toBe(longName);
  });
});
