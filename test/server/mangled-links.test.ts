// A mangled or unknown link typed or pasted into a browser gets the app (which shows its own
// "page not found" page), never Fastify's JSON; API paths keep answering JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  if (!existsSync(`${CLIENT_DIST}/index.html`)) throw new Error('client not built: run "npm run build" (npm test does it first)');
  db = await createTestDatabase();
  server = await startTestServer(db.database, { serveClient: true });
});

afterAll(async () => {
  await server.close();
  await db.drop();
});

/** What a browser sends when the address bar is used. */
const NAVIGATION = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('mangled links', () => {
  it.each(['/join/%E0%A4%A', '/join/%', '/events/not-a-uuid/board', '/no/such/page', '/index.php'])('%s gets the app', async (path) => {
    const res = await fetch(server.origin + path, { headers: NAVIGATION });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    // The same security headers as any page: the rewrite goes through the usual hooks.
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="app">');
  });

  it('a page with a malformed escape is still checked for its Host', async () => {
    // fetch() would replace the Host header; a raw request sends it as given.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: Number(new URL(server.origin).port), path: '/join/%E0%A4%A', headers: { ...NAVIGATION, host: 'rebound.example' }, agent: false });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('API paths and missing files keep JSON 4xx, in both languages', async () => {
    const api = await fetch(`${server.origin}/api/nope`, { headers: NAVIGATION });
    expect(api.status).toBe(404);
    expect((await api.json()).message).toMatch(/は存在しません \/ does not exist/);
    const mangled = await fetch(`${server.origin}/api/join/%E0%A4%A`, { headers: NAVIGATION });
    expect(mangled.status).toBe(400);
    expect((await mangled.json()).message).toMatch(/^URL が正しくありません/);
    const asset = await fetch(`${server.origin}/assets/missing.js`);
    expect(asset.status).toBe(404);
    expect(asset.headers.get('content-type')).toContain('application/json');
  });
});
