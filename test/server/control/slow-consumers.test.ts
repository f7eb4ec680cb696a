// A control socket whose client stops reading is dropped once MAX_CONTROL_BUFFERED_BYTES wait for
// it: 100 such subscribed sockets grew the server by 8 MB/s, without bound. A client reading
// normally is not affected.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Socket } from 'socket.io-client';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectControlClient } from '../../helpers/control-client.ts';
import { controlRoom } from '../../../shared/protocol/control-events.ts';
import { bufferedBytes, MAX_CONTROL_BUFFERED_BYTES, SLOW_CONSUMER_SWEEP_MS } from '../../../server/control/slow-consumers.ts';

const testServer = serverPerFile();
let cookie: string;
let eventId: string;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  cookie = (await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販')).client.cookie!;
});

afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A raw socket.io client over WebSocket that subscribes to the event and then stops reading. */
async function nonReadingClient(): Promise<{ ws: WebSocket; closed: Promise<void> }> {
  const ws = new WebSocket(`${testServer.server.wsOrigin}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie, origin: testServer.server.origin } });
  cleanup.push(() => ws.terminate());
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('0')) ws.send('40');
      if (text.startsWith('40{')) ws.send(`421["event:subscribe",{"eventId":"${eventId}"}]`);
      if (text.startsWith('431')) {
        // Subscribed: from now on nothing is read (the TCP receive window fills up).
        (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        resolve();
      }
    });
  });
  return { ws, closed };
}

const serverSockets = () => [...testServer.server.app.io.of('/').sockets.values()];
/** Pushes of `bytes` each to everyone subscribed to the event. */
const push = (bytes: number) => (testServer.server.app.io as any).to(controlRoom.event(eventId)).emit('event:changed', { eventId, pad: 'x'.repeat(bytes) });

describe('control sockets that stop reading', () => {
  it('are dropped once their queue passes the limit, and what waits for them stays bounded', async () => {
    const client = await connectControlClient(testServer.server.origin, cookie, eventId);
    const reader: Socket = client.socket;
    cleanup.push(() => reader.disconnect());
    const slow = await nonReadingClient();
    expect(serverSockets()).toHaveLength(2);
    const slowId = serverSockets().find((s) => s.id !== reader.id)!.id;

    let dropped = false;
    void slow.closed.then(() => (dropped = true));
    let maxQueued = 0;
    const deadline = Date.now() + 20_000;
    // 64 KiB pushes, 1 MiB every 100 ms, until the server gives up on the slow socket.
    while (!serverSockets().every((s) => s.id !== slowId) && Date.now() < deadline) {
      for (let i = 0; i < 16; i++) push(64 * 1024);
      const slowSocket = testServer.server.app.io.of('/').sockets.get(slowId);
      if (slowSocket) maxQueued = Math.max(maxQueued, bufferedBytes(slowSocket.conn as never));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serverSockets().map((s) => s.id)).toEqual([reader.id]);
    // At most about one sweep's pushes (10 MiB/s here) past the limit before it was dropped.
    expect(maxQueued).toBeGreaterThan(MAX_CONTROL_BUFFERED_BYTES / 2);
    expect(maxQueued).toBeLessThan(MAX_CONTROL_BUFFERED_BYTES + (10 * 1024 * 1024 * SLOW_CONSUMER_SWEEP_MS) / 1000 + 2 * 1024 * 1024);
    // The transport was closed (not just the socket.io socket): the client's connection ends.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.closed;
    expect(dropped).toBe(true);
    // The client that reads is still connected and got the pushes.
    expect(reader.connected).toBe(true);
    expect(client.frames.filter(([e]) => e === 'event:changed').length).toBeGreaterThan(16);
  }, 40_000);
});
