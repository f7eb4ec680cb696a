// Whose X-Forwarded-For is believed (TRUST_PROXY, never merely because PUBLIC_ORIGIN is set), and
// which Host a request may be addressed to (DNS rebinding): HTTP, Yjs WebSocket and socket.io.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { trustProxyOption } from '../../../server/security/trust-proxy.ts';
import { users } from '../../../server/db/schema.ts';

const PUBLIC_ORIGIN = 'https://kizuki.example.jp';

interface RawResult {
  status: number;
  body: string;
  /** True when the server switched protocols (a WebSocket was accepted). */
  upgraded: boolean;
}

/** One HTTP request to the test server with exactly these headers (Host included). */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResult> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(port), method, path, headers, agent: false });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', upgraded: true });
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, upgraded: false }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const upgradeHeaders = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };

/** Login attempts with distinct emails (the per-account limit stays out of it) and the given X-Forwarded-For. */
async function loginStatuses(server: TestServer, forwardedFor: (i: number) => string, count: number, origin = PUBLIC_ORIGIN): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': forwardedFor(i) },
      body: JSON.stringify({ email: `user${i}-${randomUUID()}@example.jp`, password: 'not the password' }),
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('TRUST_PROXY and X-Forwarded-For', () => {
  const servers: Array<{ server: TestServer; db: TestDatabase }> = [];
  async function start(env: NodeJS.ProcessEnv) {
    const db = await createTestDatabase();
    const server = await startTestServer(db.database, { env, rateLimits: { loginPerMinute: 3, joinPerMinute: 3 } });
    servers.push({ server, db });
    return server;
  }
  afterAll(async () => {
    for (const { server, db } of servers) {
      await server.close();
      await db.drop();
    }
  });

  it('with PUBLIC_ORIGIN but no TRUST_PROXY a rotating X-Forwarded-For does not escape the per-address limit', async () => {
    const server = await start({ PUBLIC_ORIGIN });
    expect(await loginStatuses(server, (i) => `203.0.113.${i + 1}`, 4)).toEqual([401, 401, 401, 429]);
  });

  it('TRUST_PROXY=1 (one proxy on this machine) honours it: each forwarded address has its own limit', async () => {
    const server = await start({ PUBLIC_ORIGIN, TRUST_PROXY: '1' });
    expect(await loginStatuses(server, (i) => `203.0.113.${i + 1}`, 4)).toEqual([401, 401, 401, 401]);
    expect(await loginStatuses(server, () => '198.51.100.7', 4)).toEqual([401, 401, 401, 429]);
    // Only the nearest hop is believed: what the client itself put further left does not count.
    expect(await loginStatuses(server, (i) => `10.0.0.${i + 1}, 198.51.100.8`, 4)).toEqual([401, 401, 401, 429]);
  });

  it('TRUST_PROXY as addresses: honoured from a listed proxy, ignored from anyone else', async () => {
    const listed = await start({ TRUST_PROXY: '127.0.0.1/32, ::1' });
    expect(await loginStatuses(listed, (i) => `203.0.113.${i + 1}`, 4, listed.origin)).toEqual([401, 401, 401, 401]);
    const other = await start({ TRUST_PROXY: '192.0.2.10' });
    expect(await loginStatuses(other, (i) => `203.0.113.${i + 1}`, 4, other.origin)).toEqual([401, 401, 401, 429]);
  });

  it('a hop count believes the nearest proxy only when it is on this machine or the private network', () => {
    const trust = trustProxyOption(2) as (address: string, hop: number) => boolean;
    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(trust('::ffff:127.0.0.1', 0)).toBe(true);
    expect(trust('10.1.2.3', 0)).toBe(true);
    expect(trust('192.168.0.9', 0)).toBe(true);
    expect(trust('203.0.113.5', 0)).toBe(false);
    expect(trust('203.0.113.5', 1)).toBe(true);
    expect(trust('203.0.113.5', 2)).toBe(false);
    expect(trustProxyOption(false)).toBe(false);
    expect(trustProxyOption(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });

  it('config: TRUST_PROXY and ALLOWED_HOSTS are parsed and checked', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PUBLIC_ORIGIN }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback']);
    for (const bad of ['true', '*', 'proxy.example', '10.0.0.0/33', '-1', '99']) expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    expect(loadConfig({}).allowedHosts).toEqual([]);
    expect(loadConfig({ ALLOWED_HOSTS: 'Kizuki.Local, 192.168.1.5,[fd00::1]' }).allowedHosts).toEqual(['kizuki.local', '192.168.1.5', 'fd00::1']);
    for (const bad of ['kizuki.local:3000', 'http://kizuki.local', 'kizuki.local/x']) expect(() => loadConfig({ ALLOWED_HOSTS: bad }), bad).toThrow(ConfigError);
  });
});

describe('Host check (DNS rebinding), without PUBLIC_ORIGIN', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let cookie: string;
  let sheetPath: string;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database, { env: { ALLOWED_HOSTS: 'kizuki.local' } });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  const port = () => new URL(server.origin).port;
  const attacker = () => ({ host: `attacker.example:${port()}`, origin: `http://attacker.example:${port()}` });

  it('refuses first-run setup addressed to a foreign Host, even with a matching Origin (421, nothing created)', async () => {
    const body = JSON.stringify({ email: 'mallory@example.jp', password: 'mallory long secret', displayName: 'Mallory' });
    const res = await raw(server, 'POST', '/api/setup', { ...attacker(), 'content-type': 'application/json' }, body);
    expect(res.status).toBe(421);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 421, error: 'Misdirected Request', message: expect.stringMatching(/ALLOWED_HOSTS/) });
    expect((await raw(server, 'GET', '/api/setup', attacker())).status).toBe(421);
    expect(await server.app.db.select().from(users)).toEqual([]);
  });

  it('serves the same requests addressed to loopback or an ALLOWED_HOSTS name', async () => {
    const local = await raw(server, 'GET', '/api/setup', { host: `localhost:${port()}` });
    expect(local.status).toBe(200);
    const named = await raw(server, 'GET', '/api/setup', { host: `kizuki.local:${port()}`, origin: `http://kizuki.local:${port()}` });
    expect(named.status).toBe(200);
    // Real clients of the test server (127.0.0.1:<port>) keep working: set up the cast.
    const facilitator = await setupFacilitator(server.origin);
    const event = await createEvent(facilitator);
    const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
    cookie = alice.client.cookie!;
    sheetPath = `/yjs/${encodeURIComponent(`sheet:${alice.eventCompanyId}`)}`;
  });

  it('/healthz answers whatever the Host (load balancers)', async () => {
    expect((await raw(server, 'GET', '/healthz', attacker())).status).toBe(200);
  });

  it('refuses a Yjs WebSocket upgrade addressed to a foreign Host, with a valid session', async () => {
    const refused = await raw(server, 'GET', sheetPath, { ...upgradeHeaders, ...attacker(), cookie });
    expect(refused.upgraded).toBe(false);
    expect(refused.status).toBe(403);
    const accepted = await raw(server, 'GET', sheetPath, { ...upgradeHeaders, host: `127.0.0.1:${port()}`, origin: server.origin, cookie });
    expect(accepted.upgraded).toBe(true);
  });

  it('refuses a socket.io handshake (polling and WebSocket) addressed to a foreign Host', async () => {
    const polling = await raw(server, 'GET', '/socket.io/?EIO=4&transport=polling', { ...attacker(), cookie });
    expect(polling.status).toBe(421); // a Fastify route: the HTTP Host check answers first
    const ws = await raw(server, 'GET', '/socket.io/?EIO=4&transport=websocket', { ...upgradeHeaders, ...attacker(), cookie });
    expect(ws.upgraded).toBe(false);
    const okPolling = await raw(server, 'GET', '/socket.io/?EIO=4&transport=polling', { host: `127.0.0.1:${port()}`, origin: server.origin, cookie });
    expect(okPolling.status).toBe(200);
    const okWs = await raw(server, 'GET', '/socket.io/?EIO=4&transport=websocket', { ...upgradeHeaders, host: `127.0.0.1:${port()}`, origin: server.origin, cookie });
    expect(okWs.upgraded).toBe(true);
  });
});

describe('Host check with PUBLIC_ORIGIN', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database, { env: { PUBLIC_ORIGIN } });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('accepts its own host (and the upstream address a proxy may pass) and refuses any other', async () => {
    const body = JSON.stringify({ email: 'nobody@example.jp', password: 'not the password' });
    const json = { 'content-type': 'application/json', origin: PUBLIC_ORIGIN };
    expect((await raw(server, 'POST', '/api/auth/login', { ...json, host: 'kizuki.example.jp' }, body)).status).toBe(401);
    expect((await raw(server, 'POST', '/api/auth/login', { ...json, host: new URL(server.origin).host }, body)).status).toBe(401);
    expect((await raw(server, 'POST', '/api/auth/login', { ...json, host: 'attacker.example' }, body)).status).toBe(421);
    expect((await raw(server, 'GET', '/api/setup', { host: 'attacker.example' })).status).toBe(421);
  });
});
