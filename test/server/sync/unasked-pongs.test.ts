// The heartbeat drops a /yjs connection that does not answer its pings. A pong counts only when it
// carries the ping's payload back: pongs sent unasked (a client that reads nothing) do not keep a
// connection alive, while a stock client that answers (ws and browsers do so by themselves) stays.
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverPerFile } from '../../helpers/server.ts';
import { participantOnOwnSheet } from '../../helpers/fixtures.ts';

const HEARTBEAT_MS = 150;
const testServer = serverPerFile({ sync: { heartbeatMs: HEARTBEAT_MS } });
let cookie: string;
let docName: string;

beforeAll(async () => {
  ({ cookie, docName } = await participantOnOwnSheet(testServer.server.origin));
});

async function connect(autoPong: boolean): Promise<{ ws: WebSocket; closed: Promise<'closed'> }> {
  const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers: { cookie, origin: testServer.server.origin }, autoPong });
  ws.on('error', () => {});
  const closed = new Promise<'closed'>((resolve) => ws.once('close', () => resolve('closed')));
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, closed };
}

const after = (ms: number) => new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), ms));

describe('the /yjs heartbeat', () => {
  it('drops a client whose only pongs are unasked ones', async () => {
    const { ws, closed } = await connect(false);
    let pings = 0;
    ws.on('ping', () => pings++);
    // Pongs of its own, four times per heartbeat round, never the ping's payload.
    const unasked = setInterval(() => ws.readyState === ws.OPEN && ws.pong(Buffer.from('still here')), HEARTBEAT_MS / 4);
    const outcome = await Promise.race([closed, after(HEARTBEAT_MS * 8)]);
    clearInterval(unasked);
    ws.terminate();
    expect(pings).toBeGreaterThan(0);
    expect(outcome).toBe('closed');
  });

  it("drops a client that reads nothing but echoes the payload another connection of its read", async () => {
    // One connection reads its pings; the other reads nothing (its socket paused) and answers with
    // what the first one was sent. With one payload for every connection of a round, that kept
    // any number of non-reading connections alive.
    const reader = await connect(false);
    const silent = await connect(false);
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    reader.ws.on('ping', (data: Buffer) => {
      reader.ws.pong(data);
      if (silent.ws.readyState === silent.ws.OPEN) silent.ws.pong(data);
    });
    const outcome = await Promise.race([silent.closed.then(() => 'closed' as const), after(HEARTBEAT_MS * 8)]);
    const readerOutcome = await Promise.race([reader.closed, after(0)]);
    reader.ws.terminate();
    silent.ws.terminate();
    expect(readerOutcome).toBe('open');
    expect(outcome).toBe('closed');
  });

  it('keeps a client that answers each ping, over many rounds', async () => {
    const { ws, closed } = await connect(true);
    let pings = 0;
    ws.on('ping', () => pings++);
    const outcome = await Promise.race([closed, after(HEARTBEAT_MS * 8)]);
    ws.terminate();
    expect(pings).toBeGreaterThanOrEqual(4);
    expect(outcome).toBe('open');
  });
});
