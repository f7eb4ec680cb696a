// Limits on raw TCP connections, before any request or sign-in: one client holding thousands of
// idle connections (no byte sent) took the process to its file-descriptor limit (20,000 here) and
// locked everyone else out. A browser holds a handful (the page, a control socket, a few Yjs
// documents); a venue of 40 phones on the Wi-Fi has 40 addresses.
import type { Server, Socket } from 'node:net';
import { isIP } from 'node:net';

/** Connections the process serves at once (well below a usual 20,000–65,536 descriptor limit). */
export const MAX_CONNECTIONS = 8_000;
/** Connections one remote address may hold (loopback exempt: the machine's own users and benchmarks). */
export const MAX_CONNECTIONS_PER_ADDRESS = 256;
/** A client must finish its request's headers within this (Node's default, 60 s, kept slow clients 90 s). */
export const HEADERS_TIMEOUT_MS = 15_000;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export interface ConnectionLimitOptions {
  /**
   * Behind a trusted proxy every connection comes from the proxy's address: no per-address cap
   * (the proxy is the place for one).
   */
  behindProxy: boolean;
  perAddress?: number;
  /** Addresses without a cap (default: loopback). */
  exempt?: (address: string) => boolean;
}

/** The machine's own address (its users, tools and benchmarks): exempt from per-address caps. */
export const isLoopback = (address: string) => LOOPBACK.test(address);

export function limitConnections(server: Server, { behindProxy, perAddress = MAX_CONNECTIONS_PER_ADDRESS, exempt = isLoopback }: ConnectionLimitOptions): void {
  server.maxConnections = MAX_CONNECTIONS;
  const http = server as Server & { headersTimeout?: number };
  if (http.headersTimeout !== undefined) http.headersTimeout = HEADERS_TIMEOUT_MS;
  if (behindProxy) return;
  const open = new Map<string, number>();
  // Prepended: refused before the HTTP server sets the connection up.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (!address || !isIP(address) || exempt(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = open.get(address)! - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
