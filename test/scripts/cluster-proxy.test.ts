// The start:cluster proxy tells the nodes who the browser is: X-Forwarded-For carries the address
// the proxy saw, on plain requests and on WebSocket upgrades, and a value the client made up does
// not get through (the nodes trust the header from loopback, so a forged one would choose the
// address the per-address limits count).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
// @ts-expect-error: a plain .mjs script without type declarations
import { startProxy } from '../../scripts/cluster-proxy.mjs';

let backend: Server;
let proxy: Server;
let proxyOrigin: string;
const seen: IncomingHttpHeaders[] = [];

const listening = (server: Server) => new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
const portOf = (server: Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  const wss = new WebSocketServer({ noServer: true });
  backend.on('upgrade', (req, socket, head) => {
    seen.push(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => ws.send('hello'));
  });
  backend.listen(0, '127.0.0.1');
  await listening(backend);
  proxy = startProxy({ port: 0, backends: [{ host: '127.0.0.1', port: portOf(backend) }], log: () => {} });
  await listening(proxy);
  proxyOrigin = `http://127.0.0.1:${portOf(proxy)}`;
});

afterAll(() => {
  proxy?.closeAllConnections();
  proxy?.close();
  backend?.closeAllConnections();
  backend?.close();
});

describe('the start:cluster proxy', () => {
  it('forwards a plain request with the client address in X-Forwarded-For, not the one the client sent', async () => {
    seen.length = 0;
    const res = await fetch(`${proxyOrigin}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(await res.text()).toBe('ok');
    expect(seen.at(-1)?.['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('forwards a WebSocket upgrade the same way', async () => {
    seen.length = 0;
    const ws = new WebSocket(`${proxyOrigin.replace('http', 'ws')}/yjs/x`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    ws.terminate();
    expect(first).toBe('hello');
    expect(seen.at(-1)?.['x-forwarded-for']).toBe('127.0.0.1');
  });
});
