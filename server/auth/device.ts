// A browser a participant joined from, remembered apart from the sign-in. A participant has no
// password: when their sign-in expires (30 days unused), the next session of a monthly series would
// see a new person, and the company's first person would wait for a facilitator. The device token
// names them again, for joining only: POST /api/join under the same name signs them in as
// themselves. Like sessions, only the token's SHA-256 is stored. Signing out forgets the device.
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { devices, users } from '../db/schema.ts';
import { generateSessionToken, sessionIdFromToken, type SessionUser } from './session.ts';

export const DEVICE_COOKIE = 'kizuki_device';
/** Long enough for a quarterly series; each join from the browser starts it again. */
export const DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000;
/** Sent with API requests only (joins read it, sign-outs clear it), never with pages or sockets. */
export const DEVICE_COOKIE_PATH = '/api';

const TOKEN_SHAPE = /^[a-z2-7]{20,64}$/;

/** The participant this browser's device token names, or null (unknown, expired, not a participant). */
export async function rememberedParticipant(db: Db, token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({ id: users.id, kind: users.kind, email: users.email, displayName: users.displayName })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(eq(devices.id, sessionIdFromToken(token)), gt(devices.expiresAt, now)));
  return row && row.kind === 'participant' ? row : null;
}

/**
 * Remembers this browser for the participant: the token it already holds for them gets a new
 * expiry; otherwise a new token (the one it held, for someone else, is forgotten).
 */
export async function rememberDevice(db: Db, userId: string, heldToken: string | undefined, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + DEVICE_TTL_MS);
  if (heldToken && TOKEN_SHAPE.test(heldToken)) {
    const kept = await db
      .update(devices)
      .set({ expiresAt })
      .where(and(eq(devices.id, sessionIdFromToken(heldToken)), eq(devices.userId, userId), gt(devices.expiresAt, now)))
      .returning({ id: devices.id });
    if (kept.length > 0) return { token: heldToken, expiresAt };
    await forgetDevice(db, heldToken);
  }
  const token = generateSessionToken();
  await db.insert(devices).values({ id: sessionIdFromToken(token), userId, expiresAt, createdAt: now });
  return { token, expiresAt };
}

export async function forgetDevice(db: Db, token: string | undefined): Promise<void> {
  if (token && TOKEN_SHAPE.test(token)) await db.delete(devices).where(eq(devices.id, sessionIdFromToken(token)));
}

export async function forgetUserDevices(db: Db, userId: string): Promise<void> {
  await db.delete(devices).where(eq(devices.userId, userId));
}

export async function deleteExpiredDevices(db: Db, now = new Date()): Promise<void> {
  await db.delete(devices).where(lt(devices.expiresAt, now));
}
