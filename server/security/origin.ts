// Which requests may reach Kizuki at all, and which may change anything.
//
// Host (DNS rebinding): a page on attacker.example whose name is re-pointed at this machine sends
// `Host: attacker.example` and a matching Origin, so "Origin matches Host" alone would let it in,
// e.g. to create the first facilitator on a fresh install. A request must therefore be addressed
// to a name the server really answers to: loopback, the address it listens on, one of the
// machine's own interface addresses (phones on the LAN use its LAN IP), ALLOWED_HOSTS, or the
// host of PUBLIC_ORIGIN. Only the name is compared, not the port.
//
// Origin (cross-site request forgery and WebSocket hijacking): browsers send Origin on every
// cross-origin request, on every non-GET request and on every WebSocket handshake; a missing or
// foreign Origin is refused, except where the browser itself vouches for a same-origin request.
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';

/** What decides the accepted Host and Origin: the parts of Config that matter here. */
export interface OriginPolicy {
  /** PUBLIC_ORIGIN: when set, the only accepted Origin, and its host an accepted Host. */
  publicOrigin: string | undefined;
  /** ALLOWED_HOSTS: further accepted host names (lower case, IPv6 without brackets). */
  allowedHosts: readonly string[];
  /** HOST: the address the server listens on. */
  host: string;
  /** The machine's own addresses; os.networkInterfaces() unless given (tests). */
  interfaceAddresses?: () => Iterable<string>;
}

export const HOST_REFUSED_MESSAGE =
  'このホスト名ではアクセスできません。サーバーのアドレスか、ALLOWED_HOSTS / PUBLIC_ORIGIN に設定した名前を使ってください / ' +
  'This host name is not served here; use the server’s address or a name configured in ALLOWED_HOSTS / PUBLIC_ORIGIN';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::', '']);

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
  if (LOOPBACK.has(name) || name.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  if (!WILDCARD.has(policy.host) && name === policy.host.replace(/^\[|\]$/g, '').toLowerCase()) return true;
  if (policy.allowedHosts.includes(name)) return true;
  if (policy.publicOrigin && name === hostName(new URL(policy.publicOrigin).host)) return true;
  return isOwnAddress(name, policy.interfaceAddresses);
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

// The machine's addresses change (Wi-Fi at a venue, DHCP): re-read them when a name is not among
// them, at most once a second, so a flood of foreign Host headers costs nothing.
const REREAD_INTERFACES_MS = 1000;
let ownAddresses: Set<string> = new Set();
let readAt = -Infinity;

function isOwnAddress(name: string, given: (() => Iterable<string>) | undefined): boolean {
  if (given) return new Set([...given()].map(normalizeAddress)).has(name);
  if (ownAddresses.has(name)) return true;
  const now = performance.now();
  if (now - readAt < REREAD_INTERFACES_MS) return false;
  readAt = now;
  ownAddresses = new Set(
    Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .map((entry) => normalizeAddress(entry.address)),
  );
  return ownAddresses.has(name);
}

/** Lower case, no zone id ("fe80::1%eth0" → "fe80::1"): how it appears in a Host header. */
function normalizeAddress(address: string): string {
  return address.replace(/%.*$/, '').toLowerCase();
}
