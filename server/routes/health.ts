import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({ status: Type.String(), db: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      await app.database.ping();
      return { status: 'ok', db: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', db: 'unreachable' });
    }
  });
};
