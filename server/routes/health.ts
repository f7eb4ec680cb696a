import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.String(),
  db: Type.String(),
  /** Stored Yjs rows that could not be applied and were set aside (yjs_quarantine). */
  quarantinedYjsRows: Type.Optional(Type.Integer()),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      await app.database.ping();
      return { status: 'ok', db: 'ok', quarantinedYjsRows: await app.docs.quarantinedCount() };
    } catch {
      return reply.code(503).send({ status: 'unavailable', db: 'unreachable' });
    }
  });
};
