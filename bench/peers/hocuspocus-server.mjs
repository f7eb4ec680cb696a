// Hocuspocus (the peer server the cost benchmark compares with): its stock Server, in memory, no
// extensions, no auth hook, as its README starts it. Own process so its RSS is measured alone.
// Talks to bench/room-cost.ts over IPC: sends { type: 'ready', port }, stops on { cmd: 'stop' }.
import { Server } from '@hocuspocus/server';

if (!process.send) {
  console.error('bench/peers/hocuspocus-server.mjs is started by bench/room-cost.ts (it needs an IPC channel)');
  process.exit(2);
}

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
await server.listen();
process.send({ type: 'ready', port: server.address.port, database: 'none (in memory)' });

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 3000).unref();
  await server.destroy().catch(() => {});
  process.exit(code);
}
process.on('message', (message) => message?.cmd === 'stop' && void stop());
process.on('disconnect', () => void stop(1));
process.on('SIGTERM', () => void stop(0));
