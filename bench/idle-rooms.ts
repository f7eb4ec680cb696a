// Idle memory per loaded room, Kizuki beside the y-websocket reference. Each server in its own
// process (bundled, as `npm start` runs; --expose-gc so every reading follows a full collection):
//   1. nothing loaded;
//   2. N rooms loaded, one client each, a small worksheet written into every document, idle;
//   3. a second client in every room.
// Per room = (2 − 1) ÷ N, which holds the document, its presence and one connection; per extra
// connection = (3 − 2) ÷ N; so the room without its connections = per room − per connection.
// Both RSS and the V8 heap are shown (RSS also holds what the allocator has not given back).
// PGlite by default, DATABASE_URL for PostgreSQL.
//
//   npm run bench:idle                  # 200 rooms
//   npm run bench:idle -- --rooms=500
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';
import { bundleServers, kizukiNodeArgs } from './lib/bundle.ts';
import { lightClient } from './lib/light-client.ts';
import { newListItem, sheetDoing } from '../shared/protocol/doc-shapes.ts';
import { fork } from 'node:child_process';

const ROOMS = Number(process.argv.find((a) => a.startsWith('--rooms='))?.split('=')[1] ?? 200);
const KIZUKI_NODE_ARGS = (await kizukiNodeArgs()).join(' ');
const entries = await bundleServers();

interface Memory {
  rss: number;
  heapUsed: number;
}
interface Seat {
  docName: string;
  url: string;
  headers: Record<string, string>;
}

let nextId = 0;
function ask(child: ChildProcess, cmd: string): Promise<Memory> {
  const id = ++nextId;
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string; id?: number; stats: Memory }) => {
      if (m.type !== 'stats' || m.id !== id) return;
      child.off('message', onMessage);
      resolve(m.stats);
    };
    child.on('message', onMessage);
    child.send({ cmd, id });
  });
}

/** Memory once the server has been left alone a moment (timers fired, sockets settled). */
async function settledMemory(child: ChildProcess): Promise<Memory> {
  await new Promise((r) => setTimeout(r, 2000));
  return ask(child, 'memory');
}

async function kizukiSeats(port: number): Promise<Seat[]> {
  const origin = `http://127.0.0.1:${port}`;
  const facilitator = new ApiClient(origin);
  await facilitator.post('/api/setup', { email: 'idle@example.jp', password: 'benchmark password', displayName: 'Idle' });
  const event = (await facilitator.post('/api/events', { title: 'idle', date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Seat[] = [];
  for (let i = 0; i < ROOMS; i += 25) {
    seats.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, ROOMS - i) }, async (_, j) => {
          const client = new ApiClient(origin);
          const res = await client.post('/api/join', { code: joinCode, displayName: `P${i + j}`, companyName: `静会社${i + j}` });
          const docName = `sheet:${res.body.eventCompanyId}`;
          return { docName, url: `ws://127.0.0.1:${port}/yjs`, headers: { cookie: client.cookie!, origin } };
        }),
      )),
    );
  }
  return seats;
}

async function measure(kind: 'kizuki' | 'reference') {
  const child = fork(entries[kind], [], {
    execArgv: ['--expose-gc', ...(kind === 'kizuki' ? KIZUKI_NODE_ARGS.split(' ').filter(Boolean) : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { port, database } = await new Promise<{ port: number; database: string }>((resolve) => child.on('message', (m: { type?: string; port: number; database: string }) => m.type === 'ready' && resolve(m)));
  const providers: WebsocketProvider[] = [];
  const extra: Array<ReturnType<typeof lightClient>> = [];
  try {
    const seats: Seat[] =
      kind === 'kizuki' ? await kizukiSeats(port) : Array.from({ length: ROOMS }, (_, n) => ({ docName: `room-${n}`, url: `ws://127.0.0.1:${port}`, headers: {} }));
    const empty = await settledMemory(child);
    for (const seat of seats) {
      const doc = new Y.Doc();
      providers.push(new WebsocketProvider(seat.url, seat.docName, doc, { WebSocketPolyfill: webSocketClass(seat.headers) as never, disableBc: true }));
    }
    await Promise.all(providers.map((p) => new Promise<void>((r) => (p.synced ? r() : p.once('sync', () => r())))));
    for (const p of providers) sheetDoing(p.doc, 'customers').push([newListItem(crypto.randomUUID(), '会員制度', '毎月'), newListItem(crypto.randomUUID(), '誕生日のお手紙', '年1回')]);
    const loaded = await settledMemory(child);
    for (const seat of seats) extra.push(lightClient(`${seat.url}/${seat.docName}`, seat.headers));
    await Promise.all(extra.map((c) => c.synced));
    const twoEach = await settledMemory(child);
    return { database, empty, loaded, twoEach };
  } finally {
    for (const p of providers) p.destroy();
    for (const c of extra) c.socket.terminate();
    child.send({ cmd: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}

const kib = (bytes: number) => `${(bytes / 1024 / ROOMS).toFixed(1)} KiB`;
function report(name: string, m: Awaited<ReturnType<typeof measure>>) {
  const perRoom = (k: keyof Memory) => m.loaded[k] - m.empty[k];
  const perConnection = (k: keyof Memory) => m.twoEach[k] - m.loaded[k];
  console.log(
    `| ${name} | ${(m.empty.rss / 2 ** 20).toFixed(0)} MB | ${kib(perRoom('rss'))} / ${kib(perRoom('heapUsed'))} | ${kib(perConnection('rss'))} / ${kib(perConnection('heapUsed'))} | ${kib(perRoom('rss') - perConnection('rss'))} / ${kib(perRoom('heapUsed') - perConnection('heapUsed'))} |`,
  );
}

const reference = await measure('reference');
const kizuki = await measure('kizuki');
console.log(`\n${ROOMS} rooms loaded and idle; Kizuki on ${kizuki.database}; RSS / V8 heap after a full collection`);
console.log('| server | RSS, nothing loaded | per room (document, presence, one connection) | per extra connection | per room without its connections |');
console.log('|---|---|---|---|---|');
report('y-websocket reference', reference);
report('Kizuki', kizuki);
process.exit(0);
