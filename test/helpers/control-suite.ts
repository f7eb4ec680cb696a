// The usual set-up of a control-plane test file: one server for the file, its facilitator, and
// control clients that are disconnected after each test.
import { afterEach, beforeAll } from 'vitest';
import type { Socket } from 'socket.io-client';
import { serverPerFile } from './server.ts';
import { setupFacilitator } from './fixtures.ts';
import { connectControlClient, type ControlClient } from './control-client.ts';
import type { ApiClient } from './api-client.ts';

export function controlSuite() {
  const testServer = serverPerFile();
  const sockets: Socket[] = [];
  const suite = {
    testServer,
    /** Signed in before the file's tests run. */
    facilitator: undefined as unknown as ApiClient,
    /** A control client (subscribed to the event, given one), closed after the test. */
    async connect(cookie: string | undefined, eventId?: string): Promise<ControlClient> {
      const client = await connectControlClient(testServer.server.origin, cookie, eventId);
      sockets.push(client.socket);
      return client;
    },
  };
  beforeAll(async () => {
    suite.facilitator = await setupFacilitator(testServer.server.origin);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  return suite;
}
