// TRUST_PROXY as Fastify's trustProxy: whose X-Forwarded-For decides request.ip (and with it the
// per-address rate limits). Nobody's by default, never everyone's.
import { BlockList, isIPv6 } from 'node:net';
import type { Config } from '../config.ts';

/** loopback, link-local and private (RFC 1918, fc00::/7) addresses: where a reverse proxy sits. */
const NEARBY = new BlockList();
NEARBY.addSubnet('127.0.0.0', 8, 'ipv4');
NEARBY.addSubnet('10.0.0.0', 8, 'ipv4');
NEARBY.addSubnet('172.16.0.0', 12, 'ipv4');
NEARBY.addSubnet('192.168.0.0', 16, 'ipv4');
NEARBY.addSubnet('169.254.0.0', 16, 'ipv4');
NEARBY.addAddress('::1', 'ipv6');
NEARBY.addSubnet('fc00::', 7, 'ipv6');
NEARBY.addSubnet('fe80::', 10, 'ipv6');

export function isNearbyAddress(address: string): boolean {
  try {
    return NEARBY.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

/**
 * Addresses / CIDRs go to Fastify as they are. A hop count n (Fastify itself no longer accepts
 * bare hop counts, which let any direct client forge its address) trusts the n nearest hops, the
 * first of which — the proxy the server is connected to — must be on this machine or the private
 * network: a client reaching the port directly from the internet cannot choose its address.
 */
export function trustProxyOption(trustProxy: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy !== 'number') return trustProxy;
  const hops = trustProxy;
  return (address, hop) => hop < hops && (hop > 0 || isNearbyAddress(address));
}
