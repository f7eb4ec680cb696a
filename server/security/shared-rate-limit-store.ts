// With several nodes (REDIS_URL), the per-address limits on sign-in, setup and join are counted in
// Redis, by @fastify/rate-limit's own Redis store: a client whose attempts the load balancer
// spreads over N nodes gets the limit once, not N times.
//
// Every count has a deadline. ioredis holds commands while Redis is away (server/cluster/
// redis-clients.ts), and a sign-in must not hang on a Redis restart: past the deadline the store
// reports an error and the request goes through uncounted (the plugin's skipOnError). The
// per-account sign-in throttle lives in PostgreSQL and still applies (server/auth/login-throttle.ts).
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
// @ts-expect-error the package's Redis store has no type declarations of its own
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
/** What @fastify/rate-limit calls on a store (its declared interface omits the window and max it passes). */
interface CountingStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): CountingStore;
}

/** How long a count may wait for Redis before the request goes through uncounted. */
export const SHARED_COUNT_DEADLINE_MS = 250;

class RedisDidNotAnswer extends Error {}

class DeadlineStore implements CountingStore {
  constructor(
    private readonly inner: CountingStore,
    private readonly deadlineMs: number,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(new RedisDidNotAnswer(`Redis did not count the attempt within ${this.deadlineMs} ms`));
    }, this.deadlineMs);
    this.inner.incr(
      key,
      (error, result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(error, result);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: unknown): CountingStore {
    return new DeadlineStore(this.inner.child(routeOptions), this.deadlineMs);
  }
}

/** The `store` option for @fastify/rate-limit: counts in Redis under `nameSpace`, each within `deadlineMs`. */
export function sharedRateLimitStore(redis: Redis, nameSpace: string, deadlineMs = SHARED_COUNT_DEADLINE_MS): FastifyRateLimitStoreCtor {
  return class {
    constructor(params: RateLimitOptions) {
      const inner = new RedisStore(params.continueExceeding, params.exponentialBackoff, redis, nameSpace) as CountingStore;
      return new DeadlineStore(inner, deadlineMs) as unknown as FastifyRateLimitStore;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
