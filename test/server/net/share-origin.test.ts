// Which address invite links and QR codes carry, so phones in the room can open them.
import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { pickLanAddress, shareInfo } from '../../../server/net/share-origin.ts';

const v4 = (address: string, internal = false) => ({ address, family: 'IPv4', internal }) as NetworkInterfaceInfo;
const v6 = (address: string) => ({ address, family: 'IPv6', internal: false }) as NetworkInterfaceInfo;

const laptop = { lo: [v4('127.0.0.1', true)], docker0: [v4('203.0.113.7')], wlan0: [v6('fe80::1'), v4('192.168.10.23')] };

describe('share origin', () => {
  it('prefers a private LAN IPv4 address and skips loopback, IPv6 and link-local', () => {
    expect(pickLanAddress(laptop)).toBe('192.168.10.23');
    expect(pickLanAddress({ eth0: [v4('169.254.3.3')], en1: [v4('172.20.1.2')] })).toBe('172.20.1.2');
    expect(pickLanAddress({ lo: [v4('127.0.0.1', true)] })).toBeNull();
  });

  it('loopback only: no link for phones, and says so', () => {
    expect(shareInfo({ host: '127.0.0.1', port: 3000, interfaces: laptop })).toEqual({ shareOrigin: null, loopbackOnly: true });
    expect(shareInfo({ host: 'localhost', port: 3000, interfaces: laptop }).loopbackOnly).toBe(true);
  });

  it('all interfaces: the LAN address with the port', () => {
    expect(shareInfo({ host: '0.0.0.0', port: 3000, interfaces: laptop })).toEqual({ shareOrigin: 'http://192.168.10.23:3000', loopbackOnly: false });
    expect(shareInfo({ host: '::', port: 8080, interfaces: laptop }).shareOrigin).toBe('http://192.168.10.23:8080');
  });

  it('PUBLIC_ORIGIN always wins; a specific address is used as it is', () => {
    expect(shareInfo({ host: '127.0.0.1', port: 3000, publicOrigin: 'https://kizuki.example.jp', interfaces: laptop })).toEqual({
      shareOrigin: 'https://kizuki.example.jp',
      loopbackOnly: false,
    });
    expect(shareInfo({ host: '192.168.10.23', port: 3000, interfaces: laptop }).shareOrigin).toBe('http://192.168.10.23:3000');
  });
});
