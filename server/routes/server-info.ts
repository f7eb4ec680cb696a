// What the event page needs to hand out links phones can open: the origin for invite links and QR
// codes (PUBLIC_ORIGIN, or the LAN address when listening on all interfaces), or, when the server
// listens on loopback only, that phones cannot reach it yet (the page says how to change that).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import os from 'node:os';
import { ErrorResponse } from '../../shared/schemas/api.ts';
import { requireFacilitatorAccount } from '../plugins/auth.ts';
import { shareInfo } from '../net/share-origin.ts';

const ServerInfo = Type.Object({
  shareOrigin: Type.Union([Type.String(), Type.Null()]),
  loopbackOnly: Type.Boolean(),
});

export const serverInfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/server-info', { schema: { response: { 200: ServerInfo, 401: ErrorResponse, 403: ErrorResponse } } }, async (request) => {
    requireFacilitatorAccount(request);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : app.config.port;
    return shareInfo({ host: app.config.host, port, publicOrigin: app.config.publicOrigin, interfaces: os.networkInterfaces() });
  });
};
