// With several nodes (REDIS_URL), the per-address limits on sign-in, setup and join are counted in
// Redis, by @fastify/rate-limit's own Redis store: a client whose attempts the load balancer
// spreads over N nodes gets the limit once, not N times.
//
// Every count has a deadline. ioredis holds commands while Redis is away (server/cluster/
// redis-clients.ts), and a sign-in must not hang on a Redis restart: past the deadline, or when
// Redis answers with an error, the count this node keeps of its own attempts decides instead (the
// library's in-memory store, fed on every attempt so it is current when needed). While Redis is
// slow or away an address therefore gets the limit once per node rather than no limit at all. The
// per-account sign-in throttle lives in PostgreSQL and always applies (server/auth/login-throttle.ts).
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
// @ts-expect-error the package's Redis store has no type declarations of its own
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
// @ts-expect-error the package's in-memory store has no type declarations of its own
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
/** What @fastify/rate-limit calls on a store (its declared interface omits the window and max it passes). */
interface CountingStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): CountingStore;
}

/** How long a count may wait for Redis before this node's own count decides. */
export const SHARED_COUNT_DEADLINE_MS = 250;

class SharedCountWithLocalFallback implements CountingStore {
  constructor(
    private readonly shared: CountingStore,
    private readonly local: CountingStore,
    private readonly deadlineMs: number,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    let local: { error: Error | null; result?: Counted } | undefined;
    this.local.incr(key, (error, result) => (local = { error, result }), timeWindow, max);
    let settled = false;
    const useLocal = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (local) callback(local.error, local.result);
      else callback(new Error('neither Redis nor the local store counted the attempt'));
    };
    const timer = setTimeout(useLocal, this.deadlineMs);
    this.shared.incr(
      key,
      (error, result) => {
        if (error) return useLocal();
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(null, result);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: unknown): CountingStore {
    return new SharedCountWithLocalFallback(this.shared.child(routeOptions), this.local.child(routeOptions), this.deadlineMs);
  }
}

/**
 * The `store` option for @fastify/rate-limit: counts in Redis under `nameSpace`, each within
 * `deadlineMs`, else in this node's memory.
 */
export function sharedRateLimitStore(redis: Redis, nameSpace: string, deadlineMs = SHARED_COUNT_DEADLINE_MS): FastifyRateLimitStoreCtor {
  return class {
    constructor(params: RateLimitOptions) {
      const shared = new RedisStore(params.continueExceeding, params.exponentialBackoff, redis, nameSpace) as CountingStore;
      const local = new LocalStore(params.continueExceeding, params.exponentialBackoff) as CountingStore;
      return new SharedCountWithLocalFallback(shared, local, deadlineMs) as unknown as FastifyRateLimitStore;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
