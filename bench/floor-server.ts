// The floor for the reconnect storm: the least a Node WebSocket server can do to finish a
// y-websocket handshake (ws, no Y.Doc, no auth, no storage): send step 1 for an empty document,
// answer the client's step 1 with an empty step 2. No real server can be faster on the same
// machine, so the storm benchmark prints it beside the others to show what the machine allows.
// Talks to the benchmark over IPC like bench/reference-server.ts.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { LISTEN_BACKLOG } from '../server/net/listen-backlog.ts';
import { EMPTY_STEP1 as STEP1, EMPTY_STEP2 as STEP2, MESSAGE_SYNC } from './lib/handshake-frames.ts';

if (!process.send) {
  console.error('bench/floor-server.ts is started by a benchmark (it needs an IPC channel)');
  process.exit(2);
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data: Buffer) => {
      if (data[0] === MESSAGE_SYNC && data[1] === syncProtocol.messageYjsSyncStep1) ws.send(STEP2);
    });
    ws.send(STEP1);
  });
});
server.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => {
  process.send!({ type: 'ready', port: (server.address() as { port: number }).port, database: 'none' });
});

const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  process.exit(0);
};
process.on('message', (message: { cmd?: string }) => message.cmd === 'stop' && stop());
process.on('disconnect', stop);
