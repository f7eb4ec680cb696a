// Unknown or conflicting fields are refused with a 400, never silently dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, setupFacilitator } from '../../helpers/fixtures.ts';
import type { ApiClient } from '../../helpers/api-client.ts';

let db: TestDatabase;
let server: TestServer;
let facilitator: ApiClient;
let eventId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.database);
  facilitator = await setupFacilitator(server.origin);
  eventId = (await createEvent(facilitator)).id;
});

afterAll(async () => {
  await server.close();
  await db.drop();
});

describe('strict request bodies', () => {
  it('refuses an unknown field', async () => {
    const res = await facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', owner: 'someone-else' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/additional properties/i);
  });

  it('refuses adding a company with both an id and a name instead of ignoring one', async () => {
    const existing = await facilitator.post(`/api/events/${eventId}/companies`, { name: '青空通販' });
    expect(existing.status).toBe(201);
    const res = await facilitator.post(`/api/events/${eventId}/companies`, { companyId: existing.body.companyId, name: '別の会社' });
    expect(res.status).toBe(400);
    const companies = await facilitator.get(`/api/events/${eventId}/companies`);
    expect(companies.body.map((c: { name: string }) => c.name)).not.toContain('別の会社');
  });
});
