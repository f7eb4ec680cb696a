// Where phones in the room can reach this server. Invite links and QR codes are opened on other
// devices, so "127.0.0.1" or "0.0.0.0" in them is useless: PUBLIC_ORIGIN when set; otherwise,
// when listening on all interfaces, the machine's LAN address; when listening on loopback only,
// nothing (the event page then says how to let phones in).
import type { NetworkInterfaceInfo } from 'node:os';
import { isIP } from 'node:net';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);

export function listensOnAllInterfaces(host: string): boolean {
  return ALL_INTERFACES.has(host);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Private IPv4 ranges first (what a venue's Wi-Fi hands out), then any other non-internal IPv4. */
function rank(address: string): number {
  if (address.startsWith('192.168.') || address.startsWith('10.')) return 0;
  const [a, b] = address.split('.').map(Number);
  if (a === 172 && b !== undefined && b >= 16 && b <= 31) return 0;
  if (address.startsWith('169.254.')) return 2; // link-local: no DHCP answered, last resort
  return 1;
}

/** The LAN IPv4 address phones on the same network would use, or null. */
export function pickLanAddress(interfaces: Interfaces): string | null {
  const candidates: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal || info.family !== 'IPv4' || isIP(info.address) !== 4) continue;
      candidates.push(info.address);
    }
  }
  candidates.sort((x, y) => rank(x) - rank(y));
  return candidates[0] ?? null;
}

export interface ShareInfo {
  /** Origin to put in invite links and QR codes; null when phones cannot reach this server. */
  shareOrigin: string | null;
  /** Listening on loopback only: other devices cannot connect at all. */
  loopbackOnly: boolean;
}

export function shareInfo(options: { host: string; port: number; publicOrigin?: string; interfaces: Interfaces }): ShareInfo {
  const { host, port, publicOrigin, interfaces } = options;
  if (publicOrigin) return { shareOrigin: publicOrigin, loopbackOnly: false };
  if (isLoopbackHost(host)) return { shareOrigin: null, loopbackOnly: true };
  if (listensOnAllInterfaces(host)) {
    const lan = pickLanAddress(interfaces);
    return { shareOrigin: lan ? `http://${lan}:${port}` : null, loopbackOnly: false };
  }
  // A specific address (HOST=192.168.1.5): that is where others reach it.
  const literal = isIP(host) === 6 ? `[${host}]` : host;
  return { shareOrigin: `http://${literal}:${port}`, loopbackOnly: false };
}
