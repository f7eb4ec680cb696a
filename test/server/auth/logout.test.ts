// Signing out ends this sign-in and its live connections (Yjs and socket.io) only; the same user's
// other browsers keep theirs. "Sign out everywhere" ends every session and connection of the user.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, FACILITATOR, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';

const testServer = serverPerFile();
let sheet: string;
const providers: WebsocketProvider[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  sheet = sheetDocName((await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販')).eventCompanyId);
});

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
  for (const s of sockets.splice(0)) s.close();
});

/** One browser of the facilitator: its own session, an open worksheet and a control-plane socket. */
async function browser() {
  const client = new ApiClient(testServer.server.origin);
  expect((await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);
  const provider = connectProvider(testServer.server.wsOrigin, sheet, { cookie: client.cookie });
  providers.push(provider);
  const closes: number[] = [];
  provider.on('connection-close', (event: { code: number } | null) => void closes.push(event?.code ?? 0));
  const socket = connectSocketIo(testServer.server.origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: client.cookie!, origin: testServer.server.origin } });
  sockets.push(socket);
  const disconnects: string[] = [];
  socket.on('disconnect', (reason) => void disconnects.push(reason));
  await Promise.all([whenSynced(provider), new Promise<void>((resolve) => socket.once('connect', () => resolve()))]);
  return { client, provider, socket, closes, disconnects };
}

type Browser = Awaited<ReturnType<typeof browser>>;

async function signedOut(b: Browser) {
  await eventually(() => {
    expect(b.closes).toContain(CloseCode.SignedOut.code);
    expect(b.disconnects).toEqual(['io server disconnect']);
  });
  // Told to stop: neither comes back by itself.
  expect(b.provider.shouldConnect).toBe(false);
  expect(b.socket.connected).toBe(false);
}

async function stillLive(b: Browser) {
  expect(b.closes).toEqual([]);
  expect(b.disconnects).toEqual([]);
  expect(b.provider.wsconnected).toBe(true);
  const ack = await b.socket.timeout(5000).emitWithAck('session:whoami');
  expect(ack).toMatchObject({ ok: true, displayName: FACILITATOR.displayName });
  expect((await b.client.get('/api/auth/me')).status).toBe(200);
}

describe('POST /api/auth/logout', () => {
  it("closes this session's Yjs and socket.io connections, not those of the same user's other session", async () => {
    const here = await browser();
    const elsewhere = await browser();
    expect(testServer.server.app.docs.peek(sheet)?.connectionCount).toBe(2);

    expect((await here.client.post('/api/auth/logout')).status).toBe(204);
    await signedOut(here);
    expect((await here.client.get('/api/auth/me')).status).toBe(401);
    await eventually(() => expect(testServer.server.app.docs.peek(sheet)?.connectionCount).toBe(1));
    // Give a wrongly closed connection time to show up, then check the other browser is untouched.
    await new Promise((r) => setTimeout(r, 200));
    await stillLive(elsewhere);
  });
});

describe('signing in again in the same browser', () => {
  it("closes the replaced session's connections (its token no longer works), not another browser's", async () => {
    const here = await browser();
    const elsewhere = await browser();
    expect((await here.client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);
    await signedOut(here);
    await new Promise((r) => setTimeout(r, 200));
    await stillLive(elsewhere);
  });
});

describe('POST /api/auth/logout-everywhere', () => {
  it('ends every session of the user and closes all their connections', async () => {
    const here = await browser();
    const elsewhere = await browser();
    const third = new ApiClient(testServer.server.origin);
    expect((await third.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);

    const res = await here.client.post('/api/auth/logout-everywhere');
    expect(res.status).toBe(204);
    expect(here.client.cookie).toBeUndefined();
    await signedOut(here);
    await signedOut(elsewhere);
    for (const c of [here.client, elsewhere.client, third]) expect((await c.get('/api/auth/me')).status).toBe(401);
    await eventually(() => expect(testServer.server.app.docs.peek(sheet)?.connectionCount ?? 0).toBe(0));
    // Signing in again works as usual.
    expect((await third.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);
  });

  it('401s without a session, 403s without Origin, 400s on a body it does not take', async () => {
    const anonymous = await new ApiClient(testServer.server.origin).post('/api/auth/logout-everywhere');
    expect(anonymous.status).toBe(401);
    const b = await browser();
    const forged = new ApiClient(testServer.server.origin, { origin: null });
    forged.cookie = b.client.cookie;
    expect((await forged.post('/api/auth/logout-everywhere')).status).toBe(403);
    const broken = await fetch(`${testServer.server.origin}/api/auth/logout-everywhere`, {
      method: 'POST',
      headers: { origin: testServer.server.origin, 'content-type': 'application/json', cookie: b.client.cookie! },
      body: '{oops',
    });
    expect(broken.status).toBe(400);
    await stillLive(b);
  });
});
