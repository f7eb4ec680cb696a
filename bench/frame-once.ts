// What one fan-out costs the server per receiver: ws.send(update) to each socket (ws frames every
// send anew) against the frame built once and written to each socket (server/sync/ws-frame.ts).
// Times the synchronous send loop over N open sockets (the receivers read in this process, after
// the loop), alternating the two ways so both see the same machine.
//
//   npm run bench:frame                       # 500 receivers, 60-byte updates
//   npm run bench:frame -- --receivers=200 --bytes=2000 --rounds=400
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame, sendFramed } from '../server/sync/ws-frame.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const RECEIVERS = Number(arg('receivers') ?? 500);
const BYTES = Number(arg('bytes') ?? 60);
const ROUNDS = Number(arg('rounds') ?? 300);

const server = http.createServer();
const wss = new WebSocketServer({ server });
const sockets: WebSocket[] = [];
wss.on('connection', (ws) => sockets.push(ws));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

let received = 0;
const clients = await Promise.all(
  Array.from({ length: RECEIVERS }, async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    client.binaryType = 'nodebuffer';
    client.on('message', () => received++);
    await once(client, 'open');
    return client;
  }),
);
while (sockets.length < RECEIVERS) await new Promise((r) => setTimeout(r, 10));

const payload = new Uint8Array(BYTES).map((_, i) => i & 0xff);
const loops: Record<'ws.send' | 'framed once', number[]> = { 'ws.send': [], 'framed once': [] };

async function round(way: keyof typeof loops): Promise<void> {
  const expected = received + RECEIVERS;
  const started = performance.now();
  if (way === 'ws.send') {
    for (const ws of sockets) ws.send(payload);
  } else {
    const frame = binaryFrame(payload);
    for (const ws of sockets) sendFramed(ws, payload, frame);
  }
  loops[way].push(performance.now() - started);
  while (received < expected) await new Promise((r) => setImmediate(r));
}

for (let i = 0; i < ROUNDS; i++) {
  await round(i % 2 === 0 ? 'ws.send' : 'framed once');
  await round(i % 2 === 0 ? 'framed once' : 'ws.send');
}

const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(`${RECEIVERS} receivers, ${BYTES}-byte messages, ${ROUNDS} rounds each; the server's send loop per message:`);
console.log('| way | p50 ms | p99 ms | per receiver (p50) µs |');
console.log('|---|---|---|---|');
for (const [way, times] of Object.entries(loops)) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| ${way} | ${at(sorted, 50).toFixed(2)} | ${at(sorted, 99).toFixed(2)} | ${((at(sorted, 50) * 1000) / RECEIVERS).toFixed(1)} |`);
}
for (const client of clients) client.terminate();
wss.close();
server.close();
