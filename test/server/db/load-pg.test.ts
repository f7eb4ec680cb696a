// loadPg() gives node-postgres without pg's Cloudflare check loading Node's fetch (undici): a
// fresh process (this one has loaded whatever vitest needs) loads pg both ways and reports.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

function inFreshProcess(script: string): { undici: boolean; pool: string; navigatorLeft: boolean } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const report = `console.log(JSON.stringify({ undici: process.moduleLoadList.some((m) => m.includes('undici')), pool: typeof pg.Pool, navigatorLeft: 'navigator' in globalThis }));`;

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

describe('loadPg', () => {
  it('loads a working pg without loading undici, and leaves no navigator behind', () => {
    const result = inFreshProcess(`const { loadPg } = await import('./server/db/load-pg.ts'); const pg = await loadPg(); ${report}`);
    // Node 21+ has a navigator of its own; Node 20 must not keep the one lent to pg.
    expect(result).toEqual({ undici: false, pool: 'function', navigatorLeft: NODE_MAJOR >= 21 });
  });

  it('is needed: a plain import of pg on this Node loads undici', () => {
    // On Node 21+ (navigator built in) neither loads it and there is nothing to prove.
    const plain = inFreshProcess(`const { default: pg } = await import('pg'); ${report}`);
    expect(plain.pool).toBe('function');
    expect(plain.undici).toBe(NODE_MAJOR < 21);
  });
});
