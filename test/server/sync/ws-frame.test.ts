// A message framed once and written to the socket under ws (server/sync/ws-frame.ts) must arrive
// as ws itself would send it: every length form of the header, in order with ws's own sends, and
// through ws.send when the connection compresses (the direct write would skip the compression).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import { binaryFrame, frameForMany, sendFramed } from '../../../server/sync/ws-frame.ts';

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});

/** A server socket and the client at its other end, collecting what the client receives. */
async function pair(serverOptions: ServerOptions = {}, clientOptions: { perMessageDeflate?: boolean } = {}) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, ...serverOptions });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  opened.push({ close: () => server.close() }, { close: () => wss.close() });
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, clientOptions);
  client.binaryType = 'nodebuffer';
  opened.push({ close: () => client.terminate() });
  const received: Buffer[] = [];
  client.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    received.push(data);
  });
  await once(client, 'open');
  const [socket] = await accepted;
  const until = async (count: number) => {
    while (received.length < count) await new Promise((r) => setTimeout(r, 5));
  };
  return { socket, client, received, until };
}

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

describe('a message framed once', () => {
  it('arrives whole for each form of the length (7-bit, 16-bit, 64-bit), in order with ws.send', async () => {
    const { socket, received, until } = await pair();
    const messages = [bytes(0, 1), bytes(1, 2), bytes(125, 3), bytes(126, 4), bytes(65_535, 5), bytes(65_536, 6), bytes(200_000, 7)];
    // Framed sends and ws's own, interleaved: they arrive in the order sent.
    messages.forEach((message, i) => (i % 2 === 0 ? sendFramed(socket, message, binaryFrame(message)) : socket.send(message)));
    await until(messages.length);
    expect(received.map((m) => Buffer.from(m).toString('hex'))).toEqual(messages.map((m) => Buffer.from(m).toString('hex')));
  });

  it('goes through ws.send when the connection compresses', async () => {
    const { socket, received, until } = await pair({ perMessageDeflate: { threshold: 0 } }, { perMessageDeflate: true });
    expect(socket.extensions).toContain('permessage-deflate');
    // ws compresses asynchronously: a frame written past it would overtake the messages it queued.
    const messages = [bytes(3_000, 1), bytes(10, 2), bytes(70_000, 3), bytes(20, 4), bytes(5_000, 5), bytes(1, 6)];
    messages.forEach((message, i) => (i % 2 === 0 ? socket.send(message) : sendFramed(socket, message, binaryFrame(message))));
    await until(messages.length);
    expect(received.map((m) => Buffer.from(m).toString('hex'))).toEqual(messages.map((m) => Buffer.from(m).toString('hex')));
  });

  it('counts in bufferedAmount like any send (the slow-consumer limit reads it)', async () => {
    const { socket, client } = await pair();
    client.pause(); // the client stops reading: what we write stays in our socket's buffer
    const message = bytes(64 * 1024, 9);
    const frame = binaryFrame(message);
    for (let i = 0; i < 200; i++) sendFramed(socket, message, frame);
    expect(socket.bufferedAmount).toBeGreaterThan(1024 * 1024);
  });

  it('is built only for more than one receiver', () => {
    expect(frameForMany(bytes(10, 1), 1)).toBeUndefined();
    const frame = frameForMany(bytes(10, 1), 2)!;
    expect([...frame.subarray(0, 2)]).toEqual([0x82, 10]);
    expect(frame.byteLength).toBe(12);
  });
});
