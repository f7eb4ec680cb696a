// The tiny proxy of `npm run start:cluster` in front of two nodes: WebSockets alternate between the
// nodes (so two tabs' documents sit on different nodes and still converge), and socket.io's
// long-polling fallback works because plain HTTP sticks to one node per browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { io } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { freePort, startCluster, type Cluster } from '../helpers/cluster.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../helpers/yjs-client.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
// @ts-expect-error: a plain .mjs script without type declarations
import { startProxy } from '../../scripts/cluster-proxy.mjs';

let cluster: Cluster;
let proxy: Server;
let origin: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const backends = cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(new URL(n.origin).port) }));
  proxy = startProxy({ port, backends, log: () => {} });
  await new Promise((r) => (proxy.listening ? r(null) : proxy.once('listening', r)));
}, 90_000);

afterAll(async () => {
  for (const p of providers) p.destroy();
  proxy?.closeAllConnections?.();
  proxy?.close();
  await cluster?.stop();
}, 60_000);

describe('the start:cluster proxy', { timeout: 60_000 }, () => {
  it('spreads document connections over the nodes, which converge', async () => {
    const facilitator = await setupFacilitator(origin);
    const event = await createEvent(facilitator, 'プロキシ');
    const member = await joinAs(origin, event.joinCode, '佐藤', '株式会社あかね');
    const docName = sheetDocName(member.eventCompanyId);
    const wsOrigin = origin.replace(/^http/, 'ws');
    const first = connectProvider(wsOrigin, docName, { cookie: member.client.cookie });
    const second = connectProvider(wsOrigin, docName, { cookie: member.client.cookie });
    providers.push(first, second);
    await Promise.all([whenSynced(first), whenSynced(second)]);
    first.doc.getMap('notes').set('from', 'first');
    second.doc.getMap('notes').set('to', 'second');
    await eventually(() => {
      for (const p of [first, second]) expect(p.doc.getMap('notes').toJSON()).toEqual({ from: 'first', to: 'second' });
    });
    // Round robin put the two connections on different nodes (so the edits crossed Redis).
    expect((proxy as Server & { upgradesPerBackend: number[] }).upgradesPerBackend).toEqual([1, 1]);
  });

  it('keeps a long-polling socket.io session on one node', async () => {
    const facilitator = await setupFacilitator(origin);
    const event = await createEvent(facilitator, 'ロングポーリング');
    // Polling only, with the proxy's sticky cookie kept like a browser would.
    const login = await fetch(`${origin}/healthz`);
    const sticky = /kizuki_node=\d+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
    expect(sticky).toBeTruthy();
    const socket = io(origin, {
      transports: ['polling'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: `${facilitator.cookie}; ${sticky}`, origin },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      // Several round trips over polling: each request must reach the node holding the session.
      for (let i = 0; i < 5; i++) {
        const ack = await socket.timeout(5000).emitWithAck('event:subscribe', { eventId: event.id });
        expect(ack.ok).toBe(true);
      }
    } finally {
      socket.disconnect();
    }
  });
});
