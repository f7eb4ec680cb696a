// The single owner of HTTP `upgrade`: several listeners on one server destroy each other's
// sockets, so socket.io and the Yjs endpoint each register a path prefix here instead.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export class UpgradeRouter {
  private readonly routes: Array<{ prefix: string; handler: UpgradeHandler }> = [];
  private accepting = true;

  /**
   * Refuse every new upgrade from now on (shutdown). Clients whose sockets we close reconnect at
   * once; an upgrade accepted after that would keep the HTTP server from ever closing.
   */
  stopAccepting(): void {
    this.accepting = false;
  }

  add(prefix: string, handler: UpgradeHandler): void {
    this.routes.push({ prefix, handler });
  }

  readonly dispatch = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    if (!this.accepting) {
      refuseUpgrade(socket, 503, 'Server is shutting down');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const route = this.routes.find((r) => path.startsWith(r.prefix));
    if (!route) {
      refuseUpgrade(socket, 404, 'No WebSocket endpoint here');
      return;
    }
    route.handler(req, socket, head);
  };
}

/** Answers an upgrade with a plain HTTP error, before any WebSocket byte is exchanged. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = Buffer.from(message, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${message}`,
  );
}

export default fp(
  async (app) => {
    const router = new UpgradeRouter();
    app.decorate('upgrades', router);
    app.server.on('upgrade', router.dispatch);
    app.addHook('onClose', async () => {
      app.server.off('upgrade', router.dispatch);
    });
  },
  { name: 'upgrade-router' },
);
