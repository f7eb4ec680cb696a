// Facilitator accounts and participant users.
import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { hashPassword } from '../auth/password.ts';
import type { SessionUser } from '../auth/session.ts';
import { conflict, invalidField } from '../errors.ts';
import { passwordProblem } from '../../shared/auth/password-rules.ts';

export async function accountCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.kind, 'facilitator'));
  return row?.n ?? 0;
}

export interface PreparedFacilitator {
  email: string;
  passwordHash: string;
  displayName: string;
}

/**
 * A 400 (field "password") for a password that is only whitespace, of too few different characters
 * or a common one (shared/auth/password-rules.ts); its length the request schema has checked.
 */
export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw invalidField('password', problem.rule, problem.message, problem.limit);
}

/**
 * Checks the password (assertAcceptablePassword), normalises the input and hashes the password:
 * the slow part, kept out of any transaction. Every facilitator account is made through here.
 */
export async function prepareFacilitator(input: { email: string; password: string; displayName: string }): Promise<PreparedFacilitator> {
  assertAcceptablePassword(input.password);
  return { email: input.email.trim().toLowerCase(), passwordHash: await hashPassword(input.password), displayName: input.displayName.trim() };
}

const EMAIL_TAKEN = 'このメールアドレスは既に登録されています / This email is already registered';

/** Inserts a prepared facilitator; 409 when the email is taken (also when a concurrent insert wins). */
export async function insertFacilitator(db: Db, prepared: PreparedFacilitator): Promise<SessionUser> {
  const { email, passwordHash, displayName } = prepared;
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (existing) throw conflict(EMAIL_TAKEN);
  const user = { id: randomUUID(), kind: 'facilitator' as const, email, passwordHash, displayName };
  try {
    await db.insert(users).values(user);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(EMAIL_TAKEN);
    throw err;
  }
  return { id: user.id, kind: user.kind, email, displayName };
}

export async function createFacilitator(
  db: Db,
  input: { email: string; password: string; displayName: string },
): Promise<SessionUser> {
  return insertFacilitator(db, await prepareFacilitator(input));
}

/** A unique index refused the row (SQLSTATE 23505), whether drizzle wrapped the driver's error or not. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
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
