// Cross-node fan-out: two Kizuki nodes over Redis (a redis-server of the bench's own, a throwaway
// database on DATABASE_URL's PostgreSQL server, default the local one). Each document has six
// writers, three on each node; every 200 ms each writes { t } under its own key. Every other client
// of the document records arrival − t, split by whether writer and reader sit on the same node
// (local fan-out) or not (through Redis).
//
//   npm run bench:cluster                     # 20 documents × 6 clients, 10 s
//   npm run bench:cluster -- --docs=50 --seconds=20
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { startCluster } from '../test/helpers/cluster.ts';
import { ApiClient } from '../test/helpers/api-client.ts';
import { webSocketClass } from '../test/helpers/yjs-client.ts';

function setting(name: string, fallback: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const DOCS = setting('docs', 20);
const SECONDS = setting('seconds', 10);
const WARMUP_MS = 2000;
const INTERVAL_MS = 200;
const PER_NODE = 3;

const now = () => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
  const providers: WebsocketProvider[] = [];
  try {
    const facilitator = new ApiClient(a.origin);
    await facilitator.post('/api/setup', { email: 'bench@example.jp', password: 'benchmark password', displayName: 'Bench' });
    const created = (await facilitator.post('/api/events', { title: 'cluster benchmark', date: '2026-12-01' })).body;
    const { joinCode } = (await facilitator.get(`/api/events/${created.id}`)).body;

    interface Seat { node: 'A' | 'B'; docName: string; cookie: string; key: string }
    const seats: Seat[] = [];
    for (let company = 0; company < DOCS; company++) {
      for (let member = 0; member < PER_NODE * 2; member++) {
        const node = member % 2 === 0 ? a : b;
        const client = new ApiClient(node.origin);
        const res = await client.post('/api/join', { code: joinCode, displayName: `P${company}-${member}`, companyName: `クラスタ商事${company}` });
        if (res.status !== 201) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
        seats.push({ node: node === a ? 'A' : 'B', docName: `sheet:${res.body.eventCompanyId}`, cookie: client.cookie!, key: `c${seats.length}` });
      }
    }
    const nodeOfKey = new Map(seats.map((s) => [s.key, s.node]));
    const samples = { same: [] as number[], cross: [] as number[] };
    let measuring = false;

    for (const seat of seats) {
      const doc = new Y.Doc();
      const origin = seat.node === 'A' ? a : b;
      const provider = new WebsocketProvider(`${origin.wsOrigin}/yjs`, seat.docName, doc, {
        WebSocketPolyfill: webSocketClass({ cookie: seat.cookie, origin: origin.origin }) as never,
        disableBc: true,
      });
      providers.push(provider);
      doc.getMap('bench').observe((event) => {
        if (!measuring) return;
        const arrived = now();
        for (const key of event.keysChanged) {
          if (key === seat.key) continue;
          const value = doc.getMap('bench').get(key) as { t: number } | undefined;
          if (!value) continue;
          (nodeOfKey.get(key) === seat.node ? samples.same : samples.cross).push(arrived - value.t);
        }
      });
    }
    await Promise.all(providers.map((p) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())))));

    const timers = providers.map((provider, i) =>
      setTimeout(() => {
        const tick = setInterval(() => provider.doc.getMap('bench').set(seats[i]!.key, { t: now() }), INTERVAL_MS);
        timers.push(tick as unknown as NodeJS.Timeout);
      }, Math.random() * INTERVAL_MS),
    );
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    measuring = true;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    for (const t of timers) clearInterval(t);

    const line = (label: string, list: number[]) => {
      const sorted = [...list].sort((x, y) => x - y);
      return `| ${label} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(sorted.at(-1) ?? NaN).toFixed(1)} |`;
    };
    console.log(`\n${DOCS} documents × ${PER_NODE * 2} clients (${PER_NODE} per node), an edit per client every ${INTERVAL_MS} ms, ${SECONDS} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('| writer → reader | samples | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(line('same node', samples.same));
    console.log(line('across nodes (Redis)', samples.cross));
  } finally {
    for (const p of providers) p.destroy();
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
