// The multi-node rate-limit store when Redis does not answer: each attempt is decided within the
// deadline by this node's own count, which has kept counting all along, so the limit still holds
// (per node) instead of lapsing. Redis here is an address nobody listens on: ioredis holds the
// commands, as it does while a real Redis restarts.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { sharedRateLimitStore } from '../../../server/security/shared-rate-limit-store.ts';
import { freePort } from '../../helpers/cluster.ts';

type Counted = { current: number; ttl: number };
interface Store {
  incr(key: string, callback: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number): void;
}

const redis = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: null, retryStrategy: () => 200 });
redis.on('error', () => {});
afterAll(() => redis.disconnect());

const count = (store: Store, key: string) =>
  new Promise<{ error: Error | null; result?: Counted; ms: number }>((resolve) => {
    const started = Date.now();
    // The in-memory store hands back its own (later mutated) record: keep a copy.
    store.incr(key, (error, result) => resolve({ error, result: result && { ...result }, ms: Date.now() - started }), 60_000, 3);
  });

describe('sharedRateLimitStore without Redis', () => {
  it('answers each count within the deadline from the node’s own count', async () => {
    const Store = sharedRateLimitStore(redis, 'test:rate-limit:', 100);
    const store = new Store({} as RateLimitOptions) as unknown as Store;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await count(store, '203.0.113.7'));
    expect(results.map((r) => r.error)).toEqual([null, null, null, null]);
    expect(results.map((r) => r.result?.current)).toEqual([1, 2, 3, 4]);
    for (const r of results) {
      expect(r.ms).toBeLessThan(1000);
      expect(r.result!.ttl).toBeGreaterThan(0);
    }
    // Another address has a count of its own.
    expect((await count(store, '203.0.113.8')).result?.current).toBe(1);
  });
});
