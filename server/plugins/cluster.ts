// Multi-node operation (REDIS_URL): the node's Redis connections and identity. The Yjs relay is
// wired in plugins/yjs-sync.ts, socket.io's Redis adapter in plugins/control.ts, the domain-event
// relay in plugins/domain.ts; without REDIS_URL `app.cluster` is null and one node serves alone.
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import { connectRedis, type RedisClients } from '../cluster/redis-clients.ts';

export interface ClusterContext {
  nodeId: string;
  /** Prefix of this deployment's Redis keys and channels (REDIS_PREFIX). */
  prefix: string;
  redis: RedisClients;
}

export default fp(
  async (app) => {
    const url = app.config.redisUrl;
    if (!url) {
      app.decorate('cluster', null);
      return;
    }
    const redis = await connectRedis(url);
    const nodeId = randomUUID().slice(0, 8);
    app.decorate('cluster', { nodeId, prefix: app.config.redisPrefix, redis });
    app.log.info({ nodeId }, 'multi-node mode: relaying documents and events through Redis');
    // Registered first, so closed last: documents are saved and relayed before Redis goes.
    app.addHook('onClose', async () => redis.quit());
  },
  { name: 'cluster', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Redis connections and this node's id in multi-node mode; null for a single node. */
    cluster: ClusterContext | null;
  }
}
