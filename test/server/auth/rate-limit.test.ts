// Login, setup and joining are rate limited per client address; other routes are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, FACILITATOR, setupFacilitator } from '../../helpers/fixtures.ts';

describe('rate limits (3 per minute)', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let facilitator: ApiClient;
  let joinCode: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database, { rateLimits: { loginPerMinute: 3, joinPerMinute: 3 } });
    facilitator = await setupFacilitator(server.origin); // one setup attempt: its own counter
    joinCode = (await createEvent(facilitator)).joinCode;
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('refuses the 4th login attempt with 429, even with the right password', async () => {
    const client = new ApiClient(server.origin);
    for (let i = 0; i < 3; i++) {
      expect((await client.post('/api/auth/login', { email: FACILITATOR.email, password: `wrong password ${i}` })).status).toBe(401);
    }
    const blocked = await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.statusCode).toBe(429);
    expect(client.cookie).toBeUndefined();
    // Another browser from the same address is limited too: the limit is per address, not per cookie.
    expect((await new ApiClient(server.origin).post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(429);
  });

  it('refuses the 4th join with 429 and creates no participant', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await new ApiClient(server.origin).post('/api/join', { code: joinCode, displayName: `P${i}`, companyName: 'Acme通販' });
      expect(res.status).toBe(201);
    }
    const client = new ApiClient(server.origin);
    const blocked = await client.post('/api/join', { code: joinCode, displayName: 'P3', companyName: 'Acme通販' });
    expect(blocked.status).toBe(429);
    expect(client.cookie).toBeUndefined();
    const companies = (await facilitator.get(`/api/events/${(await facilitator.get('/api/events')).body[0].id}`)).body.companies;
    expect(companies).toHaveLength(1);
  });

  it('limits join code look-ups (guessing codes) the same way', async () => {
    const client = new ApiClient(server.origin);
    for (let i = 0; i < 3; i++) expect((await client.get(`/api/join/GUESS${i}AAAA`)).status).toBe(404);
    expect((await client.get(`/api/join/${joinCode}`)).status).toBe(429);
  });

  it('does not limit other routes', async () => {
    for (let i = 0; i < 6; i++) expect((await facilitator.get('/api/auth/me')).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await facilitator.get('/api/events')).status).toBe(200);
  });
});
