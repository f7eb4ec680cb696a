// Cross-site request forgery and cross-site WebSocket hijacking defence: a browser always sends
// Origin on these requests, so a missing or foreign Origin is refused.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Allowed: exactly PUBLIC_ORIGIN when configured (behind a proxy), otherwise an Origin whose
 * host matches the Host the request was sent to.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  const origin = headers.origin;
  if (!origin || origin === 'null') return false;
  if (publicOrigin) return origin === publicOrigin;
  const host = headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
