// GET /api/server-info: the origin the event page puts into invite links and QR codes, so phones in
// the room can open them (facilitators only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { pickLanAddress } from '../../../server/net/share-origin.ts';

let testDb: TestDatabase;
const servers: TestServer[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await testDb?.drop();
});

describe('GET /api/server-info', () => {
  it('listening on loopback only (the default): no link phones could open, and says so; facilitators only', async () => {
    const server = await startTestServer(testDb.database);
    servers.push(server);
    const facilitator = await setupFacilitator(server.origin);
    const res = await facilitator.get('/api/server-info');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ shareOrigin: null, loopbackOnly: true });

    expect((await new ApiClient(server.origin).get('/api/server-info')).status).toBe(401);
    const event = await createEvent(facilitator);
    const participant = await joinAs(server.origin, event.joinCode, '佐藤', '株式会社あかね');
    expect((await participant.client.get('/api/server-info')).status).toBe(403);
  });

  it('HOST=0.0.0.0: the machine\'s LAN address with the port it listens on', async () => {
    const server = await startTestServer(testDb.database, { env: { HOST: '0.0.0.0' } });
    servers.push(server);
    const facilitator = await setupFacilitator(server.origin);
    const res = await facilitator.get('/api/server-info');
    const lan = pickLanAddress(os.networkInterfaces());
    const port = new URL(server.origin).port;
    expect(res.body).toEqual({ shareOrigin: lan ? `http://${lan}:${port}` : null, loopbackOnly: false });
  });
});
