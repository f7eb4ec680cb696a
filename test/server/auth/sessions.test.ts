// Sessions and passwords as stored: only SHA-256 hashes of tokens in the database, expiry (sliding
// and absolute) enforced, a fresh token on every sign-in, the cookie's attributes, argon2id hashes.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, FACILITATOR, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { sessions, users } from '../../../server/db/schema.ts';
import { createSession, deleteExpiredSessions, SESSION_ABSOLUTE_MS, SESSION_SLIDING_MS, sessionIdFromToken, validateSessionToken } from '../../../server/auth/session.ts';
import { hashPassword, verifyPassword } from '../../../server/auth/password.ts';

const DAY = 24 * 60 * 60 * 1000;

const testServer = serverPerFile();
let facilitatorId: string;
let joinCode: string;

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  facilitatorId = (await facilitator.get('/api/auth/me')).body.id;
  joinCode = (await createEvent(facilitator)).joinCode;
});

const db = () => testServer.server.app.db;
const tokenOf = (client: ApiClient) => client.cookie!.slice('kizuki_session='.length);

async function signIn(): Promise<ApiClient> {
  const client = new ApiClient(testServer.server.origin);
  const res = await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
  expect(res.status).toBe(200);
  return client;
}

async function sessionRow(token: string) {
  const [row] = await db().select().from(sessions).where(eq(sessions.id, sessionIdFromToken(token)));
  return row;
}

describe('session storage', () => {
  it('stores only the SHA-256 of the token: the token itself appears nowhere in the sessions table', async () => {
    const client = await signIn();
    const token = tokenOf(client);
    expect(token).toMatch(/^[a-z2-7]{39}$/);
    const rows = await db().select().from(sessions);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.id)).toContain(sessionIdFromToken(token));
    expect(sessionIdFromToken(token)).not.toBe(token);
    expect(JSON.stringify(rows)).not.toContain(token);
    const row = await sessionRow(token);
    expect(row!.userId).toBe(facilitatorId);
  });

  it('issues a new token on every login, and a login replaces the session the browser had', async () => {
    const a = await signIn();
    const b = await signIn();
    expect(tokenOf(a)).not.toBe(tokenOf(b));

    const oldToken = tokenOf(a);
    expect((await a.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);
    expect(tokenOf(a)).not.toBe(oldToken);
    expect(await sessionRow(oldToken)).toBeUndefined();
    const replay = new ApiClient(testServer.server.origin);
    replay.cookie = `kizuki_session=${oldToken}`;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
    expect((await a.get('/api/auth/me')).status).toBe(200);
    // The other browser's session is untouched.
    expect((await b.get('/api/auth/me')).status).toBe(200);
  });

  it('a token planted before sign-in (e.g. a participant session) is worthless after login', async () => {
    const { client } = await joinAs(testServer.server.origin, joinCode, '仕込み', '仕込み商事');
    const planted = tokenOf(client);
    expect((await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password })).status).toBe(200);
    expect(tokenOf(client)).not.toBe(planted);
    expect(await sessionRow(planted)).toBeUndefined();
    expect((await client.get('/api/auth/me')).body.kind).toBe('facilitator');
  });

  it('logout deletes the row, and the old cookie no longer works', async () => {
    const client = await signIn();
    const token = tokenOf(client);
    expect(await sessionRow(token)).toBeDefined();
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect(await sessionRow(token)).toBeUndefined();
    const replay = new ApiClient(testServer.server.origin);
    replay.cookie = `kizuki_session=${token}`;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
    // …including for writes.
    expect((await replay.post('/api/events', { title: 'x', date: '2027-01-01' })).status).toBe(401);
  });
});

describe('expiry', () => {
  it('rejects a session whose sliding expiry has passed, deletes it, and clears the cookie', async () => {
    const client = await signIn();
    const token = tokenOf(client);
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sessionIdFromToken(token)));
    const res = await client.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(client.cookie).toBeUndefined(); // Set-Cookie cleared it
    expect(await sessionRow(token)).toBeUndefined();
  });

  it('rejects a session past its absolute expiry even if the sliding expiry is in the future', async () => {
    const client = await signIn();
    const token = tokenOf(client);
    await db().update(sessions).set({ absoluteExpiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sessionIdFromToken(token)));
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(await sessionRow(token)).toBeUndefined();
  });

  it('validateSessionToken: valid now, null once the sliding window has passed', async () => {
    const now = new Date();
    const { token, expiresAt } = await createSession(db(), facilitatorId, now);
    expect(expiresAt.getTime()).toBe(now.getTime() + SESSION_SLIDING_MS);
    const fresh = await validateSessionToken(db(), token, new Date(now.getTime() + DAY));
    expect(fresh).toMatchObject({ sessionId: sessionIdFromToken(token), renewed: false, user: { id: facilitatorId } });
    expect(await validateSessionToken(db(), token, new Date(now.getTime() + SESSION_SLIDING_MS + 1))).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });

  it('validateSessionToken: slides the expiry when it is close, but never past the absolute limit', async () => {
    const now = new Date();
    const { token } = await createSession(db(), facilitatorId, now);
    const later = new Date(now.getTime() + 20 * DAY);
    const renewed = await validateSessionToken(db(), token, later);
    expect(renewed?.renewed).toBe(true);
    expect(renewed!.expiresAt.getTime()).toBe(later.getTime() + SESSION_SLIDING_MS);
    expect((await sessionRow(token))!.expiresAt.getTime()).toBe(later.getTime() + SESSION_SLIDING_MS);

    // Keep using it every 20 days: it still ends at the absolute limit.
    const absolute = now.getTime() + SESSION_ABSOLUTE_MS;
    const nearEnd = new Date(absolute - 5 * DAY);
    await db().update(sessions).set({ expiresAt: new Date(absolute - DAY) }).where(eq(sessions.id, sessionIdFromToken(token)));
    const capped = await validateSessionToken(db(), token, nearEnd);
    expect(capped!.expiresAt.getTime()).toBe(absolute);
    expect(await validateSessionToken(db(), token, new Date(absolute))).toBeNull();
  });

  it('the server re-sends the cookie when it renews a session', async () => {
    const client = await signIn();
    const token = tokenOf(client);
    await db().update(sessions).set({ expiresAt: new Date(Date.now() + DAY) }).where(eq(sessions.id, sessionIdFromToken(token)));
    const res = await fetch(`${testServer.server.origin}/api/auth/me`, { headers: { cookie: client.cookie! } });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('kizuki_session='));
    expect(setCookie).toBeDefined();
    expect(setCookie!.split(';')[0]).toBe(`kizuki_session=${token}`);
    expect((await sessionRow(token))!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 20 * DAY);
  });
});

describe('deleteExpiredSessions', () => {
  it('deletes the rows past their sliding or absolute expiry and keeps every live one', async () => {
    const now = new Date();
    const live = await createSession(db(), facilitatorId, now);
    const slidingPast = await createSession(db(), facilitatorId, now);
    const absolutePast = await createSession(db(), facilitatorId, now);
    await db().update(sessions).set({ expiresAt: new Date(now.getTime() - 1000) }).where(eq(sessions.id, sessionIdFromToken(slidingPast.token)));
    await db().update(sessions).set({ absoluteExpiresAt: new Date(now.getTime() - 1000) }).where(eq(sessions.id, sessionIdFromToken(absolutePast.token)));
    const isLive = (r: { expiresAt: Date; absoluteExpiresAt: Date }) => r.expiresAt >= now && r.absoluteExpiresAt >= now;
    const liveBefore = (await db().select().from(sessions)).filter(isLive).map((r) => r.id).sort();
    expect(liveBefore).toContain(sessionIdFromToken(live.token));

    await deleteExpiredSessions(db(), now);

    const after = (await db().select().from(sessions)).map((r) => r.id).sort();
    expect(after).toEqual(liveBefore);
    expect(after).not.toContain(sessionIdFromToken(slidingPast.token));
    expect(after).not.toContain(sessionIdFromToken(absolutePast.token));
    expect((await validateSessionToken(db(), live.token, now))?.user.id).toBe(facilitatorId);
  });
});

describe('cookie attributes', () => {
  async function setCookieOf(path: string, body: unknown) {
    const res = await fetch(testServer.server.origin + path, {
      method: 'POST',
      headers: { origin: testServer.server.origin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    const line = res.headers.getSetCookie().find((c) => c.startsWith('kizuki_session='));
    expect(line).toBeDefined();
    return line!.split(';').map((part) => part.trim());
  }

  it('login and join set an HttpOnly, SameSite=Lax, Path=/ cookie with an expiry (not Secure on plain http)', async () => {
    const login = await setCookieOf('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
    const join = await setCookieOf('/api/join', { code: joinCode, displayName: 'Cookie', companyName: 'Cookie商事' });
    for (const attrs of [login, join]) {
      expect(attrs).toContain('HttpOnly');
      expect(attrs).toContain('SameSite=Lax');
      expect(attrs).toContain('Path=/');
      expect(attrs.some((a) => /^Expires=/i.test(a))).toBe(true);
      expect(attrs).not.toContain('Secure');
      expect(attrs.some((a) => /^Domain=/i.test(a))).toBe(false);
    }
  });
});

describe('password storage', () => {
  it('stores the facilitator password as an argon2id hash with m=7168,t=5,p=1 (the OWASP low-memory equivalent)', async () => {
    const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, FACILITATOR.email));
    expect(row!.passwordHash!.startsWith('$argon2id$v=19$m=7168,t=5,p=1$')).toBe(true);
    expect(row!.passwordHash).not.toContain(FACILITATOR.password);
  });

  it('also for facilitators added later; participants have no password at all', async () => {
    const client = await signIn();
    expect((await client.post('/api/facilitators', { email: 'later@example.jp', password: 'later long secret', displayName: 'Later' })).status).toBe(201);
    const [later] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, 'later@example.jp'));
    expect(later!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    const participants = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.kind, 'participant'));
    expect(participants.length).toBeGreaterThan(0);
    for (const p of participants) expect(p.passwordHash).toBeNull();
  });

  it('hashes are salted and verify only the right password', async () => {
    const a = await hashPassword('the same password');
    const b = await hashPassword('the same password');
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'the same password')).toBe(true);
    expect(await verifyPassword(a, 'the same password ')).toBe(false);
    expect(await verifyPassword('not a hash', 'the same password')).toBe(false);
  });
});
