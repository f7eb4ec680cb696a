// GET /healthz: what load balancers and the smoke test poll. It takes no input and needs no
// session or Origin, so it has no 400 or 403; what it has is 200 when the database answers and
// 503 when it does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

describe('GET /healthz', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let dropped = false;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database);
  });
  afterAll(async () => {
    await server?.close();
    if (!dropped) await testDb?.drop();
  });

  it('is 200 {status: ok, db: ok, quarantinedYjsRows: 0} without cookie or Origin', async () => {
    const res = await fetch(`${server.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', quarantinedYjsRows: 0 });
  });

  it('is 503 once the database is unreachable', async () => {
    // Closes the connection (PGlite) or the pool and drops the database (PostgreSQL).
    await testDb.drop();
    dropped = true;
    const res = await fetch(`${server.origin}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', db: 'unreachable' });
  });
});
