// Migration 0010 lets a refused join request name no company, so that a company only refused
// requests named (a new name typed by someone who then waited) can go; it also removes the ones
// such refusals left behind before: companies that take part in no session, have no assessment and
// no request waiting for them or approved. Every other company stays.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { companies, eventCompanies, events, joinRequests, users } from '../../../server/db/schema.ts';

const MIGRATION = readFileSync(new URL('../../../migrations/0010_join_request_refused_company.sql', import.meta.url), 'utf8');

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe('migration 0010: refused requests let go of companies nothing else holds', () => {
  it('deletes the companies only refused requests named, and keeps every other', async () => {
    const db = test.database.db;
    // Back to the table as 0009 left it.
    await db.execute(sql.raw('ALTER TABLE "join_requests" ALTER COLUMN "company_id" SET NOT NULL'));
    const facilitator = randomUUID();
    const eventId = randomUUID();
    await db.insert(users).values({ id: facilitator, kind: 'facilitator', displayName: '進行役', email: 'migration10@example.jp' });
    await db.insert(events).values({ id: eventId, title: '会', date: '2026-01-01', createdBy: facilitator });
    const company = async (name: string) => {
      const id = randomUUID();
      await db.insert(companies).values({ id, name });
      return id;
    };
    const refusedOnly = await company('却下だけ商会');
    const alsoPending = await company('待ちもある商会');
    const takingPart = await company('参加中商会');
    const request = async (companyId: string, status: 'pending' | 'rejected') => {
      const userId = randomUUID();
      await db.insert(users).values({ id: userId, kind: 'participant', displayName: status });
      await db.execute(sql`insert into join_requests (id, event_id, company_id, user_id, status) values (${randomUUID()}, ${eventId}, ${companyId}, ${userId}, ${status})`);
    };
    await request(refusedOnly, 'rejected');
    await request(alsoPending, 'rejected');
    await request(alsoPending, 'pending');
    await request(takingPart, 'rejected');
    await db.insert(eventCompanies).values({ id: randomUUID(), eventId, companyId: takingPart });

    for (const statement of MIGRATION.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));

    const left = await db.select({ id: companies.id }).from(companies);
    expect(left.map((c) => c.id).sort()).toEqual([alsoPending, takingPart].sort());
    const named = await db.select({ companyId: joinRequests.companyId, status: joinRequests.status }).from(joinRequests);
    expect(named.filter((r) => r.companyId === null)).toEqual([{ companyId: null, status: 'rejected' }]);
    expect(named.filter((r) => r.companyId !== null)).toHaveLength(3);
  });
});
