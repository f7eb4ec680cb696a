import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.String(),
  db: Type.String(),
  /** Stored Yjs rows that could not be applied and were set aside (yjs_quarantine). */
  quarantinedYjsRows: Type.Optional(Type.Integer()),
  /** Multi-node mode: this node, and its relay's counters. */
  cluster: Type.Optional(
    Type.Object({
      nodeId: Type.String(),
      /** Other nodes' edits held here until their author says they are saved. */
      heldForOthers: Type.Integer(),
      /** Edits of nodes that died before saving them, stored by this node. */
      takenOver: Type.Integer(),
      /** Times this node asked the others to resync after Redis came back. */
      resyncs: Type.Integer(),
    }),
  ),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      await app.database.ping();
      const relay = app.docRelay;
      const cluster = relay
        ? { nodeId: relay.nodeId, heldForOthers: relay.backupCount, takenOver: relay.stats.takenOver, resyncs: relay.stats.resyncs }
        : undefined;
      return { status: 'ok', db: 'ok', quarantinedYjsRows: await app.docs.quarantinedCount(), cluster };
    } catch {
      return reply.code(503).send({ status: 'unavailable', db: 'unreachable' });
    }
  });
};
