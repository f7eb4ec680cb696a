// A tiny load balancer for trying multi-node Kizuki on one machine (not for production: use
// nginx, HAProxy or a cloud load balancer there). WebSocket connections (Yjs documents,
// socket.io) go to the nodes in turn, so one browser's documents and control socket usually sit on
// different nodes; plain HTTP requests, and socket.io's long-polling fallback (which needs the
// same node for a whole session), stick to one node per browser with a cookie. Every request
// reaches the nodes with X-Forwarded-For set to the browser's address (start:cluster makes the
// nodes trust it from loopback), so per-address limits count each browser, not the proxy.
import http from 'node:http';
import net from 'node:net';

const STICKY_COOKIE = 'kizuki_node';
const FORWARDED_FOR = 'x-forwarded-for';

/**
 * This proxy is the edge: the address it saw replaces whatever X-Forwarded-For the client sent,
 * which a browser cannot be trusted to state about itself.
 */
const clientAddress = (req) => req.socket.remoteAddress ?? '';

/** backends: [{ host, port }]; returns the listening http.Server. */
export function startProxy({ port, host = '127.0.0.1', backends, log = console.log }) {
  let next = 0;
  const roundRobin = () => {
    const index = next;
    next = (next + 1) % backends.length;
    return index;
  };
  const stickyIndex = (req) => {
    const match = new RegExp(`(?:^|;\\s*)${STICKY_COOKIE}=(\\d+)`).exec(req.headers.cookie ?? '');
    const index = match ? Number(match[1]) : NaN;
    return Number.isInteger(index) && index < backends.length ? index : undefined;
  };

  const server = http.createServer((req, res) => {
    const sticky = stickyIndex(req);
    const index = sticky ?? roundRobin();
    const backend = backends[index];
    const upstream = http.request(
      { host: backend.host, port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, [FORWARDED_FOR]: clientAddress(req) } },
      (response) => {
        const headers = { ...response.headers };
        if (sticky === undefined) {
          const cookie = `${STICKY_COOKIE}=${index}; Path=/; HttpOnly; SameSite=Lax`;
          headers['set-cookie'] = [...(headers['set-cookie'] ?? []), cookie];
        }
        res.writeHead(response.statusCode ?? 502, headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`node ${index + 1} is not answering`);
    });
    req.pipe(upstream);
  });

  /** WebSocket connections sent to each backend (shown by the tests). */
  server.upgradesPerBackend = backends.map(() => 0);
  server.on('upgrade', (req, socket, head) => {
    // An engine.io upgrade of a polling session (sid=…) must reach the node holding that session.
    const pollingUpgrade = /[?&]sid=/.test(req.url ?? '');
    const index = (pollingUpgrade ? stickyIndex(req) : undefined) ?? roundRobin();
    const backend = backends[index];
    server.upgradesPerBackend[index]++;
    const upstream = net.connect(backend.port, backend.host, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i].toLowerCase() !== FORWARDED_FOR) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      lines.push(`X-Forwarded-For: ${clientAddress(req)}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
  });

  server.listen(port, host, () => log(`proxy on http://${host}:${port} → ${backends.map((b) => `${b.host}:${b.port}`).join(', ')}`));
  return server;
}
