// Which requests may reach Kizuki at all, and which may change anything.
//
// Host (DNS rebinding): a page on attacker.example whose name is re-pointed at this machine sends
// `Host: attacker.example` and a matching Origin, so "Origin matches Host" alone would let it in,
// e.g. to create the first facilitator on a fresh install. A request must therefore be addressed
// to a name the server really answers to: loopback names, an IP address (the machine's LAN IP
// that phones use, a port-forwarded or Docker-mapped address: an address literal cannot be
// re-pointed, so a page at one was served by whoever really has it), the name it listens on
// (HOST), ALLOWED_HOSTS, or the host of PUBLIC_ORIGIN. Only the name is compared, not the port.
//
// Origin (cross-site request forgery and WebSocket hijacking): browsers send Origin on every
// cross-origin request, on every non-GET request and on every WebSocket handshake; a missing or
// foreign Origin is refused, except where the browser itself vouches for a same-origin request.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** What decides the accepted Host and Origin: the parts of Config that matter here. */
export interface OriginPolicy {
  /** PUBLIC_ORIGIN: when set, the only accepted Origin, and its host an accepted Host. */
  publicOrigin: string | undefined;
  /** ALLOWED_HOSTS: further accepted host names (lower case, IPv6 without brackets). */
  allowedHosts: readonly string[];
  /** HOST: the address or name the server listens on. */
  host: string;
}

export const HOST_REFUSED_MESSAGE =
  'このホスト名ではアクセスできません。サーバーのアドレスか、ALLOWED_HOSTS / PUBLIC_ORIGIN に設定した名前を使ってください / ' +
  'This host name is not served here; use the server’s address or a name configured in ALLOWED_HOSTS / PUBLIC_ORIGIN';

const LOOPBACK_NAMES = new Set(['localhost']);

/** The host name of a Host header value ("Example.jp:3000" → "example.jp", "[::1]:3000" → "::1"), or null. */
export function hostName(hostHeader: string | undefined): string | null {
  // Anything beyond host[:port] (a path, credentials, spaces) means it was not a Host value.
  if (!hostHeader || /[/@?#\\\s]/.test(hostHeader)) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return null;
  }
}

/** True when the request is addressed to a name this server really answers to. */
export function isAllowedHost(headers: IncomingHttpHeaders, policy: OriginPolicy): boolean {
  const name = hostName(headers.host);
  if (name === null) return false;
  // Browsers resolve localhost and *.localhost to loopback themselves, without asking DNS.
  if (isIP(name) !== 0 || LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true;
  if (name === policy.host.replace(/^\[|\]$/g, '').toLowerCase()) return true;
  if (policy.allowedHosts.includes(name)) return true;
  return policy.publicOrigin !== undefined && name === hostName(new URL(policy.publicOrigin).host);
}

/**
 * Allowed: a request addressed to an allowed Host (above) whose Origin is exactly PUBLIC_ORIGIN
 * when configured (behind a proxy), otherwise an Origin whose host matches the Host the request
 * was sent to. A request without Origin passes only when the browser marks it
 * `Sec-Fetch-Site: same-origin` (same-origin GETs, e.g. socket.io's polling handshake, carry no
 * Origin); clients that send neither header are refused.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): boolean {
  if (!isAllowedHost(headers, policy)) return false;
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] === 'same-origin';
  if (origin === 'null') return false;
  if (policy.publicOrigin) return origin === policy.publicOrigin;
  const host = headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
