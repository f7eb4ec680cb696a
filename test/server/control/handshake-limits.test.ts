// engine.io sessions (under socket.io) are opened only for a signed-in browser, a bounded number
// per address and in total, and closed when they do not join the namespace within JOIN_TIMEOUT_MS:
// 16 keep-alive connections without a cookie opened 138,590 polling sessions in 40 s (+860 MB).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask } from '../../helpers/control-client.ts';
import { EngineSessionLimits, HANDSHAKE_REFUSALS, JOIN_TIMEOUT_MS } from '../../../server/control/handshake-limits.ts';

const testServer = serverPerFile();
let cookie: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  const event = await createEvent(facilitator);
  cookie = (await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販')).client.cookie!;
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

/** engine.io sessions open on the test server. */
const engineSessions = () => (testServer.server.app.io.engine as unknown as { clientsCount: number }).clientsCount;

/** One polling request over a shared keep-alive agent, as the attack did. */
function poll(agent: http.Agent, query: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${testServer.server.origin}/socket.io/?EIO=4&transport=polling${query}`, { agent, headers: { origin: testServer.server.origin, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
  });
}

describe('engine.io handshakes', () => {
  it('without a valid sign-in open no session: a 403 saying so, in both languages', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const before = engineSessions();
    const cookies = [undefined, 'kizuki_session=', 'kizuki_session=not-a-token!', `kizuki_session=${'a'.repeat(40)}`, 'other=1'];
    for (const c of cookies) {
      const res = await poll(agent, '', c ? { cookie: c } : {});
      expect(res.status, c).toBe(403);
      expect(JSON.parse(res.body)).toEqual({ code: 4, message: HANDSHAKE_REFUSALS.signIn });
    }
    expect(HANDSHAKE_REFUSALS.signIn).toMatch(/ログインが必要です \/ Sign-in required/);
    // The attack: many handshakes over a few keep-alive connections.
    const results = await Promise.all(Array.from({ length: 400 }, () => poll(agent, '', {})));
    expect(results.every((r) => r.status === 403)).toBe(true);
    expect(engineSessions()).toBe(before);
    agent.destroy();
  });

  it('a foreign Origin is still refused before the cookie is looked at', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const res = await poll(agent, '', { cookie, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toBe('Origin not allowed');
  });

  it('a signed-in session that never joins the namespace is closed after JOIN_TIMEOUT_MS', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const before = engineSessions();
    const opened = await poll(agent, '', { cookie });
    expect(opened.status).toBe(200);
    const { sid } = JSON.parse(opened.body.slice(1)) as { sid: string };
    expect(engineSessions()).toBe(before + 1);
    const started = Date.now();
    await eventually(() => expect(engineSessions()).toBe(before), JOIN_TIMEOUT_MS + 3_000);
    expect(Date.now() - started).toBeGreaterThan(JOIN_TIMEOUT_MS - 1_500);
    // The session is gone: its id is unknown now.
    expect((await poll(agent, `&sid=${sid}`, { cookie })).status).toBe(400);
    agent.destroy();
  }, 15_000);

  it.each(['websocket', 'polling', 'websocket,polling'])('the browser client still connects (transports: %s)', async (list) => {
    const transports = list.split(',');
    const socket = io(testServer.server.origin, { transports, reconnection: false, forceNew: true, extraHeaders: { cookie, origin: testServer.server.origin } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect((await ask(socket, 'session:whoami')).ok).toBe(true);
    // Joined in time: still there after the join timeout.
    await new Promise((resolve) => setTimeout(resolve, JOIN_TIMEOUT_MS + 500));
    expect(socket.connected).toBe(true);
  }, 15_000);
});

/** A request as engine.io hands it to allowRequest, from `address`. */
const from = (address: string) => ({ socket: { remoteAddress: address } }) as unknown as IncomingMessage;
/** An engine.io session made from a request; close() ends it (as does the limits' join timeout). */
function session(req: IncomingMessage) {
  const listeners: Array<() => void> = [];
  const conn = {
    request: req,
    readyState: 'open',
    writeBuffer: [],
    transport: { name: 'polling' },
    once: (_: 'close', listener: () => void) => listeners.push(listener),
    close: () => {
      conn.readyState = 'closed';
      for (const l of listeners) l();
    },
  };
  return { conn, close: () => conn.close() };
}

describe('engine.io sessions per address and in total', () => {
  it('caps each address (not loopback), gives places back when sessions close', () => {
    const limits = new EngineSessionLimits({ behindProxy: false, perAddress: 3, total: 100 });
    const opened = Array.from({ length: 3 }, () => {
      const req = from('203.0.113.5');
      expect(limits.reserve(req)).toBeNull();
      const s = session(req);
      limits.attach(s.conn);
      return s;
    });
    expect(limits.reserve(from('203.0.113.5'))).toBe(HANDSHAKE_REFUSALS.perAddress);
    expect(HANDSHAKE_REFUSALS.perAddress).toMatch(/接続が多すぎます.* \/ Too many connections from this address/);
    // Other addresses, and the machine itself, are not affected.
    expect(limits.reserve(from('198.51.100.7'))).toBeNull();
    for (let i = 0; i < 10; i++) expect(limits.reserve(from('127.0.0.1'))).toBeNull();
    opened[0]!.close();
    opened[0]!.close(); // a second 'close' gives nothing back twice
    expect(limits.reserve(from('203.0.113.5'))).toBeNull();
    expect(limits.reserve(from('203.0.113.5'))).toBe(HANDSHAKE_REFUSALS.perAddress);
  });

  it('caps the total, loopback and proxied clients included', () => {
    const limits = new EngineSessionLimits({ behindProxy: false, perAddress: 3, total: 5 });
    for (let i = 0; i < 5; i++) expect(limits.reserve(from('127.0.0.1'))).toBeNull();
    expect(limits.reserve(from('127.0.0.1'))).toBe(HANDSHAKE_REFUSALS.total);
    expect(limits.reserve(from('203.0.113.9'))).toBe(HANDSHAKE_REFUSALS.total);
    const proxied = new EngineSessionLimits({ behindProxy: true, perAddress: 3, total: 5 });
    // Behind a proxy every client has the proxy's address: only the total applies.
    for (let i = 0; i < 5; i++) expect(proxied.reserve(from('10.0.0.2'))).toBeNull();
    expect(proxied.reserve(from('10.0.0.2'))).toBe(HANDSHAKE_REFUSALS.total);
  });

  it('a handshake that never became a session gives its place back after a while', () => {
    vi.useFakeTimers();
    try {
      const limits = new EngineSessionLimits({ behindProxy: false, perAddress: 1, total: 10 });
      const attached = from('203.0.113.5');
      expect(limits.reserve(attached)).toBeNull();
      const kept = session(attached);
      limits.attach(kept.conn);
      limits.joined(kept.conn);
      expect(limits.reserve(from('198.51.100.7'))).toBeNull(); // its upgrade fails: never attached
      expect(limits.size).toBe(2);
      vi.advanceTimersByTime(60_000);
      // The failed one is given back; the open session keeps its place.
      expect(limits.size).toBe(1);
      expect(limits.reserve(from('198.51.100.7'))).toBeNull();
      expect(limits.reserve(from('203.0.113.5'))).toBe(HANDSHAKE_REFUSALS.perAddress);
      expect(kept.conn.readyState).toBe('open');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a session that does not join in time is closed and gives its place back', () => {
    vi.useFakeTimers();
    try {
      const limits = new EngineSessionLimits({ behindProxy: false, perAddress: 5, total: 10, joinTimeoutMs: 5_000 });
      const idle = session(from('203.0.113.5'));
      const joining = session(from('203.0.113.5'));
      for (const s of [idle, joining]) {
        expect(limits.reserve(s.conn.request)).toBeNull();
        limits.attach(s.conn);
      }
      vi.advanceTimersByTime(3_000);
      limits.joined(joining.conn);
      vi.advanceTimersByTime(2_500);
      expect(idle.conn.readyState).toBe('closed');
      expect(joining.conn.readyState).toBe('open');
      expect(limits.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
