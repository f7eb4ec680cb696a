// Per-account sign-in back-off, on top of the per-address rate limit (which a botnet or a venue's
// shared address walks around). The key is the email as typed (trimmed, lower case), whether or not
// such an account exists, so the answers and their timing reveal nothing about accounts.
//
// Every attempt counts as a failure the moment it starts, in one transaction with the block check,
// so a burst of simultaneous guesses cannot all slip in before the first one is recorded; a
// successful sign-in then clears the count. The first FREE_FAILURES attempts in a row are free;
// each further one blocks the account for 1 s, 2 s, 4 s … up to MAX_BLOCK_MS. While blocked the
// answer is 429 with Retry-After and the password is not even checked; refused attempts do not
// count, so hammering a blocked account does not extend the block. After FORGET_AFTER_MS without
// attempts the count starts over.
//
// The cap is what a stranger who knows a facilitator's email can impose: at worst 15 minutes per
// failed guess once the count is high, with the facilitator's own live sessions unaffected. In
// exchange an attacker gets about 4 guesses an hour per account (≈ 100 a day) against a password of
// at least 10 characters.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { loginThrottle } from '../db/schema.ts';

export interface ThrottlePolicy {
  /** Failed attempts in a row that cost nothing. */
  freeFailures: number;
  /** Block after the first failure beyond the free ones; doubles with each further failure. */
  firstBlockMs: number;
  /** Longest block, however many failures. */
  maxBlockMs: number;
  /** Failures older than this (counted from the latest one) are forgotten. */
  forgetAfterMs: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  firstBlockMs: 1000,
  maxBlockMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
};

/** One account's row in login_throttle. */
export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

export type AttemptDecision =
  | { allowed: false; retryAfterMs: number }
  | { allowed: true; next: ThrottleState };

/** How long the account is blocked after its `failures`-th failure in a row (0 while free). */
export function blockDurationMs(failures: number, policy: ThrottlePolicy = LOGIN_THROTTLE): number {
  if (failures <= policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures - 1, 40);
  return Math.min(policy.maxBlockMs, policy.firstBlockMs * 2 ** doublings);
}

/**
 * An attempt at `now` on an account in `state` (null: no row): refused while blocked, otherwise
 * allowed and counted as the next failure (cleared again if the password turns out right).
 */
export function decideAttempt(state: ThrottleState | null, now: Date, policy: ThrottlePolicy = LOGIN_THROTTLE): AttemptDecision {
  const nowMs = now.getTime();
  if (state?.blockedUntil && state.blockedUntil.getTime() > nowMs) {
    return { allowed: false, retryAfterMs: state.blockedUntil.getTime() - nowMs };
  }
  const recent = state !== null && nowMs - state.lastFailureAt.getTime() < policy.forgetAfterMs;
  const failures = (recent ? state.failures : 0) + 1;
  const block = blockDurationMs(failures, policy);
  return { allowed: true, next: { failures, lastFailureAt: now, blockedUntil: block > 0 ? new Date(nowMs + block) : null } };
}

/** The throttle key for what was typed in the email field. */
export function throttleAccount(email: string): string {
  return email.trim().toLowerCase();
}

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Checks the block and counts the attempt, atomically (row lock). */
export async function beginLoginAttempt(db: Db, email: string, now = new Date(), policy: ThrottlePolicy = LOGIN_THROTTLE): Promise<AttemptResult> {
  const account = throttleAccount(email);
  return db.transaction(async (tx) => {
    await tx.insert(loginThrottle).values({ account, failures: 0, lastFailureAt: now }).onConflictDoNothing();
    const [row] = await tx
      .select({ failures: loginThrottle.failures, lastFailureAt: loginThrottle.lastFailureAt, blockedUntil: loginThrottle.blockedUntil })
      .from(loginThrottle)
      .where(eq(loginThrottle.account, account))
      .for('update');
    const decision = decideAttempt(row ?? null, now, policy);
    if (!decision.allowed) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
    await tx.update(loginThrottle).set(decision.next).where(eq(loginThrottle.account, account));
    return { allowed: true };
  });
}

/** A successful sign-in: the account starts over. */
export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.account, throttleAccount(email)));
}

/** Rows whose failures are forgotten anyway (every typed email gets one; sweep them). */
export async function deleteStaleLoginThrottles(db: Db, now = new Date(), policy: ThrottlePolicy = LOGIN_THROTTLE): Promise<void> {
  await db
    .delete(loginThrottle)
    .where(
      and(
        lt(loginThrottle.lastFailureAt, new Date(now.getTime() - policy.forgetAfterMs)),
        or(isNull(loginThrottle.blockedUntil), lt(loginThrottle.blockedUntil, now)),
      ),
    );
}

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  return (
    `このアカウントへのログイン試行が多すぎます。${retryAfterSeconds} 秒後にもう一度お試しください / ` +
    `Too many sign-in attempts for this account; try again in ${retryAfterSeconds} s`
  );
}
