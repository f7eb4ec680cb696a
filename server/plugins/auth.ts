// Resolves the session cookie on every request into request.user, and renews sliding expiry.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionCookieAttributes } from '../auth/cookies.ts';
import { createSession, deleteExpiredSessions, invalidateSession, validateSessionToken, type SessionUser } from '../auth/session.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { CloseCode } from '../../shared/protocol/close-codes.ts';

export default fp(
  async (app) => {
    const secure = app.config.publicOrigin?.startsWith('https:') ?? false;
    // Sessions nobody presents again would pile up; sweep them hourly.
    const sweep = setInterval(() => {
      deleteExpiredSessions(app.db).catch((err) => app.log.warn({ err }, 'could not delete expired sessions'));
    }, 60 * 60 * 1000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    app.decorateRequest('user', null);
    app.decorateRequest('sessionId', null);

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const session = await validateSessionToken(app.db, token);
      if (!session) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.user = session.user;
      request.sessionId = session.sessionId;
      if (session.renewed) reply.setCookie(SESSION_COOKIE, token, sessionCookieAttributes(session.expiresAt, { secure }));
    });

    app.decorate('startSession', async (reply: FastifyReply, userId: string, previousSessionId: string | null) => {
      // A fresh token on every login/join: a token planted before sign-in is worthless after it.
      if (previousSessionId) await invalidateSession(app.db, previousSessionId);
      const { token, expiresAt } = await createSession(app.db, userId);
      reply.setCookie(SESSION_COOKIE, token, sessionCookieAttributes(expiresAt, { secure }));
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.sessionId) await invalidateSession(app.db, request.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // Signed out means signed out everywhere this user is live: documents and control plane.
      if (request.user) {
        const userId = request.user.id;
        app.liveDocs.disconnect({ userId }, CloseCode.SignedOut);
        for (const socket of app.io.of('/').sockets.values()) {
          if ((socket.data as { user?: SessionUser }).user?.id === userId) socket.disconnect(true);
        }
      }
    });
  },
  { name: 'auth', dependencies: ['database', 'security'] },
);

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export function requireFacilitatorAccount(request: FastifyRequest): SessionUser {
  const user = requireUser(request);
  if (user.kind !== 'facilitator') throw forbidden('ファシリテーターのみ可能です / Facilitators only');
  return user;
}

declare module 'fastify' {
  interface FastifyInstance {
    startSession(reply: FastifyReply, userId: string, previousSessionId: string | null): Promise<void>;
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}
