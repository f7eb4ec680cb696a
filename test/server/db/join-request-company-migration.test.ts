// Migration 0009 makes a join request name the company asked for (company_id) instead of a row of
// event_companies, so a waiting claim need not add the company to the session. Requests made
// before it keep their company.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { companies, eventCompanies, events, joinRequests, users } from '../../../server/db/schema.ts';

const MIGRATION = readFileSync(new URL('../../../migrations/0009_join_request_company.sql', import.meta.url), 'utf8');

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe('migration 0009: a join request names its company', () => {
  it('fills company_id from the request’s event_companies row, then drops that column', async () => {
    const db = test.database.db;
    // Back to the table as 0008 left it.
    await db.execute(sql.raw('ALTER TABLE "join_requests" DROP COLUMN "company_id"'));
    await db.execute(
      sql.raw(
        'ALTER TABLE "join_requests" ADD COLUMN "event_company_id" uuid NOT NULL CONSTRAINT "join_requests_event_company_id_event_companies_id_fk" REFERENCES "event_companies"("id") ON DELETE cascade',
      ),
    );
    const id = (): string => randomUUID();
    const [eventId, companyA, companyB, ecA, ecB, userA, userB, requestA, requestB] = [id(), id(), id(), id(), id(), id(), id(), id(), id()] as const;
    const facilitator = randomUUID();
    await db.insert(users).values({ id: facilitator, kind: 'facilitator', displayName: '進行役', email: 'migration@example.jp' });
    await db.insert(events).values({ id: eventId, title: '旧い会', date: '2026-01-01', createdBy: facilitator });
    await db.insert(companies).values([
      { id: companyA, name: '旧A商事' },
      { id: companyB, name: '旧B商事' },
    ]);
    await db.insert(eventCompanies).values([
      { id: ecA, eventId: eventId, companyId: companyA },
      { id: ecB, eventId: eventId, companyId: companyB },
    ]);
    await db.insert(users).values([
      { id: userA, kind: 'participant', displayName: 'A' },
      { id: userB, kind: 'participant', displayName: 'B' },
    ]);
    await db.execute(
      sql`insert into join_requests (id, event_id, event_company_id, user_id, status) values (${requestA}, ${eventId}, ${ecA}, ${userA}, 'pending'), (${requestB}, ${eventId}, ${ecB}, ${userB}, 'rejected')`,
    );

    for (const statement of MIGRATION.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));

    const rows = await db.select({ id: joinRequests.id, companyId: joinRequests.companyId, status: joinRequests.status }).from(joinRequests);
    expect(rows.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { id: requestA, companyId: companyA, status: 'pending' },
      { id: requestB, companyId: companyB, status: 'rejected' },
    ]);
    const columns = (await db.execute(
      sql`select column_name, is_nullable from information_schema.columns where table_name = 'join_requests' and column_name in ('company_id', 'event_company_id')`,
    )) as unknown as { rows: Array<{ column_name: string; is_nullable: string }> };
    expect(columns.rows).toEqual([{ column_name: 'company_id', is_nullable: 'NO' }]);
  });
});
