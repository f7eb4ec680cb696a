import { describe, expect, it } from 'vitest';
import { hostName, isAllowedHost, isAllowedOrigin, type OriginPolicy } from '../../../server/security/origin.ts';

/** A server listening on all interfaces (phones on the venue's Wi-Fi use its LAN IP). */
const lan: OriginPolicy = { publicOrigin: undefined, allowedHosts: [], host: '0.0.0.0' };
const withPublic: OriginPolicy = { ...lan, host: '127.0.0.1', publicOrigin: 'https://kizuki.example.jp' };

describe('isAllowedOrigin', () => {
  const named: OriginPolicy = { ...lan, allowedHosts: ['kizuki.local'] };
  const host = { host: 'kizuki.local:3000' };

  it('accepts an Origin matching the Host and refuses others', () => {
    expect(isAllowedOrigin({ ...host, origin: 'http://kizuki.local:3000' }, named)).toBe(true);
    expect(isAllowedOrigin({ ...host, origin: 'http://evil.example' }, named)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'http://kizuki.local:3001' }, named)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'null' }, named)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'not a url' }, named)).toBe(false);
  });

  it('with PUBLIC_ORIGIN accepts exactly that origin', () => {
    const proxied = { host: 'kizuki.example.jp' };
    expect(isAllowedOrigin({ ...proxied, origin: 'https://kizuki.example.jp' }, withPublic)).toBe(true);
    expect(isAllowedOrigin({ ...proxied, origin: 'http://kizuki.local:3000' }, withPublic)).toBe(false);
    // A proxy that passes its upstream address as Host (nginx's default) is fine too.
    expect(isAllowedOrigin({ host: '127.0.0.1:3000', origin: 'https://kizuki.example.jp' }, withPublic)).toBe(true);
  });

  it('accepts a missing Origin only when the browser marks the request same-origin', () => {
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'same-origin' }, named)).toBe(true);
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'cross-site' }, named)).toBe(false);
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'same-site' }, named)).toBe(false);
    expect(isAllowedOrigin({ ...host }, named)).toBe(false);
  });

  it('refuses a DNS-rebinding request: a foreign Host with a matching Origin', () => {
    expect(isAllowedOrigin({ host: 'attacker.example', origin: 'http://attacker.example' }, lan)).toBe(false);
    expect(isAllowedOrigin({ host: 'attacker.example:3000', origin: 'http://attacker.example:3000' }, lan)).toBe(false);
    expect(isAllowedOrigin({ host: 'attacker.example', 'sec-fetch-site': 'same-origin' }, lan)).toBe(false);
    expect(isAllowedOrigin({ host: 'attacker.example', origin: 'https://kizuki.example.jp' }, withPublic)).toBe(false);
  });
});

describe('isAllowedHost', () => {
  const allowed = (hostHeader: string | undefined, policy: OriginPolicy = lan) => isAllowedHost({ host: hostHeader }, policy);

  it('accepts loopback names and addresses, on any port', () => {
    for (const h of ['127.0.0.1:3000', 'localhost:5173', 'LOCALHOST', '[::1]:3000', '127.0.0.2', 'app.localhost:3000']) expect(allowed(h), h).toBe(true);
  });

  it('accepts any IP address (LAN IP, port-forwarded or Docker-mapped address: a literal cannot be re-pointed)', () => {
    for (const h of ['192.168.1.20:3000', '10.0.0.5', '0.0.0.0:3000', '[fe80::1]:3000', '[2001:db8::1]', '203.0.113.9:8080']) expect(allowed(h), h).toBe(true);
    // Names that merely look numeric are names.
    for (const h of ['192.168.1.20.attacker.example', '127.0.0.1.nip.io:3000', 'localhost.attacker.example']) expect(allowed(h), h).toBe(false);
  });

  it('accepts the name the server listens on (HOST)', () => {
    const named: OriginPolicy = { ...lan, host: 'kizuki-box' };
    expect(allowed('kizuki-box:3000', named)).toBe(true);
    expect(allowed('kizuki-box:3000')).toBe(false);
  });

  it('accepts ALLOWED_HOSTS names and the PUBLIC_ORIGIN host, nothing else', () => {
    const named: OriginPolicy = { ...lan, allowedHosts: ['kizuki.local', 'fd00::7'] };
    expect(allowed('Kizuki.Local:3000', named)).toBe(true);
    expect(allowed('[fd00::7]:3000', named)).toBe(true);
    expect(allowed('kizuki.local.attacker.example', named)).toBe(false);
    expect(allowed('kizuki.example.jp', withPublic)).toBe(true);
    expect(allowed('kizuki.example.jp:443', withPublic)).toBe(true);
    expect(allowed('attacker.example', withPublic)).toBe(false);
    expect(allowed('kizuki.example.jp', lan)).toBe(false);
  });

  it('refuses a missing or malformed Host', () => {
    for (const h of [undefined, '', 'user@127.0.0.1', '127.0.0.1/x', '127.0.0.1 evil', '[::1', '127.0.0.1:99999']) expect(allowed(h), String(h)).toBe(false);
  });

  it('hostName: the name of a Host value, lower case, IPv6 without brackets', () => {
    expect(hostName('Example.JP:3000')).toBe('example.jp');
    expect(hostName('[::1]:3000')).toBe('::1');
    expect(hostName('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(hostName('a b')).toBeNull();
  });
});
