// One sign-in holds at most MAX_CONTROL_SOCKETS_PER_SESSION socket.io connections: 400 sockets on
// one cookie were all accepted (+80 MB, and 400 rate budgets). The next is refused at the
// handshake with a code and a bilingual message; a closed one gives its place back.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask } from '../../helpers/control-client.ts';
import { MAX_CONTROL_SOCKETS_PER_SESSION } from '../../../server/plugins/control.ts';

const testServer = serverPerFile();
const sockets: Socket[] = [];
let alice: Awaited<ReturnType<typeof joinAs>>;
let bob: Awaited<ReturnType<typeof joinAs>>;
let joinCode: string;

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  joinCode = event.joinCode;
  alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
  bob = await joinAs(testServer.server.origin, event.joinCode, 'Bob', 'Beta本舗');
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

type Outcome = { connected: true; socket: Socket } | { connected: false; message: string; data: any };

/** Opens a socket as a browser would; resolves once it connected or was refused. */
function open(cookie: string): Promise<Outcome> {
  const socket = io(testServer.server.origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: testServer.server.origin } });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (err: Error & { data?: unknown }) => resolve({ connected: false, message: err.message, data: err.data }));
  });
}

describe('socket.io connections per sign-in', () => {
  it(`admits ${MAX_CONTROL_SOCKETS_PER_SESSION}, refuses the next with a code, and admits one again after one closes`, async () => {
    const admitted = await Promise.all(Array.from({ length: MAX_CONTROL_SOCKETS_PER_SESSION }, () => open(alice.client.cookie!)));
    expect(admitted.every((o) => o.connected)).toBe(true);

    const refused = await open(alice.client.cookie!);
    expect(refused.connected).toBe(false);
    if (refused.connected) return;
    expect(refused.data).toMatchObject({ code: 'TOO_MANY_CONNECTIONS' });
    expect(refused.data.error).toMatch(/接続が多すぎます.* \/ Too many open connections/);
    expect(refused.message).toBe(refused.data.error);

    // Another sign-in is not affected, and the admitted sockets still work.
    expect((await open(bob.client.cookie!)).connected).toBe(true);
    const first = admitted[0] as { socket: Socket };
    expect((await ask(first.socket, 'session:whoami')).ok).toBe(true);

    first.socket.disconnect();
    await eventually(async () => expect((await open(alice.client.cookie!)).connected).toBe(true));
    expect((await open(alice.client.cookie!)).connected).toBe(false);
  });

  it('a connection that drops while its sign-in is checked gives its place back (it never had one)', async () => {
    const dave = await joinAs(testServer.server.origin, joinCode, 'Dave', 'Delta堂');
    const url = `${testServer.server.origin.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
    // More than the cap: each opens the transport, asks to connect, and is gone before the answer.
    for (let i = 0; i < MAX_CONTROL_SOCKETS_PER_SESSION + 5; i++) {
      const ws = new WebSocket(url, { headers: { cookie: dave.client.cookie!, origin: testServer.server.origin } });
      await new Promise<void>((resolve, reject) => {
        ws.once('message', () => {
          ws.send('40');
          ws.terminate();
          resolve();
        });
        ws.once('error', reject);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await open(dave.client.cookie!)).connected).toBe(true);
  });

  it('a storm of handshakes at once admits no more than the cap', async () => {
    const carol = await joinAs(testServer.server.origin, joinCode, 'Carol', 'Gamma商会');
    const outcomes = await Promise.all(Array.from({ length: MAX_CONTROL_SOCKETS_PER_SESSION * 2 }, () => open(carol.client.cookie!)));
    expect(outcomes.filter((o) => o.connected)).toHaveLength(MAX_CONTROL_SOCKETS_PER_SESSION);
  });
});
