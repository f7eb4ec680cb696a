// Raw connections are capped per remote address before any request: one client holding thousands
// of idle connections took the server to its descriptor limit and locked everyone out.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { HEADERS_TIMEOUT_MS, MAX_CONNECTIONS, limitConnections } from '../../../server/net/connection-limits.ts';

const servers: http.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(options: Parameters<typeof limitConnections>[1]): Promise<number> {
  const server = http.createServer((_req, res) => res.end('ok'));
  limitConnections(server, options);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** An idle connection; resolves with whether the server closed it within 300 ms. */
function idle(port: number): Promise<boolean> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 300);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const get = (port: number) => new Promise<number>((resolve, reject) => http.get({ port, host: '127.0.0.1', agent: false }, (res) => {
  res.resume();
  resolve(res.statusCode!);
}).on('error', reject));

describe('connection limits', () => {
  it('closes an address’s connections beyond its cap at once, and takes one again when one closes', async () => {
    // Every address capped here (loopback is exempt by default): the test's own client is one.
    const port = await serve({ behindProxy: false, perAddress: 3, exempt: () => false });
    const held = await Promise.all([idle(port), idle(port), idle(port)]);
    expect(held).toEqual([false, false, false]);
    expect(await idle(port)).toBe(true);
    sockets[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await get(port)).toBe(200);
  });

  it('leaves loopback uncapped by default, and every address behind a trusted proxy', async () => {
    const local = await serve({ behindProxy: false, perAddress: 2 });
    expect(await Promise.all([idle(local), idle(local), idle(local)])).toEqual([false, false, false]);
    const proxied = await serve({ behindProxy: true, perAddress: 2, exempt: () => false });
    expect(await Promise.all([idle(proxied), idle(proxied), idle(proxied)])).toEqual([false, false, false]);
  });

  it('caps the process’s connections and shortens the time to send request headers', () => {
    const server = http.createServer();
    limitConnections(server, { behindProxy: true });
    expect(server.maxConnections).toBe(MAX_CONNECTIONS);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
  });
});
