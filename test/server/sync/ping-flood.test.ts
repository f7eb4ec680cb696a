// ws answers every ping with a pong on its own, outside the slow-consumer limit of YConnection.send:
// a client that floods pings without reading its socket must be cut off once the limit of what
// waits for it is passed, not make the server buffer pongs without end (700 MB in 15 s).
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverPerFile } from '../../helpers/server.ts';
import { participantOnOwnSheet } from '../../helpers/fixtures.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';

const testServer = serverPerFile();
let cookie: string;
let docName: string;

beforeAll(async () => {
  ({ cookie, docName } = await participantOnOwnSheet(testServer.server.origin));
});

describe('a client flooding pings without reading', () => {
  it('is closed as too slow once more than the buffered limit waits for it', async () => {
    const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: testServer.server.origin } });
    ws.on('error', () => {});
    const firstMessage = new Promise((resolve) => ws.once('message', resolve));
    await new Promise((resolve) => ws.once('open', resolve));
    await firstMessage;
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause(); // read nothing: every pong stays in the server's buffers
    const payload = Buffer.alloc(125, 7);
    // 30 MB of pongs: past the 6 MB limit plus what both kernels buffer on loopback.
    for (let sent = 0; sent < 240_000; sent += 2_000) {
      for (let i = 0; i < 2_000; i++) ws.ping(payload);
      while (socket.writableLength > 4_000_000) await new Promise((r) => setTimeout(r, 1));
    }
    let pongs = 0;
    ws.on('pong', () => pongs++);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    socket.resume();
    // Without the limit it stays open, answering every ping (all 240,000 pongs arrive).
    const stillOpen = new Promise<{ code: number; reason: string }>((resolve) => setTimeout(() => resolve({ code: -1, reason: 'still open' }), 20_000).unref());
    const { code, reason } = await Promise.race([closed, stillOpen]);
    ws.terminate();
    expect(code).toBe(CloseCode.MessageTooBig.code);
    expect(reason).toBe('Client too slow');
    expect(pongs).toBeLessThan(240_000);
  }, 60_000);
});
