// Control sockets that stop reading. socket.io queues every push for a socket whose client does not
// read (TCP receive paused, a frozen tab on a dead network) without limit: 100 such subscribed
// sockets grew the server by 8 MB/s (437 → 1,023 MB in 80 s). The Yjs side caps its send buffers
// (MAX_BUFFERED_BYTES in server/sync/y-connection.ts); this does the same for socket.io, by a
// sweep rather than a check per push (a push goes to a room through the adapter, not through us).
import type { Server } from 'socket.io';

/**
 * Bytes a control socket may have waiting to be sent. Pushes are small JSON (a board's reload is
 * fetched over HTTP), so a live client is far below this even on a slow phone.
 */
export const MAX_CONTROL_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How often the sockets are looked at. */
export const SLOW_CONSUMER_SWEEP_MS = 1_000;

/** The parts of an engine.io socket (socket.conn) the guard reads; engine.io does not type them. */
export interface EngineConn {
  readyState: string;
  writeBuffer: Array<{ data?: unknown }>;
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

/**
 * What waits to be sent on the connection: the WebSocket's buffer (ws: queued frames and the TCP
 * socket's unwritten bytes) and engine.io's own queue (packets held while the transport is busy,
 * or, for long-polling, until the client's next GET). Counting stops once past `limit`.
 */
export function bufferedBytes(conn: EngineConn, limit = Infinity): number {
  let bytes = conn.transport.name === 'websocket' ? (conn.transport.socket?.bufferedAmount ?? 0) : 0;
  for (const packet of conn.writeBuffer) {
    if (bytes > limit) break;
    const data = packet.data;
    bytes += 1 + (typeof data === 'string' ? data.length : ArrayBuffer.isView(data) ? data.byteLength : 0);
  }
  return bytes;
}

/**
 * Closes the transport at once, dropping what waits: engine.io's close() would wait for the queue
 * to drain, which a client that does not read never lets happen. A closed transport (unlike a
 * socket ended with 'io server disconnect') is reconnected by the client, which then reloads its
 * state, so nothing it missed stays missed.
 */
export function dropTransport(conn: EngineConn): void {
  const transport = conn.transport;
  conn.close(true);
  // ws.close() would wait up to 30 s for the client's close frame, holding the buffer meanwhile.
  if (transport.name === 'websocket') transport.socket?.terminate?.();
}

export interface SlowConsumerOptions {
  limitBytes?: number;
  intervalMs?: number;
  onDrop?: (info: { socketId: string; userId: string | undefined; bufferedBytes: number; transport: string }) => void;
}

/** Sweeps this node's control sockets and drops those over the limit; returns the stop function. */
export function guardSlowConsumers(io: Server, { limitBytes = MAX_CONTROL_BUFFERED_BYTES, intervalMs = SLOW_CONSUMER_SWEEP_MS, onDrop }: SlowConsumerOptions = {}): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const conn = socket.conn as unknown as EngineConn;
      if (conn.readyState !== 'open' && conn.readyState !== 'closing') continue;
      const bytes = bufferedBytes(conn, limitBytes);
      if (bytes <= limitBytes) continue;
      onDrop?.({ socketId: socket.id, userId: (socket.data.user as { id?: string } | undefined)?.id, bufferedBytes: bytes, transport: conn.transport.name });
      dropTransport(conn);
    }
  }, intervalMs);
  // A sweep alone must not keep the process (or a test) alive.
  timer.unref();
  return () => clearInterval(timer);
}
