// While the database is unreachable, signed-in clients hear "unavailable, try again" (HTTP 503,
// socket.io connect_error 'unavailable'), never the failed SQL or the session hash it carried;
// the log gets the detail.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { setupFacilitator } from '../../helpers/fixtures.ts';
import { sessionIdFromToken } from '../../../server/auth/session.ts';

describe('database outage', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let facilitator: ApiClient;
  let sessionHash: string;
  let dropped = false;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database);
    facilitator = await setupFacilitator(server.origin);
    sessionHash = sessionIdFromToken(facilitator.cookie!.slice('kizuki_session='.length));
    expect((await facilitator.get('/api/auth/me')).status).toBe(200);
    // Closes the connection (PGlite) or the pool and drops the database (PostgreSQL).
    await testDb.drop();
    dropped = true;
  });
  afterAll(async () => {
    await server?.close();
    if (!dropped) await testDb?.drop();
  });

  it('GET /api/auth/me answers 503 with a clear message and Retry-After, not 500 and no SQL', async () => {
    const logged = vi.spyOn(server.app.log, 'error');
    const res = await fetch(`${server.origin}/api/auth/me`, { headers: { cookie: facilitator.cookie! } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = await res.json();
    expect(body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/データベース.*\/ The database is unavailable/) });
    expect(JSON.stringify(body)).not.toMatch(/select|sessions|params/i);
    expect(JSON.stringify(body)).not.toContain(sessionHash);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it('without a session cookie /api/auth/me is still a plain 401', async () => {
    expect((await fetch(`${server.origin}/api/auth/me`)).status).toBe(401);
  });

  for (const transport of ['websocket', 'polling'] as const) {
    it(`the socket.io handshake (${transport}) is refused saying only that the server is unavailable; the log gets the failed query`, async () => {
      const logged = vi.spyOn(server.app.log, 'error');
      const socket = connectSocketIo(server.origin, {
        transports: [transport],
        reconnection: false,
        forceNew: true,
        extraHeaders: { cookie: facilitator.cookie!, origin: server.origin },
      });
      try {
        const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
          socket.once('connect', () => reject(new Error('connected during an outage')));
          socket.once('connect_error', resolve);
        });
        // Refused at the engine.io handshake, which checks the session first (server/plugins/control.ts).
        expect(error.message).toMatch(/websocket error|xhr poll error/);
        expect(JSON.stringify({ message: error.message, data: error.data })).not.toContain(sessionHash);
        expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.anything() }), expect.stringMatching(/engine\.io handshake/));
        // What the handshake answers: 403, the server is unavailable, and nothing of the query.
        const res = await fetch(`${server.origin}/socket.io/?EIO=4&transport=polling`, { headers: { cookie: facilitator.cookie!, origin: server.origin } });
        expect(res.status).toBe(403);
        const body = await res.text();
        expect(body).toContain('The server is unavailable');
        expect(body).not.toContain(sessionHash);
        expect(body).not.toMatch(/select|sessions|params/i);
      } finally {
        socket.close();
        logged.mockRestore();
      }
    });
  }
});
