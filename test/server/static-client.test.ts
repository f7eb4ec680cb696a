// The built client is served compressed, with caching that suits hashed asset names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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

describe('serving the web client', () => {
  it('serves index.html for client routes, uncached, and JSON 404s for unknown API paths', async () => {
    const page = await fetch(`${server.origin}/events/some-id/board`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="app">');
    const api = await fetch(`${server.origin}/api/nope`);
    expect(api.status).toBe(404);
    expect((await api.json()).message).toContain('/api/nope');
  });

  it('serves hashed assets compressed and cacheable for a year', async () => {
    const html = readFileSync(`${CLIENT_DIST}/index.html`, 'utf8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await fetch(`${server.origin}${script}`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(['br', 'gzip']).toContain(res.headers.get('content-encoding'));
    expect(res.headers.get('cache-control')).toContain('immutable');
    const body = await res.text(); // fetch decompresses
    expect(body.length).toBeGreaterThan(10_000);
  });

  it('serves an asset written by a build made after the server started, and nothing outside assets/', async () => {
    const name = `late-${randomBytes(6).toString('hex')}.js`;
    writeFileSync(`${CLIENT_DIST}/assets/${name}`, 'console.log("rebuilt");');
    try {
      const res = await fetch(`${server.origin}/assets/${name}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('console.log("rebuilt");');
      expect(res.headers.get('cache-control')).toContain('immutable');
      const head = await fetch(`${server.origin}/assets/${name}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      rmSync(`${CLIENT_DIST}/assets/${name}`);
    }
    expect((await fetch(`${server.origin}/assets/${name}`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/%2e%2e%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/..%2f..%2f..%2fpackage.json`)).status).toBe(404);
  });
});
