// Joining an event by code: looking the code up, joining with an existing or a new company, the
// forgiving code input, and everything that must not let anyone in.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../helpers/database.ts';
import { serverPerFile, startTestServer } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { companies, eventMembers, events, users } from '../../../server/db/schema.ts';
import { formatJoinCode } from '../../../shared/jcrm/join-code.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
let event: { id: string; joinCode: string };
let otherEvent: { id: string; joinCode: string };
/** The company the first participant created in `event`. */
let acmeId: string;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  event = await createEvent(facilitator, '参加テスト');
  otherEvent = await createEvent(facilitator, '別のイベント');
  acmeId = (await joinAs(testServer.server.origin, event.joinCode, '最初の人', 'Acme通販')).eventCompanyId;
  await joinAs(testServer.server.origin, otherEvent.joinCode, '別の人', 'Zeta秘密工業');
});

function expectError(res: { status: number; body: any }, status: number, messagePart?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.body.statusCode).toBe(status);
  if (messagePart !== undefined) expect(res.body.message).toMatch(messagePart);
}

const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

async function userCount() {
  const [row] = await testServer.server.app.db.select({ n: count() }).from(users);
  return row!.n;
}

describe('GET /api/join/:code', () => {
  // Public on purpose (the code is the credential), so there is no 403: the refusals are 404s.
  it("describes the event and lists only this event's companies", async () => {
    const res = await new ApiClient(testServer.server.origin).get(`/api/join/${event.joinCode}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      eventId: event.id,
      title: '参加テスト',
      date: '2026-12-01',
      companies: [{ id: acmeId, name: 'Acme通販' }],
      companiesLocked: false,
      invitedCompanyId: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('Zeta秘密工業');
  });

  it('accepts lower case, hyphens, spaces and full-width input', async () => {
    const code = event.joinCode;
    const variants = [code.toLowerCase(), formatJoinCode(code), formatJoinCode(code).toLowerCase(), ` ${code.slice(0, 5)} ${code.slice(5)} `, fullWidth(code.toLowerCase()), fullWidth(formatJoinCode(code)).replace('－', 'ー')];
    for (const input of variants) {
      const res = await new ApiClient(testServer.server.origin).get(`/api/join/${encodeURIComponent(input)}`);
      expect(res.status, input).toBe(200);
      expect(res.body.eventId).toBe(event.id);
    }
  });

  it('400s on a code that is too short or too long', async () => {
    expectError(await new ApiClient(testServer.server.origin).get('/api/join/abc'), 400, /^参加コードは4文字以上で入力してください \/ Join code must be at least 4 characters$/);
    expectError(await new ApiClient(testServer.server.origin).get(`/api/join/${'A'.repeat(33)}`), 400, /^参加コードは32文字以内で入力してください/);
  });

  it('404s on an unknown code', async () => {
    expectError(await new ApiClient(testServer.server.origin).get('/api/join/ZZZZZZZZZZ'), 404, /unknown or no longer valid/);
  });
});

describe('POST /api/join', () => {
  it('joins with a new company name: a participant session in that event only', async () => {
    const client = new ApiClient(testServer.server.origin);
    const res = await client.post('/api/join', { code: event.joinCode, displayName: ' Carol ', companyName: ' Beta本舗 ' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ eventId: event.id, role: 'participant', user: { kind: 'participant', email: null, displayName: 'Carol' } });
    expect(res.body.eventCompanyId).not.toBe(acmeId);
    expect(client.cookie).toMatch(/^kizuki_session=/);
    expect((await client.get('/api/auth/me')).body.id).toBe(res.body.user.id);
    const detail = await client.get(`/api/events/${event.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ role: 'participant', myEventCompanyId: res.body.eventCompanyId });
    expect(detail.body.companies.find((c: any) => c.id === res.body.eventCompanyId).name).toBe('Beta本舗');
    expectError(await client.get(`/api/events/${otherEvent.id}`), 403);
  });

  it('joins an existing company by eventCompanyId, and by its name case-insensitively', async () => {
    const dan = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Dan', eventCompanyId: acmeId });
    expect(dan.status).toBe(201);
    expect(dan.body.eventCompanyId).toBe(acmeId);
    const erin = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Erin', companyName: 'ACME通販' });
    expect(erin.status).toBe(201);
    expect(erin.body.eventCompanyId).toBe(acmeId);
    expect(erin.body.user.id).not.toBe(dan.body.user.id);
  });

  it('finds the company whatever the width and spacing of its name, and stores a new name in one form', async () => {
    const typedWide = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Fumi', companyName: ` ${fullWidth('acme')}通販 ` });
    expect(typedWide.status).toBe(201);
    expect(typedWide.body.eventCompanyId).toBe(acmeId);
    const created = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Goro', companyName: `${fullWidth('XYZ')}　  ﾐﾄﾞﾘ商会` });
    expect(created.status).toBe(201);
    const [row] = await testServer.server.app.db.select({ name: companies.name }).from(companies).where(sql`lower(${companies.name}) like 'xyz%'`);
    expect(row!.name).toBe('XYZ ミドリ商会');
    const again = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Hana', companyName: 'xyz ミドリ商会' });
    expect(again.body.eventCompanyId).toBe(created.body.eventCompanyId);
  });

  it('accepts the code in lower case, hyphenated, and full-width', async () => {
    const code = event.joinCode;
    for (const [i, input] of [code.toLowerCase(), formatJoinCode(code).toLowerCase(), fullWidth(formatJoinCode(code)).replace('-', '－')].entries()) {
      // Three people (one name in a company twice asks first: rule same-name, session-limits.test.ts).
      const res = await new ApiClient(testServer.server.origin).post('/api/join', { code: input, displayName: `入力ゆれ${i}`, eventCompanyId: acmeId });
      expect(res.status, input).toBe(201);
      expect(res.body.eventId).toBe(event.id);
    }
  });

  it('keeps the identity of a browser that is already a member (clicking the link twice)', async () => {
    const { client, userId, eventCompanyId } = await joinAs(testServer.server.origin, event.joinCode, 'Frank', 'Gamma商事');
    const before = await userCount();
    const again = await client.post('/api/join', { code: event.joinCode, displayName: 'Frank', companyName: 'Gamma商事' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ eventId: event.id, eventCompanyId, role: 'participant', user: { id: userId } });
    expect(await userCount()).toBe(before);
    // A second click that names another company keeps the membership and adds no stray company.
    const third = await client.post('/api/join', { code: event.joinCode, displayName: 'Frank', companyName: 'Gama商事(誤字)' });
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({ eventCompanyId, user: { id: userId } });
    const names = (await facilitator.get(`/api/events/${event.id}/companies`)).body.map((c: any) => c.name);
    expect(names).not.toContain('Gama商事(誤字)');
  });

  it('400s when both or neither company fields are given, or on bad fields, creating no user', async () => {
    const before = await userCount();
    const client = new ApiClient(testServer.server.origin);
    const base = { code: event.joinCode, displayName: 'Grace' };
    expectError(await client.post('/api/join', base), 400, /exactly one of eventCompanyId or companyName/);
    expectError(await client.post('/api/join', { ...base, eventCompanyId: acmeId, companyName: 'Acme通販' }), 400, /exactly one of eventCompanyId or companyName/);
    expectError(await client.post('/api/join', { ...base, eventCompanyId: 'acme' }), 400, /^会社の指定が正しくありません/);
    expectError(await client.post('/api/join', { ...base, displayName: '  ', companyName: 'x' }), 400, /^名前を入力してください/);
    expectError(await client.post('/api/join', { displayName: 'Grace', companyName: 'x' }), 400, /^参加コードを入力してください/);
    expectError(await client.post('/api/join', { ...base, code: 'ab', companyName: 'x' }), 400, /^参加コードは4文字以上/);
    expect(client.cookie).toBeUndefined();
    expect(await userCount()).toBe(before);
  });

  it("400s on a company of another event, so the code can't be used to reach it", async () => {
    const zeta = (await facilitator.get(`/api/events/${otherEvent.id}/companies`)).body[0];
    expect(zeta.name).toBe('Zeta秘密工業');
    const res = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'Heidi', eventCompanyId: zeta.id });
    expectError(res, 400, /eventCompanyId: .*not a company of this session/);
  });

  it('403s without an Origin or with a foreign one, creating no user', async () => {
    const before = await userCount();
    for (const origin of [null, 'null', 'https://evil.example']) {
      const client = new ApiClient(testServer.server.origin, { origin });
      expectError(await client.post('/api/join', { code: event.joinCode, displayName: 'Ivan', companyName: 'Ivan社' }), 403, /Origin/);
      expect(client.cookie).toBeUndefined();
    }
    expect(await userCount()).toBe(before);
  });

  it('404s on an unknown or revoked code', async () => {
    const e = await createEvent(facilitator, '取り消しイベント');
    expectError(await new ApiClient(testServer.server.origin).post('/api/join', { code: 'ZZZZZZZZZZ', displayName: 'x', companyName: 'x社' }), 404, /unknown or no longer valid/);
    expect((await facilitator.delete(`/api/events/${e.id}/join-code`)).status).toBe(200);
    expectError(await new ApiClient(testServer.server.origin).post('/api/join', { code: e.joinCode, displayName: 'x', companyName: 'x社' }), 404, /unknown or no longer valid/);
    expectError(await new ApiClient(testServer.server.origin).get(`/api/join/${e.joinCode}`), 404);
  });

  it('tells a late joiner that the session has ended (410), not that the code is wrong', async () => {
    const e = await createEvent(facilitator, '終わったイベント');
    const company = await joinAs(testServer.server.origin, e.joinCode, '早い人', '早い商事');
    const invite = (await facilitator.post(`/api/events/${e.id}/companies/${company.eventCompanyId}/invite`)).body.inviteCode as string;
    expect((await facilitator.post(`/api/events/${e.id}/close`)).status).toBe(200);
    const attempt = (code: string) => new ApiClient(testServer.server.origin).post('/api/join', { code, displayName: 'x', companyName: 'x社' });
    for (const code of [e.joinCode, invite]) {
      const res = await attempt(code);
      expectError(res, 410, /この会は終了しました.*This session has ended/);
      expect(res.body.rule).toBe('event-closed');
      expectError(await new ApiClient(testServer.server.origin).get(`/api/join/${code}`), 410, /has ended/);
    }
    // Nobody joined: the closed session has its one company and member still.
    expect((await facilitator.get(`/api/events/${e.id}`)).body.companies).toHaveLength(1);
    // The facilitator is not shown a code that cannot be used any more.
    expect((await facilitator.get(`/api/events/${e.id}`)).body.joinCode).toBeNull();
  });

  it('tells a participant back for another session which company they spoke for last time', async () => {
    const first = await createEvent(facilitator, '1回目');
    const second = await createEvent(facilitator, '2回目');
    const me = await joinAs(testServer.server.origin, first.joinCode, '再訪さん', 'Lambda商会');
    // Not in the new session yet: the name, to type.
    const before = await me.client.get(`/api/join/${second.joinCode}`);
    expect(before.body.lastCompany).toEqual({ name: 'Lambda商会', eventCompanyId: null });
    // Anonymous visitors hear of no company.
    expect((await new ApiClient(testServer.server.origin).get(`/api/join/${second.joinCode}`)).body.lastCompany).toBeUndefined();
    // Once the facilitator has added it to the new session: that entry, to pick.
    const added = await facilitator.post(`/api/events/${second.id}/companies`, { name: 'Lambda商会' });
    expect(added.status).toBe(201);
    const after = await me.client.get(`/api/join/${second.joinCode}`);
    expect(after.body.lastCompany).toEqual({ name: 'Lambda商会', eventCompanyId: added.body.id });
  });

  it('a participant joining a second event under the same name keeps one identity for both', async () => {
    const first = await joinAs(testServer.server.origin, event.joinCode, 'Judy', 'Kappa物産');
    const res = await first.client.post('/api/join', { code: otherEvent.joinCode, displayName: 'Judy', companyName: 'Kappa物産' });
    expect(res.status).toBe(201);
    expect(res.body.eventId).toBe(otherEvent.id);
    expect(res.body.user.id).toBe(first.userId);
    expect((await first.client.get(`/api/events/${otherEvent.id}`)).status).toBe(200);
    expect((await first.client.get(`/api/events/${event.id}`)).status).toBe(200);
  });

  it('never lets a random eventCompanyId through', async () => {
    const res = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: 'x', eventCompanyId: randomUUID() });
    expectError(res, 400, /not a company of this session/);
  });
});

describe("a company name that belongs to another event's company", () => {
  // A company's history (worksheets, assessments, actions) is open to its members in any event:
  // typing its name at another event's join must not make a stranger one of them.
  let elsewhere: { id: string; joinCode: string };
  let omega: Awaited<ReturnType<typeof joinAs>>;
  let omegaCompanyId: string;
  const companyOf = async (eventCompanyId: string) =>
    ((await testServer.server.app.db.execute(sql`select company_id from event_companies where id = ${eventCompanyId}`)) as unknown as { rows: Array<{ company_id: string }> }).rows[0]!.company_id;

  beforeAll(async () => {
    elsewhere = await createEvent(facilitator, '別の会');
    omega = await joinAs(testServer.server.origin, elsewhere.joinCode, '山田', 'Omega物産');
    omegaCompanyId = await companyOf(omega.eventCompanyId);
  });

  it('refuses a stranger (409, any letter case), creating no user and no company', async () => {
    const users = await userCount();
    for (const companyName of ['Omega物産', 'omega物産', ' OMEGA物産 ']) {
      const res = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: '知らない人', companyName });
      expectError(res, 409, /registered from another session/);
    }
    expect(await userCount()).toBe(users);
    const listed = await facilitator.get(`/api/events/${event.id}/companies`);
    expect(listed.body.map((c: { name: string }) => c.name)).not.toContain('Omega物産');
  });

  it('lets the person who spoke for it before (same browser, same name) bring it along', async () => {
    const res = await omega.client.post('/api/join', { code: otherEvent.joinCode, displayName: '山田', companyName: 'Omega物産' });
    expect(res.status).toBe(201);
    expect(await companyOf(res.body.eventCompanyId)).toBe(omegaCompanyId);
  });

  it('once a facilitator added it to the event: its first person waits for approval, colleagues then join directly', async () => {
    const added = await facilitator.post(`/api/events/${event.id}/companies`, { name: 'Omega物産' });
    expect(added.status).toBe(201);
    // Its history is not handed to whoever types its name first, by name or picked from the list.
    const users = await userCount();
    const byId = await new ApiClient(testServer.server.origin).post('/api/join', { code: event.joinCode, displayName: '鈴木', eventCompanyId: added.body.id });
    expect(byId.status).toBe(202);
    const first = new ApiClient(testServer.server.origin);
    const asked = await first.post('/api/join', { code: event.joinCode, displayName: '鈴木', companyName: 'Omega物産' });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ pending: true, companyName: 'Omega物産' });
    expect(await userCount()).toBe(users + 2);
    expect((await first.get(`/api/events/${event.id}`)).status).toBe(403);
    expect((await facilitator.post(`/api/events/${event.id}/join-requests/${asked.body.requestId}/approve`)).status).toBe(204);
    expect((await first.get(`/api/events/${event.id}`)).status).toBe(200);
    const colleague = await joinAs(testServer.server.origin, event.joinCode, '高橋', 'Omega物産');
    expect(await companyOf(colleague.eventCompanyId)).toBe(omegaCompanyId);
  });
});

describe('a person a facilitator refused', () => {
  it('waits for approval again, even once the company has someone here or for another company', async () => {
    const before = await createEvent(facilitator, '前の会');
    const sato = await joinAs(testServer.server.origin, before.joinCode, '佐藤', 'Sigma物産');
    const now = await createEvent(facilitator, '今回の会');
    const added = await facilitator.post(`/api/events/${now.id}/companies`, { name: 'Sigma物産' });
    expect(added.status).toBe(201);
    const stranger = new ApiClient(testServer.server.origin);
    const asked = await stranger.post('/api/join', { code: now.joinCode, displayName: '見知らぬ人', companyName: 'Sigma物産' });
    expect(asked.status).toBe(202);
    expect(asked.body.reason).toBe('company-history');
    expect((await facilitator.post(`/api/events/${now.id}/join-requests/${asked.body.requestId}/reject`)).status).toBe(204);
    // The company's own member comes back from their browser: in at once.
    const back = await sato.client.post('/api/join', { code: now.joinCode, displayName: '佐藤', companyName: 'Sigma物産' });
    expect(back.status).toBe(201);
    // The refused person tries again, by id now that the company has someone here, or as a new company.
    const again = await stranger.post('/api/join', { code: now.joinCode, displayName: '見知らぬ人', eventCompanyId: added.body.id });
    expect(again.status).toBe(202);
    expect(again.body.reason).toBe('locked');
    const elsewhere = await stranger.post('/api/join', { code: now.joinCode, displayName: '見知らぬ人', companyName: '新しい商店' });
    expect(elsewhere.status).toBe(202);
    expect((await stranger.get(`/api/events/${now.id}`)).status).toBe(403);
    // Someone else joins the company as a colleague, as in any open session.
    expect((await new ApiClient(testServer.server.origin).post('/api/join', { code: now.joinCode, displayName: '鈴木', eventCompanyId: added.body.id })).status).toBe(201);
  });
});

describe('a different person at the same browser', () => {
  it('gets their own identity, even in an event the browser already joined', async () => {
    const db = await createTestDatabase();
    const srv = await startTestServer(db.database);
    try {
      const fac = await setupFacilitator(srv.origin);
      const session = await createEvent(fac, '第2回');
      const { client: device, userId } = await joinAs(srv.origin, session.joinCode, '佐藤', '青空通販');
      const other = await device.post('/api/join', { code: session.joinCode, displayName: '田中', companyName: 'みどり本舗' });
      expect(other.status).toBe(201);
      expect(other.body.user.id).not.toBe(userId);
      expect(other.body.user.displayName).toBe('田中');
    } finally {
      await srv.close();
      await db.drop();
    }
  });
});

describe('double submits and facilitators trying the link', () => {
  it('a signed-in participant submitting the same join twice at once gets one membership, not a 500', async () => {
    const { client, userId } = await joinAs(testServer.server.origin, event.joinCode, 'Kim', 'Lambda物産');
    const target = await createEvent(facilitator, '二重送信イベント');
    const body = { code: target.joinCode, displayName: 'Kim', companyName: 'Mu二重商事' };
    const results = await Promise.all([client.post('/api/join', body), client.post('/api/join', body), client.post('/api/join', body)]);
    for (const res of results) {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ eventId: target.id, role: 'participant', user: { id: userId, displayName: 'Kim' } });
    }
    expect(new Set(results.map((r) => r.body.eventCompanyId)).size).toBe(1);
    const rows = await testServer.server.app.db
      .select({ eventCompanyId: eventMembers.eventCompanyId })
      .from(eventMembers)
      .where(and(eq(eventMembers.eventId, target.id), eq(eventMembers.userId, userId)));
    expect(rows).toEqual([{ eventCompanyId: results[0]!.body.eventCompanyId }]);
    const names = (await facilitator.get(`/api/events/${target.id}/companies`)).body.map((c: any) => c.name);
    expect(names).toEqual(['Mu二重商事']);
  });

  it('joins at once by one person under different company names leave one company, and every answer names it', async () => {
    const db = testServer.server.app.db;
    const { client, userId } = await joinAs(testServer.server.origin, event.joinCode, 'Lee', 'Xi物産');
    // A join loses the race only when it passes the membership check before the winner commits;
    // a few rounds of three make sure that happens.
    for (let round = 1; round <= 4; round++) {
      const target = await createEvent(facilitator, `同時参加イベント ${round}`);
      const names = ['Omicron', 'Pi', 'Rho'].map((name) => `${name}同時商事${round}`);
      const results = await Promise.all(names.map((companyName) => client.post('/api/join', { code: target.joinCode, displayName: 'Lee', companyName })));
      const listed = (await facilitator.get(`/api/events/${target.id}/companies`)).body as Array<{ id: string; name: string }>;
      expect(listed, `round ${round}`).toHaveLength(1);
      for (const res of results) {
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ eventId: target.id, eventCompanyId: listed[0]!.id, role: 'participant', user: expect.objectContaining({ id: userId, displayName: 'Lee' }) });
      }
      const members = await db
        .select({ eventCompanyId: eventMembers.eventCompanyId })
        .from(eventMembers)
        .where(and(eq(eventMembers.eventId, target.id), eq(eventMembers.role, 'participant')));
      expect(members).toEqual([{ eventCompanyId: listed[0]!.id }]);
      // The other names were not taken on the way: no company of those names exists anywhere.
      for (const lost of names.filter((name) => name !== listed[0]!.name)) {
        const [taken] = await db.select({ n: count() }).from(companies).where(eq(companies.name, lost));
        expect(taken!.n, lost).toBe(0);
      }
    }
  });

  it("a facilitator's own join keeps their role and creates no company", async () => {
    const me = (await facilitator.get('/api/auth/me')).body;
    const cookie = facilitator.cookie;
    const companyRows = async (name: string) =>
      (await testServer.server.app.db.select({ n: count() }).from(companies).where(sql`lower(${companies.name}) = lower(${name})`))[0]!.n;

    // A company this event does not have: refused, and nothing is created anywhere.
    const unknown = await facilitator.post('/api/join', { code: event.joinCode, displayName: me.displayName, companyName: 'Nu試し工業' });
    expectError(unknown, 409, /without a company/);
    expect(await companyRows('Nu試し工業')).toBe(0);

    // A company the event already has, by name or by id: the facilitator stays a facilitator.
    for (const company of [{ companyName: 'acme通販' }, { eventCompanyId: acmeId }]) {
      const res = await facilitator.post('/api/join', { code: event.joinCode, displayName: me.displayName, ...company });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ eventId: event.id, eventCompanyId: acmeId, role: 'facilitator', user: me });
    }
    expect(facilitator.cookie).toBe(cookie);
    expect((await facilitator.get(`/api/events/${event.id}`)).body).toMatchObject({ role: 'facilitator', myEventCompanyId: null });

    // Under another name: refused, saying why, and the facilitator stays signed in.
    const other = await facilitator.post('/api/join', { code: event.joinCode, displayName: '試しの参加者', companyName: 'acme通販' });
    expectError(other, 409, /signed in as a facilitator/);
    expect(other.body.rule).toBe('signed-in-as-facilitator');
    expect(facilitator.cookie).toBe(cookie);
    expect((await facilitator.get('/api/auth/me')).body).toEqual(me);
  });
});

describe('a join that fails half-way', () => {
  it('leaves nothing behind: no company without members, no event participation, no user', async () => {
    const db = testServer.server.app.db;
    const name = '重複 太郎';
    // A real refusal of the join's third write: this name is taken (a unique index for it alone),
    // so the person's row conflicts after the new company and its participation are written.
    await joinAs(testServer.server.origin, event.joinCode, name, 'Acme通販');
    await db.execute(sql.raw(`create unique index only_one_duplicate_taro on users (display_name) where display_name = '${name}'`));
    try {
      const before = { users: await userCount(), companies: (await facilitator.get(`/api/events/${event.id}/companies`)).body.length };
      const client = new ApiClient(testServer.server.origin);
      const res = await client.post('/api/join', { code: event.joinCode, displayName: name, companyName: '途中失敗商事' });
      expectError(res, 500);
      expect(client.cookie).toBeUndefined();
      const [orphans] = await db.select({ n: count() }).from(companies).where(eq(companies.name, '途中失敗商事'));
      expect(orphans!.n).toBe(0);
      expect((await facilitator.get(`/api/events/${event.id}/companies`)).body.length).toBe(before.companies);
      expect(await userCount()).toBe(before.users);
    } finally {
      await db.execute(sql`drop index only_one_duplicate_taro`);
    }
    // The same join, once possible, creates the company afresh.
    const again = await joinAs(testServer.server.origin, event.joinCode, name, '途中失敗商事');
    const listed = (await facilitator.get(`/api/events/${event.id}/companies`)).body.find((c: any) => c.id === again.eventCompanyId);
    expect(listed.name).toBe('途中失敗商事');
  });
});
