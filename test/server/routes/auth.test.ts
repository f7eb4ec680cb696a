// First-run setup, login, logout, the current user (me, and session for the web client), and
// facilitators adding facilitators.
// Each route: happy path, 400 on bad input, 403 where the route can refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, FACILITATOR, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { users } from '../../../server/db/schema.ts';

function expectError(res: { status: number; body: any }, status: number, messagePart?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.body.statusCode).toBe(status);
  if (messagePart !== undefined) expect(res.body.message).toMatch(messagePart);
}

/** POST with a JSON content type and a raw (possibly empty or broken) body. */
async function rawPost(server: TestServer, path: string, body: string | undefined, cookie?: string) {
  const headers: Record<string, string> = { origin: server.origin, 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(server.origin + path, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json() };
}

describe('GET/POST /api/setup (first run)', () => {
  // Tests in this block run in order on one database: setup can happen only once per database.
  let testDb: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database);
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('GET reports that setup is needed on an empty database', async () => {
    // GET /api/setup takes no input and is public: it has no 400 or 403 to test.
    const res = await new ApiClient(server.origin).get('/api/setup');
    expect(res).toEqual({ status: 200, body: { needed: true } });
  });

  it('400s on a bad email, a short password, or a blank name, creating nothing', async () => {
    const client = new ApiClient(server.origin);
    expectError(await client.post('/api/setup', { ...FACILITATOR, email: 'not-an-email' }), 400, /^メールアドレスの形式が正しくありません/);
    expectError(await client.post('/api/setup', { ...FACILITATOR, password: 'short' }), 400, /^パスワードは10文字以上で入力してください/);
    expectError(await client.post('/api/setup', { ...FACILITATOR, displayName: '  ' }), 400, /^名前を入力してください/);
    expectError(await client.post('/api/setup', { email: FACILITATOR.email, password: FACILITATOR.password }), 400, /^名前を入力してください/);
    expect(client.cookie).toBeUndefined();
    expect((await client.get('/api/setup')).body).toEqual({ needed: true });
  });

  it('400s on a weak password (only spaces, under 4 different characters, a common one) with field and rule, creating nothing', async () => {
    const client = new ApiClient(server.origin);
    const cases: [string, string, RegExp, number?][] = [
      [' '.repeat(10), 'whitespaceOnly', /^パスワードを入力してください（空白だけでは登録できません） \/ Enter a password \(spaces alone do not count\)$/],
      ['\u3000 \t\u3000 \u3000 \t\u3000 ', 'whitespaceOnly', /spaces alone do not count/],
      ['aaaaaaaaaa', 'fewDistinctCharacters', /^パスワードには4種類以上の文字を使ってください.* \/ Use at least 4 different characters in the password/, 4],
      ['1212121212', 'fewDistinctCharacters', /at least 4 different characters/, 4],
      ['abcabcabcabc', 'fewDistinctCharacters', /at least 4 different characters/, 4],
      ['password123', 'commonPassword', /^このパスワードはよく使われていて推測されやすいため使えません.* \/ This password is one of the most common ones/],
      ['QwertyUIOP', 'commonPassword', /most common ones/],
      ['１２３４５６７８９０', 'commonPassword', /most common ones/],
    ];
    for (const [password, rule, message, limit] of cases) {
      const res = await client.post('/api/setup', { ...FACILITATOR, password });
      expectError(res, 400, message);
      expect(res.body).toMatchObject({ error: 'Bad Request', field: 'password', rule });
      if (limit === undefined) expect(res.body).not.toHaveProperty('limit');
      else expect(res.body.limit).toBe(limit);
    }
    expect(client.cookie).toBeUndefined();
    expect(await server.app.db.select().from(users)).toEqual([]);
  });

  it('403s without an Origin or with a foreign one, creating nothing', async () => {
    for (const origin of [null, 'https://evil.example']) {
      const client = new ApiClient(server.origin, { origin });
      expectError(await client.post('/api/setup', FACILITATOR), 403, /Origin/);
    }
    expect(await server.app.db.select().from(users)).toEqual([]);
  });

  it('creates the first facilitator, signs them in, and is then done', async () => {
    const client = new ApiClient(server.origin);
    const res = await client.post('/api/setup', { ...FACILITATOR, email: 'Fac@Example.JP', displayName: ' 進行役 ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), kind: 'facilitator', email: 'fac@example.jp', displayName: '進行役' });
    expect(client.cookie).toMatch(/^kizuki_session=/);
    expect((await client.get('/api/auth/me')).body.id).toBe(res.body.id);
    expect((await client.get('/api/setup')).body).toEqual({ needed: false });
  });

  it('409s once an account exists, even for another email', async () => {
    const client = new ApiClient(server.origin);
    const res = await client.post('/api/setup', { ...FACILITATOR, email: 'attacker@example.jp' });
    expectError(res, 409, /Setup is already done/);
    expect(client.cookie).toBeUndefined();
    expectError(await client.post('/api/auth/login', { email: 'attacker@example.jp', password: FACILITATOR.password }), 401);
  });
});

describe('POST /api/setup, twice at the same moment', () => {
  // Each case on its own fresh database: only the very first setup can race.
  for (const [label, second] of [
    ['for two different emails', { ...FACILITATOR, email: 'rival@example.jp', displayName: '対抗' }],
    ['for the same email', FACILITATOR],
  ] as const) {
    it(`creates exactly one facilitator ${label}: one 201, one 409`, async () => {
      const testDb = await createTestDatabase();
      const server = await startTestServer(testDb.database);
      try {
        const [a, b] = [new ApiClient(server.origin), new ApiClient(server.origin)];
        const results = await Promise.all([a.post('/api/setup', FACILITATOR), b.post('/api/setup', second)]);
        expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
        const loser = results.find((r) => r.status === 409)!;
        expectError(loser, 409, /Setup is already done/);
        const winner = results.find((r) => r.status === 201)!;
        const rows = await server.app.db.select({ id: users.id, kind: users.kind }).from(users);
        expect(rows).toEqual([{ id: winner.body.id, kind: 'facilitator' }]);
        // Only the winner was signed in.
        expect([a, b].filter((c) => c.cookie !== undefined)).toHaveLength(1);
      } finally {
        await server.close();
        await testDb.drop();
      }
    });
  }
});

describe('login, logout, me, facilitators', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let facilitator: ApiClient;
  let participant: ApiClient;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startTestServer(testDb.database);
    facilitator = await setupFacilitator(server.origin);
    const event = await createEvent(facilitator);
    participant = (await joinAs(server.origin, event.joinCode, '参加者', 'Acme通販')).client;
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  describe('POST /api/auth/login', () => {
    it('signs in with the right password (email case-insensitive) and returns the public user', async () => {
      const client = new ApiClient(server.origin);
      const res = await client.post('/api/auth/login', { email: 'FAC@example.jp', password: FACILITATOR.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: expect.any(String), kind: 'facilitator', email: FACILITATOR.email, displayName: FACILITATOR.displayName });
      expect(res.body).not.toHaveProperty('passwordHash');
      expect((await client.get('/api/auth/me')).body.email).toBe(FACILITATOR.email);
    });

    it('401s on a wrong password or an unknown email with the same message, and sets no cookie', async () => {
      const client = new ApiClient(server.origin);
      const wrong = await client.post('/api/auth/login', { email: FACILITATOR.email, password: 'wrong password!' });
      const unknown = await client.post('/api/auth/login', { email: 'nobody@example.jp', password: FACILITATOR.password });
      expectError(wrong, 401, /Wrong email or password/);
      expectError(unknown, 401, /Wrong email or password/);
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(client.cookie).toBeUndefined();
    });

    it('400s on a missing password or an empty email', async () => {
      const client = new ApiClient(server.origin);
      expectError(await client.post('/api/auth/login', { email: FACILITATOR.email }), 400, /^パスワードを入力してください/);
      expectError(await client.post('/api/auth/login', { email: '', password: 'x' }), 400, /^メールアドレスを入力してください/);
      expectError(await client.post('/api/auth/login', { email: FACILITATOR.email, password: 'x'.repeat(257) }), 400, /^パスワードは256文字以内で入力してください/);
    });

    it('403s without an Origin or with a foreign one, even with the right password', async () => {
      for (const origin of [null, 'https://evil.example']) {
        const client = new ApiClient(server.origin, { origin });
        expectError(await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password }), 403, /Origin/);
        expect(client.cookie).toBeUndefined();
      }
    });
  });

  describe('POST /api/auth/logout', () => {
    it('ends the session: the old cookie no longer works', async () => {
      const client = new ApiClient(server.origin);
      await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
      const oldCookie = client.cookie!;
      const res = await client.post('/api/auth/logout');
      expect(res.status).toBe(204);
      expect(client.cookie).toBeUndefined(); // the server cleared the cookie
      const replay = new ApiClient(server.origin);
      replay.cookie = oldCookie;
      expectError(await replay.get('/api/auth/me'), 401);
    });

    it('400s on a malformed JSON body', async () => {
      // Logout takes no input; its only 400 is the body parser refusing a broken JSON body.
      expectError(await rawPost(server, '/api/auth/logout', ''), 400, /Body cannot be empty/);
      expectError(await rawPost(server, '/api/auth/logout', '{oops'), 400, /not valid JSON/);
    });

    it('403s without an Origin or with a foreign one, and the session survives', async () => {
      const client = new ApiClient(server.origin);
      await client.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
      for (const origin of [null, 'https://evil.example']) {
        const forged = new ApiClient(server.origin, { origin });
        forged.cookie = client.cookie;
        expectError(await forged.post('/api/auth/logout'), 403, /Origin/);
      }
      expect((await client.get('/api/auth/me')).status).toBe(200);
    });

    it('is harmless without a session', async () => {
      expect((await new ApiClient(server.origin).post('/api/auth/logout')).status).toBe(204);
    });
  });

  describe('GET /api/auth/me', () => {
    // A GET with no input: no natural 400, and no 403 (the Origin check covers writes only, and
    // every signed-in user may see themselves). What it has: 200 signed in, 401 otherwise.
    it('returns the signed-in facilitator or participant', async () => {
      const f = await facilitator.get('/api/auth/me');
      expect(f).toEqual({ status: 200, body: { id: expect.any(String), kind: 'facilitator', email: FACILITATOR.email, displayName: FACILITATOR.displayName } });
      const p = await participant.get('/api/auth/me');
      expect(p).toEqual({ status: 200, body: { id: expect.any(String), kind: 'participant', email: null, displayName: '参加者' } });
    });

    it('401s without a cookie, and with a made-up or malformed token', async () => {
      expectError(await new ApiClient(server.origin).get('/api/auth/me'), 401, /Sign-in required/);
      for (const token of ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'not a token!', "x' or '1'='1"]) {
        const client = new ApiClient(server.origin);
        client.cookie = `kizuki_session=${encodeURIComponent(token)}`;
        expectError(await client.get('/api/auth/me'), 401);
      }
    });
  });

  describe('GET /api/auth/session', () => {
    // What the web client asks on every page load: nobody signed in is an answer, not an error.
    it('returns the signed-in facilitator or participant', async () => {
      expect(await facilitator.get('/api/auth/session')).toEqual({
        status: 200,
        body: { user: { id: expect.any(String), kind: 'facilitator', email: FACILITATOR.email, displayName: FACILITATOR.displayName } },
      });
      const p = await participant.get('/api/auth/session');
      expect(p).toEqual({ status: 200, body: { user: { id: expect.any(String), kind: 'participant', email: null, displayName: '参加者' } } });
      // The same user /api/auth/me answers with, and nothing more (no session hash, no password hash).
      expect(p.body.user).toEqual((await participant.get('/api/auth/me')).body);
    });

    it('answers 200 with no user without a cookie, and with a made-up or ended session', async () => {
      expect(await new ApiClient(server.origin).get('/api/auth/session')).toEqual({ status: 200, body: { user: null } });
      const client = new ApiClient(server.origin);
      client.cookie = `kizuki_session=${encodeURIComponent('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')}`;
      expect(await client.get('/api/auth/session')).toEqual({ status: 200, body: { user: null } });

      const ended = new ApiClient(server.origin);
      await ended.post('/api/auth/login', { email: FACILITATOR.email, password: FACILITATOR.password });
      const oldCookie = ended.cookie!;
      await ended.post('/api/auth/logout');
      const replay = new ApiClient(server.origin);
      replay.cookie = oldCookie;
      expect(await replay.get('/api/auth/session')).toEqual({ status: 200, body: { user: null } });
      // /api/auth/me is unchanged for API users: still a 401.
      expectError(await replay.get('/api/auth/me'), 401);
    });
  });

  describe('POST /api/facilitators', () => {
    it('lets a facilitator add another facilitator, who can then sign in', async () => {
      const res = await facilitator.post('/api/facilitators', { email: 'Second@Example.jp', password: 'second long secret', displayName: '二人目' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), kind: 'facilitator', email: 'second@example.jp', displayName: '二人目' });
      // The creator stays signed in as themselves.
      expect((await facilitator.get('/api/auth/me')).body.email).toBe(FACILITATOR.email);
      const second = new ApiClient(server.origin);
      expect((await second.post('/api/auth/login', { email: 'second@example.jp', password: 'second long secret' })).status).toBe(200);
      expect((await second.get('/api/auth/me')).body.displayName).toBe('二人目');
    });

    it('409s on an email that is already registered (case-insensitively)', async () => {
      expectError(await facilitator.post('/api/facilitators', { ...FACILITATOR, email: 'FAC@EXAMPLE.JP' }), 409, /already registered/);
    });

    it('400s on a bad email or a short password', async () => {
      const base = { email: 'third@example.jp', password: 'third long secret', displayName: '三人目' };
      expectError(await facilitator.post('/api/facilitators', { ...base, email: 'third' }), 400, /^メールアドレスの形式が正しくありません/);
      expectError(await facilitator.post('/api/facilitators', { ...base, password: '123456789' }), 400, /^パスワードは10文字以上で入力してください/);
      expectError(await facilitator.post('/api/facilitators', { ...base, displayName: 'x'.repeat(81) }), 400, /^名前は80文字以内で入力してください/);
    });

    it('400s on a weak password with field "password" and the rule broken, creating nothing', async () => {
      const base = { email: 'weak@example.jp', displayName: '弱い人' };
      for (const [password, rule] of [
        [' '.repeat(12), 'whitespaceOnly'],
        ['aaaaaaaaaa', 'fewDistinctCharacters'],
        ['1q2w3e4r5t', 'commonPassword'],
        ['Password123 ', 'commonPassword'],
      ] as const) {
        const res = await facilitator.post('/api/facilitators', { ...base, password });
        expectError(res, 400, / \/ /);
        expect(res.body).toMatchObject({ field: 'password', rule });
      }
      expect((await server.app.db.select().from(users)).filter((u) => u.email === base.email)).toEqual([]);
      // A long passphrase of ordinary words is fine: no composition rules.
      expect((await facilitator.post('/api/facilitators', { ...base, password: 'blue tea on a rainy day' })).status).toBe(201);
    });

    it('403s for participants and for a missing or foreign Origin; 401 without a session', async () => {
      const body = { email: 'mallory@example.jp', password: 'mallory long secret', displayName: 'Mallory' };
      expectError(await participant.post('/api/facilitators', body), 403, /Facilitators only/);
      for (const origin of [null, 'https://evil.example']) {
        const forged = new ApiClient(server.origin, { origin });
        forged.cookie = facilitator.cookie;
        expectError(await forged.post('/api/facilitators', body), 403, /Origin/);
      }
      expectError(await new ApiClient(server.origin).post('/api/facilitators', body), 401);
      expectError(await new ApiClient(server.origin).post('/api/auth/login', { email: body.email, password: body.password }), 401);
    });
  });
});
