// Idle memory per loaded room: the Kizuki server's RSS with no document loaded, then with N rooms
// loaded (one signed-in client each, a small worksheet in each document), idle; the difference per
// room. PGlite by default, DATABASE_URL for PostgreSQL.
//
//   npm run bench:idle                  # 200 rooms
//   npm run bench:idle -- --rooms=500
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';
import { bundleServers } from './lib/bundle.ts';
import { newListItem, sheetDoing } from '../shared/protocol/doc-shapes.ts';

const ROOMS = Number(process.argv.find((a) => a.startsWith('--rooms='))?.split('=')[1] ?? 200);
const { kizuki } = await bundleServers();
const server = fork(kizuki, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const { port, database } = await new Promise<{ port: number; database: string }>((resolve) => server.on('message', (m: { type?: string; port: number; database: string }) => m.type === 'ready' && resolve(m)));
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
const settle = async () => {
  // Let allocations settle; several readings, the last taken.
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1000));
  return rssMb();
};
const origin = `http://127.0.0.1:${port}`;
const providers: WebsocketProvider[] = [];
try {
  const facilitator = new ApiClient(origin);
  await facilitator.post('/api/setup', { email: 'idle@example.jp', password: 'benchmark password', displayName: 'Idle' });
  const event = (await facilitator.post('/api/events', { title: 'idle', date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Array<{ cookie: string; docName: string }> = [];
  for (let i = 0; i < ROOMS; i += 25) {
    seats.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, ROOMS - i) }, async (_, j) => {
          const client = new ApiClient(origin);
          const res = await client.post('/api/join', { code: joinCode, displayName: `P${i + j}`, companyName: `静会社${i + j}` });
          return { cookie: client.cookie!, docName: `sheet:${res.body.eventCompanyId}` };
        }),
      )),
    );
  }
  const before = await settle();
  for (const seat of seats) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, seat.docName, doc, { WebSocketPolyfill: webSocketClass({ cookie: seat.cookie, origin }) as never, disableBc: true });
    providers.push(provider);
  }
  await Promise.all(providers.map((p) => new Promise<void>((r) => (p.synced ? r() : p.once('sync', () => r())))));
  for (const p of providers) sheetDoing(p.doc, 'customers').push([newListItem(crypto.randomUUID(), '会員制度', '毎月'), newListItem(crypto.randomUUID(), '誕生日のお手紙', '年1回')]);
  const after = await settle();
  console.log(`\n${ROOMS} rooms loaded, idle (${database}): RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB; ${(((after - before) * 1024) / ROOMS).toFixed(1)} KiB per room (document, presence, one connection)`);
} finally {
  for (const p of providers) p.destroy();
  server.send({ cmd: 'stop' });
  setTimeout(() => process.exit(0), 3000).unref();
}
