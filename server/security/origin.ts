// Cross-site request forgery and cross-site WebSocket hijacking defence. Browsers send Origin on
// every cross-origin request, on every non-GET request and on every WebSocket handshake; a missing
// or foreign Origin is refused, except where the browser itself vouches for a same-origin request.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Allowed: exactly PUBLIC_ORIGIN when configured (behind a proxy), otherwise an Origin whose host
 * matches the Host the request was sent to. A request without Origin passes only when the browser
 * marks it `Sec-Fetch-Site: same-origin` (same-origin GETs, e.g. socket.io's polling handshake,
 * carry no Origin); clients that send neither header are refused.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] === 'same-origin';
  if (origin === 'null') return false;
  if (publicOrigin) return origin === publicOrigin;
  const host = headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
