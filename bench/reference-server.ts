// The y-websocket reference server for the sync benchmark: a plain http server + ws
// WebSocketServer handing every socket to @y/websocket-server's setupWSConnection (in memory,
// no persistence, no auth), as its own bin does. Own process, so its RSS is measured alone.
// Talks to bench/sync.ts over IPC: sends { type: 'ready', port }, stops on { cmd: 'stop' }.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setupWSConnection, docs } from '@y/websocket-server/utils';
import { memoryAfterGc } from './lib/memory.ts';

if (!process.send) {
  console.error('bench/reference-server.ts is started by bench/sync.ts (it needs an IPC channel)');
  process.exit(2);
}

// How long this server's event loop was blocked (the histogram records whole 5 ms timer intervals).
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const loopLag = () => ({
  loopLagP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 5),
  loopLagMaxMs: Math.max(0, loop.max / 1e6 - 5),
});
// bench/sync.ts starts this without YPERSISTENCE / CALLBACK_URL, so the reference stays in memory.

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('okay');
});
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send!({ type: 'ready', port, database: 'none (in memory)' });
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  server.close(() => process.exit(code));
  setTimeout(() => process.exit(code), 3000).unref();
}

process.on('message', (message: { cmd?: string; id?: number }) => {
  if (message.cmd === 'resetLoop') {
    loop.reset();
    process.send!({ type: 'stats', id: message.id, stats: {} });
  } else if (message.cmd === 'loop') {
    process.send!({ type: 'stats', id: message.id, stats: loopLag() });
  } else if (message.cmd === 'memory') {
    void memoryAfterGc().then((m) => process.send!({ type: 'stats', id: message.id, stats: m }));
  } else if (message.cmd === 'stats') process.send!({ type: 'stats', id: message.id, stats: { ...loopLag(), loadedDocs: docs.size } });
  else if (message.cmd === 'stop') stop();
});
process.on('disconnect', () => stop(1));
process.on('SIGTERM', () => stop(0));
