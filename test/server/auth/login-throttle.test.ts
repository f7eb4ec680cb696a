// Per-account sign-in back-off: the arithmetic (pure functions), and a real server where guesses
// spread over several addresses (which the per-address limit alone lets through) are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { FACILITATOR } from '../../helpers/fixtures.ts';
import { loginThrottle } from '../../../server/db/schema.ts';
import { blockDurationMs, decideAttempt, deleteStaleLoginThrottles, LOGIN_THROTTLE, type ThrottleState } from '../../../server/auth/login-throttle.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('back-off arithmetic', () => {
  it('the numbers: 5 free failures, then 1 s doubling up to 15 min, forgotten after an hour', () => {
    expect(LOGIN_THROTTLE).toEqual({ freeFailures: 5, firstBlockMs: SECOND, maxBlockMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE });
  });

  it('blockDurationMs: nothing while free, then 1 s, 2 s, 4 s … capped', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => blockDurationMs(n))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10].map((n) => blockDurationMs(n))).toEqual([1, 2, 4, 8, 16].map((s) => s * SECOND));
    expect(blockDurationMs(15)).toBe(512 * SECOND);
    expect(blockDurationMs(16)).toBe(15 * MINUTE);
    expect(blockDurationMs(1_000_000)).toBe(15 * MINUTE);
  });

  it('decideAttempt: counts each allowed attempt, refuses while blocked without counting', () => {
    const t0 = new Date('2026-05-01T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    let state: ThrottleState | null = null;
    for (let i = 1; i <= 5; i++) {
      const d = decideAttempt(state, at(i));
      expect(d).toEqual({ allowed: true, next: { failures: i, lastFailureAt: at(i), blockedUntil: null } });
      state = d.allowed ? d.next : state;
    }
    const sixth = decideAttempt(state, at(10));
    expect(sixth).toEqual({ allowed: true, next: { failures: 6, lastFailureAt: at(10), blockedUntil: at(10 + SECOND) } });
    state = sixth.allowed ? sixth.next : state;
    expect(decideAttempt(state, at(10 + 400))).toEqual({ allowed: false, retryAfterMs: 600 });
    // The block ends on time; the next failure doubles it.
    const seventh = decideAttempt(state, at(10 + SECOND));
    expect(seventh).toEqual({ allowed: true, next: { failures: 7, lastFailureAt: at(10 + SECOND), blockedUntil: at(10 + 3 * SECOND) } });
  });

  it('decideAttempt: failures an hour old are forgotten', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const old: ThrottleState = { failures: 30, lastFailureAt: new Date(now.getTime() - 60 * MINUTE), blockedUntil: new Date(now.getTime() - 45 * MINUTE) };
    expect(decideAttempt(old, now)).toEqual({ allowed: true, next: { failures: 1, lastFailureAt: now, blockedUntil: null } });
    const recent = { ...old, lastFailureAt: new Date(now.getTime() - 59 * MINUTE) };
    expect(decideAttempt(recent, now)).toEqual({ allowed: true, next: { failures: 31, lastFailureAt: now, blockedUntil: new Date(now.getTime() + 15 * MINUTE) } });
  });
});

describe('per-account limit on a real server (behind a proxy: PUBLIC_ORIGIN and TRUST_PROXY=1)', () => {
  const PUBLIC_ORIGIN = 'https://kizuki.example.jp';
  let testDb: TestDatabase;
  let server: TestServer;
  let nextAddress = 1;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    // The per-address limit as in production: 10 a minute.
    server = await startTestServer(testDb.database, { env: { PUBLIC_ORIGIN, TRUST_PROXY: '1' }, rateLimits: { loginPerMinute: 10, joinPerMinute: 10 } });
    const setup = await new ApiClient(server.origin, { origin: PUBLIC_ORIGIN }).post('/api/setup', FACILITATOR);
    expect(setup.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  /** A login attempt as relayed by the proxy for client `address` (a fresh one unless given). */
  async function login(email: string, password: string, address = `198.51.100.${nextAddress++}`) {
    const res = await fetch(`${server.origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin: PUBLIC_ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email, password }),
    });
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after'), setCookie: res.headers.getSetCookie() };
  }

  const throttleRow = async (account: string) => (await server.app.db.select().from(loginThrottle).where(eq(loginThrottle.account, account)))[0];

  it('40 wrong guesses for one account from 4 addresses: refused with 429 after the 6th', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await login(FACILITATOR.email, `guess number ${i}`, `203.0.113.${(i % 4) + 1}`)).status);
    // Each address stayed within its own 10 a minute: only the per-account limit refuses them.
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(32);
  });

  it('while blocked even the right password gets 429 with Retry-After and a message, and no session', async () => {
    // Still blocked after those guesses; made a long block so a slow machine cannot outlast it.
    expect((await throttleRow(FACILITATOR.email))!.failures).toBeGreaterThanOrEqual(6);
    await server.app.db.update(loginThrottle).set({ blockedUntil: new Date(Date.now() + 60 * SECOND) }).where(eq(loginThrottle.account, FACILITATOR.email));
    const res = await login(FACILITATOR.email.toUpperCase(), FACILITATOR.password);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/ログイン試行が多すぎます.*\/ Too many sign-in attempts for this account; try again in \d+ s/) });
    expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(res.body.message).toContain(`${res.retryAfter} s`);
    expect(res.setCookie.filter((c) => c.startsWith('kizuki_session=') && !/Expires=Thu, 01 Jan 1970/i.test(c))).toEqual([]);
  });

  it('an email without an account is throttled the same way (no account enumeration)', async () => {
    const statuses: number[] = [];
    const bodies: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await login('nobody@example.jp', `guess ${i}`);
      statuses.push(res.status);
      bodies.push(res.body.message);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const known = await login(FACILITATOR.email, 'another guess');
    expect(known.status).toBe(429);
    expect(bodies[7]!.replace(/\d+/g, 'N')).toBe(known.body.message.replace(/\d+/g, 'N'));
    expect(await throttleRow('nobody@example.jp')).toMatchObject({ failures: 6 });
  });

  it('once the block has passed, the right password signs in and resets the count', async () => {
    await server.app.db.update(loginThrottle).set({ blockedUntil: new Date(Date.now() - 1) }).where(eq(loginThrottle.account, FACILITATOR.email));
    const res = await login(FACILITATOR.email, FACILITATOR.password);
    expect(res.status).toBe(200);
    expect(await throttleRow(FACILITATOR.email)).toBeUndefined();
    // A typo afterwards is just a typo again.
    expect((await login(FACILITATOR.email, 'one typo')).status).toBe(401);
    expect(await throttleRow(FACILITATOR.email)).toMatchObject({ failures: 1, blockedUntil: null });
    expect((await login(FACILITATOR.email, FACILITATOR.password)).status).toBe(200);
  });

  it('failures from more than an hour ago are forgotten', async () => {
    const email = 'decay@example.jp';
    for (let i = 0; i < 6; i++) await login(email, `guess ${i}`);
    expect((await login(email, 'again')).status).toBe(429);
    const hourAgo = new Date(Date.now() - 61 * MINUTE);
    await server.app.db.update(loginThrottle).set({ lastFailureAt: hourAgo, blockedUntil: hourAgo }).where(eq(loginThrottle.account, email));
    expect((await login(email, 'much later')).status).toBe(401);
    expect(await throttleRow(email)).toMatchObject({ failures: 1, blockedUntil: null });
  });

  it('the hourly sweep deletes rows whose failures are forgotten and keeps the others', async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    await server.app.db.insert(loginThrottle).values([
      { account: 'sweep-old@example.jp', failures: 3, lastFailureAt: ago(61 * MINUTE), blockedUntil: null },
      { account: 'sweep-old-blocked@example.jp', failures: 20, lastFailureAt: ago(61 * MINUTE), blockedUntil: ago(46 * MINUTE) },
      { account: 'sweep-recent@example.jp', failures: 3, lastFailureAt: ago(59 * MINUTE), blockedUntil: null },
    ]);
    await deleteStaleLoginThrottles(server.app.db, now);
    expect(await throttleRow('sweep-old@example.jp')).toBeUndefined();
    expect(await throttleRow('sweep-old-blocked@example.jp')).toBeUndefined();
    expect(await throttleRow('sweep-recent@example.jp')).toMatchObject({ failures: 3 });
  });

  it('20 simultaneous guesses from 20 addresses: only the free ones and one more are checked', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login('burst@example.jp', `parallel guess ${i}`)));
    const statuses = results.map((r) => r.status);
    // 6 (7 if the whole burst took longer than the first 1 s block)
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(6);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(7);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
  });
});
