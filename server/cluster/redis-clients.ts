// The Redis connections of one node: a publisher (also reads and writes keys), a subscriber, and a
// pair for socket.io's Redis adapter. ioredis reconnects by itself and resubscribes; commands
// issued while Redis is away wait for it (callers that must not wait use timeouts).
import type { Redis } from 'ioredis';

export interface RedisClients {
  pub: Redis;
  sub: Redis;
  adapterPub: Redis;
  adapterSub: Redis;
  quit(): Promise<void>;
}

export class RedisUnavailableError extends Error {}

export async function connectRedis(url: string, options: { connectTimeoutMs?: number } = {}): Promise<RedisClients> {
  // Loaded only in multi-node mode: a single node does not carry ioredis in memory.
  const { Redis } = await import('ioredis');
  const settings = {
    // Never fail a command because Redis restarts: wait for it (our callers time out themselves).
    maxRetriesPerRequest: null,
    // Back off up to 1 s between attempts: a restarted Redis is found again within a second.
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
    lazyConnect: true,
  };
  const pub = new Redis(url, settings);
  const sub = new Redis(url, settings);
  const adapterPub = new Redis(url, settings);
  const adapterSub = new Redis(url, settings);
  const all = [pub, sub, adapterPub, adapterSub];
  // Errors while reconnecting are expected during a Redis restart; ioredis keeps trying.
  for (const client of all) client.on('error', () => {});
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  try {
    await Promise.race([
      Promise.all(all.map((c) => c.connect())),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    for (const client of all) client.disconnect();
    const where = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new RedisUnavailableError(`Redis at ${where} cannot be reached (${(err as Error).message}). Start it, or unset REDIS_URL to run a single node.`);
  }
  return {
    pub,
    sub,
    adapterPub,
    adapterSub,
    async quit() {
      await Promise.allSettled(all.map((c) => c.quit()));
      for (const client of all) client.disconnect();
    },
  };
}
