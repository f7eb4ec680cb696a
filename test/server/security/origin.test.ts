import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '../../../server/security/origin.ts';

describe('isAllowedOrigin', () => {
  const host = { host: 'kizuki.local:3000' };

  it('accepts an Origin matching the Host and refuses others', () => {
    expect(isAllowedOrigin({ ...host, origin: 'http://kizuki.local:3000' }, undefined)).toBe(true);
    expect(isAllowedOrigin({ ...host, origin: 'http://evil.example' }, undefined)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'http://kizuki.local:3001' }, undefined)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'null' }, undefined)).toBe(false);
    expect(isAllowedOrigin({ ...host, origin: 'not a url' }, undefined)).toBe(false);
  });

  it('with PUBLIC_ORIGIN accepts exactly that origin', () => {
    expect(isAllowedOrigin({ ...host, origin: 'https://kizuki.example.jp' }, 'https://kizuki.example.jp')).toBe(true);
    expect(isAllowedOrigin({ ...host, origin: 'http://kizuki.local:3000' }, 'https://kizuki.example.jp')).toBe(false);
  });

  it('accepts a missing Origin only when the browser marks the request same-origin', () => {
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'same-origin' }, undefined)).toBe(true);
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'cross-site' }, undefined)).toBe(false);
    expect(isAllowedOrigin({ ...host, 'sec-fetch-site': 'same-site' }, undefined)).toBe(false);
    expect(isAllowedOrigin({ ...host }, undefined)).toBe(false);
  });
});
