// A browser a participant joined from, remembered apart from the sign-in. A participant has no
// password: when their sign-in expires (30 days unused), the next session of a monthly series would
// see a new person, and the company's first person would wait for a facilitator. The device token
// is read by joins only: POST /api/join under the same name signs them in again as themselves (a
// new session, with everything that person may see). Each join from the browser moves its expiry
// on, never past a year from when it was first remembered. Like sessions, only the token's
// SHA-256 is stored. Signing out forgets the device.
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { devices, users } from '../db/schema.ts';
import { generateSessionToken, sessionIdFromToken, TOKEN_SHAPE, type SessionUser } from './session.ts';

export const DEVICE_COOKIE = 'kizuki_device';
const DAY = 24 * 60 * 60 * 1000;
/** Unused for this long, the browser is forgotten (a series meeting twice a year still carries). */
export const DEVICE_TTL_MS = 180 * DAY;
/** Never remembered longer than this from the first join, however often it is used. */
export const DEVICE_ABSOLUTE_MS = 365 * DAY;
/** Sent with API requests only (joins read it, sign-outs clear it), never with pages or sockets. */
export const DEVICE_COOKIE_PATH = '/api';

/** The participant this browser's device token names, or null (unknown, expired, not a participant). */
export async function rememberedParticipant(db: Db, token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({ id: users.id, kind: users.kind, email: users.email, displayName: users.displayName })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(eq(devices.id, sessionIdFromToken(token)), gt(devices.expiresAt, now), gt(devices.createdAt, new Date(now.getTime() - DEVICE_ABSOLUTE_MS))));
  return row && row.kind === 'participant' ? row : null;
}

/**
 * Remembers this browser for the participant: the token it already holds for them gets a new
 * expiry; otherwise a new token (the one it held, for someone else, is forgotten).
 */
export async function rememberDevice(db: Db, userId: string, heldToken: string | undefined, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + DEVICE_TTL_MS);
  if (heldToken && TOKEN_SHAPE.test(heldToken)) {
    const id = sessionIdFromToken(heldToken);
    const [held] = await db.select({ userId: devices.userId, expiresAt: devices.expiresAt, createdAt: devices.createdAt }).from(devices).where(eq(devices.id, id));
    if (held && held.userId === userId && held.expiresAt > now) {
      const cap = new Date(held.createdAt.getTime() + DEVICE_ABSOLUTE_MS);
      if (cap > now) {
        const until = expiresAt < cap ? expiresAt : cap;
        await db.update(devices).set({ expiresAt: until }).where(eq(devices.id, id));
        return { token: heldToken, expiresAt: until };
      }
    }
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
