// Lucia-style sessions: the client holds a random token, the database holds only its SHA-256.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { hash, randomBytes } from 'node:crypto';
import { eq, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { anyOf } from '../db/any-of.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_SLIDING_MS = 30 * DAY;
export const SESSION_ABSOLUTE_MS = 90 * DAY;
/** Renew the sliding expiry only when less than this remains, to avoid a write per request. */
const RENEW_WHEN_REMAINING_MS = 15 * DAY;

export interface SessionUser {
  id: string;
  kind: 'facilitator' | 'participant';
  email: string | null;
  displayName: string;
}

export interface ValidSession {
  sessionId: string;
  expiresAt: Date;
  user: SessionUser;
  /** True when the expiry moved, so the cookie should be re-sent. */
  renewed: boolean;
}

/** 192 random bits, base32 (39 characters). */
export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(24));
}

/** SHA-256 of the token, hex (Node's native one-shot hash: every connection of a reconnect storm pays it). */
export function sessionIdFromToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export async function createSession(db: Db, userId: string, now = new Date()) {
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_SLIDING_MS);
  await db.insert(sessions).values({
    id: sessionIdFromToken(token),
    userId,
    expiresAt,
    absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    createdAt: now,
  });
  return { token, expiresAt };
}

/** What a session (or device) token looks like: base32, as generateSessionToken makes them. */
export const TOKEN_SHAPE = /^[a-z2-7]{20,64}$/;

export async function validateSessionToken(db: Db, token: string, now = new Date()): Promise<ValidSession | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const sessionId = sessionIdFromToken(token);
  const rows = await db
    .select({
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      user: { id: users.id, kind: users.kind, email: users.email, displayName: users.displayName },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  return checkSession(db, sessionId, rows[0], now);
}

export interface SessionRow {
  expiresAt: Date;
  absoluteExpiresAt: Date;
  user: SessionUser;
}

/** Loads many sessions (with their users) in one prepared query: for connections arriving together. */
export function sessionRowsLoader(db: Db): (sessionIds: string[]) => Promise<Map<string, SessionRow>> {
  const query = db
    .select({
      id: sessions.id,
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      user: { id: users.id, kind: users.kind, email: users.email, displayName: users.displayName },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(anyOf(sessions.id, 'ids'))
    .prepare('kizuki_session_rows');
  return async (ids) => {
    const rows = await query.execute({ ids });
    return new Map(rows.map(({ id, ...row }) => [id, row]));
  };
}

/** Expiry checks of a found session row: deletes an expired one, renews the sliding expiry when due. */
export async function checkSession(db: Db, sessionId: string, row: SessionRow | undefined, now = new Date()): Promise<ValidSession | null> {
  if (!row) return null;
  const nowMs = now.getTime();
  if (nowMs >= row.expiresAt.getTime() || nowMs >= row.absoluteExpiresAt.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - nowMs < RENEW_WHEN_REMAINING_MS) {
    expiresAt = new Date(Math.min(nowMs + SESSION_SLIDING_MS, row.absoluteExpiresAt.getTime()));
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
    renewed = true;
  }
  return { sessionId, expiresAt, user: row.user, renewed };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Every sign-in of this user ("sign out everywhere"). */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<void> {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)));
}
