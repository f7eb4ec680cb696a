// First-run setup, login (limited per address and, with back-off, per account), logout (this
// session, or everywhere), current user (or none), and facilitators creating facilitators.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { ErrorResponse, Login, NewFacilitator, SessionState, SetupStatus, User } from '../../shared/schemas/api.ts';
import { accountCount, createFacilitator, findAccountByEmail, insertFacilitator, prepareFacilitator, publicUser } from '../domain/users.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { beginLoginAttempt, clearLoginFailures, tooManyAttemptsMessage } from '../auth/login-throttle.ts';
import { conflict, HttpError } from '../errors.ts';
import { requireFacilitatorAccount, requireUser } from '../plugins/auth.ts';

export interface AuthRouteOptions {
  /** Attempts per minute per client address for login and setup. */
  loginPerMinute: number;
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('not-a-real-password-0123456789'));

const SETUP_DONE = '初期設定は完了しています。ログインしてください / Setup is already done; please sign in';
/** Key of the advisory lock serialising first-run setup (any constant bigint unique to this use). */
const SETUP_LOCK_KEY = 4_242_001;


const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse };

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, { loginPerMinute }) => {
  const limited = { rateLimit: { max: loginPerMinute, timeWindow: '1 minute' } };

  app.get('/api/setup', { schema: { response: { 200: SetupStatus } } }, async () => ({
    needed: (await accountCount(app.db)) === 0,
  }));

  app.post(
    '/api/setup',
    { config: limited, schema: { body: NewFacilitator, response: { 201: User, ...errors } } },
    async (request, reply) => {
      if ((await accountCount(app.db)) > 0) throw conflict(SETUP_DONE);
      // Hash first (slow), then check-and-insert under a transaction-scoped advisory lock, so two
      // simultaneous setups cannot both see "no account yet": the second one gets the 409.
      const prepared = await prepareFacilitator(request.body);
      const user = await app.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(SETUP_LOCK_KEY))})`);
        if ((await accountCount(tx)) > 0) throw conflict(SETUP_DONE);
        return insertFacilitator(tx, prepared);
      });
      await app.startSession(reply, user.id, request.sessionId);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/api/auth/login',
    { config: limited, schema: { body: Login, response: { 200: User, ...errors } } },
    async (request, reply) => {
      // Counted before the password is checked; while the account is blocked it is not checked at all.
      const attempt = await beginLoginAttempt(app.db, request.body.email);
      if (!attempt.allowed) {
        reply.header('retry-after', String(attempt.retryAfterSeconds));
        throw new HttpError(429, tooManyAttemptsMessage(attempt.retryAfterSeconds));
      }
      const account = await findAccountByEmail(app.db, request.body.email);
      // An unknown email still costs one argon2 verification, so timing does not reveal accounts.
      const ok = await verifyPassword(account?.passwordHash ?? (await dummyHash()), request.body.password);
      if (!account?.passwordHash || !ok) {
        throw new HttpError(401, 'メールアドレスまたはパスワードが違います / Wrong email or password');
      }
      await clearLoginFailures(app.db, request.body.email);
      await app.startSession(reply, account.id, request.sessionId);
      return publicUser({ id: account.id, kind: account.kind, email: account.email, displayName: account.displayName });
    },
  );

  // This browser only: the user's other sessions (other devices) stay signed in.
  app.post('/api/auth/logout', { schema: { response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await app.endSession(request, reply);
    return reply.code(204).send(null);
  });

  // Every session of the signed-in user, and all their live connections (a lost phone, a shared PC).
  app.post('/api/auth/logout-everywhere', { schema: { response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    requireUser(request);
    await app.endSession(request, reply, { everywhere: true });
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', { schema: { response: { 200: User, ...errors } } }, async (request) =>
    publicUser(requireUser(request)),
  );

  // For the web client's "who is signed in?": nobody is an answer (200, user null), not a failed
  // request, so an anonymous page load logs no error. /api/auth/me keeps its 401 for API users.
  app.get('/api/auth/session', { schema: { response: { 200: SessionState, ...errors } } }, async (request) => ({
    user: request.user ? publicUser(request.user) : null,
  }));

  app.post(
    '/api/facilitators',
    { schema: { body: NewFacilitator, response: { 201: User, ...errors } } },
    async (request, reply) => {
      requireFacilitatorAccount(request);
      return reply.code(201).send(await createFacilitator(app.db, request.body));
    },
  );
};
