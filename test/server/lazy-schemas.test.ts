// Route schemas compile on a route's first use (server/lazy-schema-compilers.ts). Every one of
// them must still compile — checked here for all routes — and a validator or serializer used
// before and after the rest are compiled must answer the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createEvent, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.database);
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe('route schemas compiled on first use', () => {
  it('validates and serializes on first use, compiles every remaining schema, and answers the same after', async () => {
    const facilitator = await setupFacilitator(server.origin);
    const event = await createEvent(facilitator);
    const badJoin = () => new ApiClient(server.origin).post('/api/join', { code: event.joinCode, companyName: '青空通販', displayName: 'あ'.repeat(61) });
    const before = await badJoin();
    expect(before.status).toBe(400);
    expect(before.body).toMatchObject({ field: 'displayName', rule: 'maxLength', limit: 60 });
    const detailBefore = await facilitator.get(`/api/events/${event.id}`);
    expect(detailBefore.status).toBe(200);

    // The routes used above are compiled; dozens of others are not yet.
    const compiled = server.app.compileAllSchemas();
    expect(compiled).toBeGreaterThan(50);
    expect(server.app.compileAllSchemas()).toBe(0);

    const after = await badJoin();
    expect(after.status).toBe(400);
    expect(after.body).toEqual(before.body);
    expect((await facilitator.get(`/api/events/${event.id}`)).body).toEqual(detailBefore.body);
  });
});
