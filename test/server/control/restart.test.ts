// A graceful shutdown closes the control plane's transports rather than its sockets, so a stock
// socket.io client (as in every open board) reconnects by itself once the server is back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';

let testDb: TestDatabase;
let server: TestServer;
const sockets: Socket[] = [];

beforeEach(async () => {
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database);
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server.close();
  await testDb.drop();
});

describe('the control plane across a server restart', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`a ${transport} client loses its transport (not a server disconnect) and reconnects by itself`, async () => {
      const facilitator = await setupFacilitator(server.origin);
      const event = await createEvent(facilitator);
      const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
      const port = Number(new URL(server.origin).port);
      const socket = io(server.origin, {
        transports: [transport],
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
        extraHeaders: { cookie: alice.client.cookie!, origin: server.origin },
      });
      sockets.push(socket);
      const reasons: string[] = [];
      let connects = 0;
      socket.on('disconnect', (reason) => reasons.push(reason));
      socket.on('connect', () => connects++);
      await eventually(() => expect(connects).toBe(1));

      await server.close();
      // Not 'io server disconnect' (which a client never reconnects from): the transport went away.
      // A long-polling client may see its pending poll fail ('transport error') rather than close.
      await eventually(() => expect(reasons).toHaveLength(1));
      expect(['transport close', 'transport error']).toContain(reasons[0]);
      server = await startTestServer(testDb.database, { port });
      await eventually(() => expect(connects).toBe(2), 5_000);
      const res = await socket.timeout(5_000).emitWithAck('event:subscribe', { eventId: event.id });
      expect(res).toMatchObject({ ok: true, role: 'participant' });
    });
  }
});
