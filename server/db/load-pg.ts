// Loads node-postgres without loading Node's fetch implementation. At load, pg asks whether it runs
// on Cloudflare Workers: when `navigator` is missing (Node 20; Node 21+ has it) it builds a
// `new Response()`, which loads undici only to learn "no" — measured: +13 MB RSS, +2 MB of heap,
// ~40 ms of start-up. With a `navigator` present just while pg loads, pg reads its userAgent instead.
// Called at start-up, before anything else runs that could notice the short-lived global.
import type pg from 'pg';

export async function loadPg(): Promise<typeof pg> {
  if ('navigator' in globalThis) return (await import('pg')).default;
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true });
  try {
    return (await import('pg')).default;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}
