// Resolves the session cookie on every request into request.user, and renews sliding expiry.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionCookieAttributes } from '../auth/cookies.ts';
import {
  createSession,
  deleteExpiredSessions,
  invalidateSession,
  invalidateUserSessions,
  validateSessionToken,
  type SessionUser,
} from '../auth/session.ts';
import { deleteStaleLoginThrottles } from '../auth/login-throttle.ts';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_PATH,
  deleteExpiredDevices,
  forgetDevice,
  forgetUserDevices,
  rememberDevice,
  rememberedParticipant,
} from '../auth/device.ts';
import { forbidden, HttpError, unauthorized } from '../errors.ts';
import type { Db } from '../db/client.ts';

export default fp(
  async (app) => {
    const secure = app.config.publicOrigin?.startsWith('https:') ?? false;
    // Sessions nobody presents again, and sign-in throttles whose failures are forgotten, would
    // pile up; sweep them hourly.
    const sweep = setInterval(() => {
      deleteExpiredSessions(app.db).catch((err) => app.log.warn({ err }, 'could not delete expired sessions'));
      deleteStaleLoginThrottles(app.db).catch((err) => app.log.warn({ err }, 'could not delete stale login throttles'));
      deleteExpiredDevices(app.db).catch((err) => app.log.warn({ err }, 'could not delete expired devices'));
    }, 60 * 60 * 1000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    app.decorateRequest('user', null);
    app.decorateRequest('sessionId', null);

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      // /healthz answers for the database itself, whoever asks; socket.io checks the session once,
      // at its handshake, not on every long-polling request (whose reply it writes itself).
      if (!token || request.routeOptions.url === '/healthz' || request.routeOptions.url === '/socket.io/') return;
      let session: Awaited<ReturnType<typeof validateSessionToken>>;
      try {
        session = await validateSessionToken(app.db, token);
      } catch (err) {
        // The database is down: say so (503, retry later) rather than 500 or "signed out"; the
        // failed query (SQL, the session hash) goes to the log only.
        request.log.error({ err }, 'could not check the session: database unavailable');
        reply.header('retry-after', '5');
        throw new HttpError(503, DATABASE_UNAVAILABLE);
      }
      if (!session) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.user = session.user;
      request.sessionId = session.sessionId;
      if (session.renewed) reply.setCookie(SESSION_COOKIE, token, sessionCookieAttributes(session.expiresAt, { secure }));
    });

    /** Closes the live documents and control-plane sockets of one sign-in, or of all a user's, on every node. */
    function closeLiveConnections(filter: { sessionId: string } | { userId: string }): Promise<void> {
      return app.domain.publish({ type: 'signed-out', filter });
    }

    app.decorate('prepareSession', async (reply: FastifyReply, userId: string, previousSessionId: string | null, db: Db = app.db) => {
      // A fresh token on every login/join: a token planted before sign-in is worthless after it,
      // and so are the connections opened with it.
      if (previousSessionId) await invalidateSession(db, previousSessionId);
      const { token, expiresAt } = await createSession(db, userId);
      return async () => {
        reply.setCookie(SESSION_COOKIE, token, sessionCookieAttributes(expiresAt, { secure }));
        if (previousSessionId) await closeLiveConnections({ sessionId: previousSessionId });
      };
    });

    app.decorate('startSession', async (reply: FastifyReply, userId: string, previousSessionId: string | null) => {
      const finish = await app.prepareSession(reply, userId, previousSessionId);
      await finish();
    });

    app.decorate('rememberedParticipant', (request: FastifyRequest) =>
      request.user ? Promise.resolve(null) : rememberedParticipant(app.db, request.cookies[DEVICE_COOKIE]),
    );

    app.decorate('rememberBrowser', async (request: FastifyRequest, reply: FastifyReply, userId: string) => {
      // A convenience for next time: the join it follows stands if it fails.
      try {
        const { token, expiresAt } = await rememberDevice(app.db, userId, request.cookies[DEVICE_COOKIE]);
        reply.setCookie(DEVICE_COOKIE, token, { ...sessionCookieAttributes(expiresAt, { secure }), path: DEVICE_COOKIE_PATH });
      } catch (err) {
        request.log.warn({ err }, 'could not remember the browser');
      }
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply, options: { everywhere?: boolean } = {}) => {
      const { user, sessionId } = request;
      if (options.everywhere && user) await invalidateUserSessions(app.db, user.id);
      else if (sessionId) await invalidateSession(app.db, sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      // Signed out: this browser no longer names the person at the next join (everywhere: no browser does).
      if (options.everywhere && user) await forgetUserDevices(app.db, user.id);
      else await forgetDevice(app.db, request.cookies[DEVICE_COOKIE]);
      if (request.cookies[DEVICE_COOKIE] !== undefined) reply.clearCookie(DEVICE_COOKIE, { path: DEVICE_COOKIE_PATH });
      // This sign-in's live documents and control-plane sockets end with it (all of the user's,
      // everywhere); the user's other browsers and devices keep theirs on a plain sign-out.
      if (options.everywhere && user) await closeLiveConnections({ userId: user.id });
      else if (sessionId) await closeLiveConnections({ sessionId });
    });
  },
  { name: 'auth', dependencies: ['database', 'security'] },
);

const DATABASE_UNAVAILABLE =
  'データベースに接続できません。しばらくしてからもう一度お試しください / The database is unavailable; please try again shortly';

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
    /** Signs the user in on this browser, ending the browser's previous sign-in. */
    startSession(reply: FastifyReply, userId: string, previousSessionId: string | null): Promise<void>;
    /**
     * startSession's database writes, made with `db` (a transaction's); resolves to what finishes
     * it once they are committed: the cookie, and closing the previous sign-in's live connections.
     */
    prepareSession(reply: FastifyReply, userId: string, previousSessionId: string | null, db?: Db): Promise<() => Promise<void>>;
    /**
     * With no sign-in: the participant this browser joined as before (its device cookie), whose
     * sign-in has expired; null otherwise. Joining under that name signs them in as themselves.
     */
    rememberedParticipant(request: FastifyRequest): Promise<SessionUser | null>;
    /** Remembers this browser for the participant who just joined from it (the device cookie). */
    rememberBrowser(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void>;
    /** Signs out this session (and closes its live connections), or with everywhere all of the user's. */
    endSession(request: FastifyRequest, reply: FastifyReply, options?: { everywhere?: boolean }): Promise<void>;
  }
}
