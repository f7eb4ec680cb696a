// The restart case: N authenticated clients (companies of three) connect at once; time until every
// one finished its sync handshake (p50 / p99 / max), with the server in its own process (the
// production app: auth and persistence on). PGlite by default, DATABASE_URL for PostgreSQL.
//
//   npm run bench:storm                 # 1,000 clients
//   npm run bench:storm -- --clients=300
import { fork } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';

const CLIENTS = Number(process.argv.find((a) => a.startsWith('--clients='))?.split('=')[1] ?? 1000);
const PER_COMPANY = 3;

const server = fork(new URL('./kizuki-server.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const ready = await new Promise<{ port: number; database: string }>((resolve) => server.on('message', (m: { type?: string; port: number; database: string }) => m.type === 'ready' && resolve(m)));
const origin = `http://127.0.0.1:${ready.port}`;
try {
  const facilitator = new ApiClient(origin);
  await facilitator.post('/api/setup', { email: 'storm@example.jp', password: 'benchmark password', displayName: 'Storm' });
  const event = (await facilitator.post('/api/events', { title: 'storm', date: '2026-12-01' })).body;
  const { joinCode } = (await facilitator.get(`/api/events/${event.id}`)).body;
  const seats: Array<{ cookie: string; docName: string }> = [];
  for (let i = 0; i < CLIENTS; i += 20) {
    const batch = Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, j) => {
      const n = i + j;
      const client = new ApiClient(origin);
      const res = await client.post('/api/join', { code: joinCode, displayName: `P${n}`, companyName: `嵐商事${Math.floor(n / PER_COMPANY)}` });
      if (res.status !== 201) throw new Error(`join ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      return { cookie: client.cookie!, docName: `sheet:${res.body.eventCompanyId}` };
    });
    seats.push(...(await Promise.all(batch)));
  }
  // Warm: the documents exist and are stored, as after a restart.
  const started = performance.now();
  const times: number[] = [];
  const providers = seats.map((seat) => {
    const provider = new WebsocketProvider(`ws://127.0.0.1:${ready.port}/yjs`, seat.docName, new Y.Doc(), {
      WebSocketPolyfill: webSocketClass({ cookie: seat.cookie, origin }) as never,
      disableBc: true,
    });
    provider.once('sync', () => times.push(performance.now() - started));
    return provider;
  });
  const deadline = Date.now() + 60_000;
  while (times.length < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(0);
  console.log(`\n${CLIENTS} clients connecting at once (${ready.database}); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`synced: ${times.length}/${CLIENTS}; p50 ${at(50)} ms, p99 ${at(99)} ms, all ${times.at(-1)?.toFixed(0)} ms`);
  for (const p of providers) p.destroy();
} finally {
  server.send({ cmd: 'stop' });
  setTimeout(() => process.exit(0), 3000).unref();
}
