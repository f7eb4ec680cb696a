// Facilitator accounts and participant users.
import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { hashPassword } from '../auth/password.ts';
import type { SessionUser } from '../auth/session.ts';
import { conflict } from '../errors.ts';

export async function accountCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.kind, 'facilitator'));
  return row?.n ?? 0;
}

export async function createFacilitator(
  db: Db,
  input: { email: string; password: string; displayName: string },
): Promise<SessionUser> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (existing) throw conflict('このメールアドレスは既に登録されています / This email is already registered');
  const user = {
    id: randomUUID(),
    kind: 'facilitator' as const,
    email,
    passwordHash: await hashPassword(input.password),
    displayName: input.displayName.trim(),
  };
  await db.insert(users).values(user);
  return { id: user.id, kind: user.kind, email, displayName: user.displayName };
}

export async function findAccountByEmail(db: Db, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row ?? null;
}

export async function createParticipant(db: Db, displayName: string): Promise<SessionUser> {
  const user = { id: randomUUID(), kind: 'participant' as const, email: null, displayName: displayName.trim() };
  await db.insert(users).values(user);
  return user;
}

export function publicUser(user: SessionUser): SessionUser {
  return { id: user.id, kind: user.kind, email: user.email, displayName: user.displayName };
}
