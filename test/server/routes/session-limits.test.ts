// What anyone holding the (effectively public) join code can make, and names that pose as others:
// at most MAX_COMPANIES_PER_EVENT companies and MAX_MEMBERS_PER_EVENT participants per session and
// 20 new companies per address, 200 take-home actions per company and session, invisible
// characters and bidi controls in names, and a second member of the same name.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { NEW_COMPANIES_PER_ADDRESS } from '../../../server/security/new-company-limit.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { companies, eventCompanies, eventMembers, takeHomeActions, users } from '../../../server/db/schema.ts';
import { MAX_COMPANIES_PER_EVENT, MAX_MEMBERS_PER_EVENT } from '../../../server/domain/events.ts';
import { MAX_ACTIONS_PER_COMPANY } from '../../../server/domain/actions.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

const db = () => testServer.server.app.db;
const origin = () => testServer.server.origin;

/** Adds `n` companies to the event straight in the database (the joins that made them are not the point). */
async function seedCompanies(eventId: string, n: number, prefix: string) {
  const made = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), name: `${prefix}${i}` }));
  await db().insert(companies).values(made);
  await db()
    .insert(eventCompanies)
    .values(made.map((c) => ({ id: randomUUID(), eventId, companyId: c.id })));
}

/** Adds `n` participants to a company of the event straight in the database. */
async function seedMembers(eventId: string, eventCompanyId: string, n: number) {
  const people = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), kind: 'participant' as const, displayName: `参加者${i}` }));
  await db().insert(users).values(people);
  await db()
    .insert(eventMembers)
    .values(people.map((p) => ({ id: randomUUID(), eventId, userId: p.id, eventCompanyId, role: 'participant' as const })));
}

async function companiesOf(eventId: string) {
  const [row] = await db().select({ n: count() }).from(eventCompanies).where(eq(eventCompanies.eventId, eventId));
  return row!.n;
}

async function membersOf(eventId: string) {
  const [row] = await db().select({ n: count() }).from(eventMembers).where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.role, 'participant')));
  return row!.n;
}

async function companyNamed(name: string) {
  return db().select().from(companies).where(eq(companies.name, name));
}

describe('companies per session', () => {
  it(`a join naming a new company past ${MAX_COMPANIES_PER_EVENT} is a 409 (rule company-limit) and creates nothing; existing companies still take people`, async () => {
    const event = await createEvent(facilitator, '会社の上限');
    await seedCompanies(event.id, MAX_COMPANIES_PER_EVENT - 1, '既存会社');
    const last = await joinAs(origin(), event.joinCode, '六十番目', '六十番目の会社');
    expect(await companiesOf(event.id)).toBe(MAX_COMPANIES_PER_EVENT);

    const client = new ApiClient(origin());
    const refused = await client.post('/api/join', { code: event.joinCode, displayName: '六十一番目', companyName: '六十一番目の会社' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, rule: 'company-limit' });
    expect(refused.body.message).toMatch(new RegExp(`${MAX_COMPANIES_PER_EVENT}社まで.* / .*limit of ${MAX_COMPANIES_PER_EVENT} companies`));
    expect(client.cookie).toBeUndefined();
    expect(await companyNamed('六十一番目の会社')).toEqual([]);
    expect(await companiesOf(event.id)).toBe(MAX_COMPANIES_PER_EVENT);

    // A company already taking part is joined as before, by name or by id.
    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '同僚A', companyName: '六十番目の会社' })).status).toBe(201);
    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '同僚B', eventCompanyId: last.eventCompanyId })).status).toBe(201);
  });

  it('joins at the last place at once: exactly one of them makes its company', async () => {
    const event = await createEvent(facilitator, '最後の一社');
    await seedCompanies(event.id, MAX_COMPANIES_PER_EVENT - 1, '先着会社');
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, i) => new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: `駆け込み${i}`, companyName: `駆け込み会社${i}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await companiesOf(event.id)).toBe(MAX_COMPANIES_PER_EVENT);
  });

  it('a facilitator adding a company past the limit gets the same 409; adding one already there is still fine', async () => {
    const event = await createEvent(facilitator, 'ファシリテーターの追加');
    await seedCompanies(event.id, MAX_COMPANIES_PER_EVENT - 1, '追加済み会社');
    const added = await facilitator.post(`/api/events/${event.id}/companies`, { name: '最後の会社' });
    expect(added.status).toBe(201);
    const refused = await facilitator.post(`/api/events/${event.id}/companies`, { name: '多すぎる会社' });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('company-limit');
    expect(await companyNamed('多すぎる会社')).toEqual([]);
    const [other] = await companyNamed('追加済み会社0');
    const byId = await facilitator.post(`/api/events/${event.id}/companies`, { companyId: other!.id });
    expect(byId.status).toBe(201);
    expect((await facilitator.post(`/api/events/${event.id}/companies`, { name: '最後の会社' })).body.id).toBe(added.body.id);
    expect(await companiesOf(event.id)).toBe(MAX_COMPANIES_PER_EVENT);
  });
});

describe('participants per session', () => {
  it(`the ${MAX_MEMBERS_PER_EVENT + 1}st participant is a 409 (rule member-limit): by join code, by invite code, as a request and by approval`, async () => {
    const event = await createEvent(facilitator, '参加者の上限');
    const first = await joinAs(origin(), event.joinCode, '最初の人', '大所帯商事');
    await seedMembers(event.id, first.eventCompanyId, MAX_MEMBERS_PER_EVENT - 3);

    // Locked: one person asks to join (a request, not yet a member).
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true })).status).toBe(200);
    const waiting = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '申請する人', eventCompanyId: first.eventCompanyId });
    expect(waiting.status).toBe(202);
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: false })).status).toBe(200);

    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '299人目', eventCompanyId: first.eventCompanyId })).status).toBe(201);
    const invite = (await facilitator.post(`/api/events/${event.id}/companies/${first.eventCompanyId}/invite`)).body.inviteCode as string;
    expect((await new ApiClient(origin()).post('/api/join', { code: invite, displayName: '300人目', eventCompanyId: first.eventCompanyId })).status).toBe(201);
    expect(await membersOf(event.id)).toBe(MAX_MEMBERS_PER_EVENT);

    const byCode = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '301人目', eventCompanyId: first.eventCompanyId });
    expect(byCode.status).toBe(409);
    expect(byCode.body.rule).toBe('member-limit');
    expect(byCode.body.message).toMatch(new RegExp(`${MAX_MEMBERS_PER_EVENT}人まで.* / .*limit of ${MAX_MEMBERS_PER_EVENT} participants`));
    const newCompany = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '新しい会社の人', companyName: '入れない会社' });
    expect(newCompany.body.rule).toBe('member-limit');
    expect(await companyNamed('入れない会社')).toEqual([]);
    expect((await new ApiClient(origin()).post('/api/join', { code: invite, displayName: '招待の人', eventCompanyId: first.eventCompanyId })).body.rule).toBe('member-limit');

    const approve = await facilitator.post(`/api/events/${event.id}/join-requests/${waiting.body.requestId}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.body.rule).toBe('member-limit');
    expect((await facilitator.get(`/api/events/${event.id}/join-requests`)).body).toHaveLength(1); // still pending

    await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true });
    const request = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '締切後の人', eventCompanyId: first.eventCompanyId });
    expect(request.status).toBe(409);
    expect(request.body.rule).toBe('member-limit');
    expect(await membersOf(event.id)).toBe(MAX_MEMBERS_PER_EVENT);

    // Someone already in comes back from their browser as before.
    expect((await first.client.post('/api/join', { code: event.joinCode, displayName: '最初の人', eventCompanyId: first.eventCompanyId })).status).toBe(201);
  });
});

describe('invisible characters and bidi controls in names', () => {
  let event: { id: string; joinCode: string };
  let acme: { eventCompanyId: string };

  beforeAll(async () => {
    event = await createEvent(facilitator, '見えない文字');
    acme = await joinAs(origin(), event.joinCode, '最初の人', 'Acme');
  });

  it('a company name with zero-width, joiner, soft hyphen, BOM, variation selector, tag or filler characters is that company', async () => {
    const lookAlikes = ['Ac\u200Bme', 'Ac\u200Dme', 'Ac\u00ADme', 'Acme\u2060', '\uFEFFAcme', 'Acme\uFE0F', 'Acme\u{E0041}', 'Acme\u3164', 'ＡＣ\u200BＭＥ'];
    for (const [i, companyName] of lookAlikes.entries()) {
      const res = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: `見えない${i}`, companyName });
      expect(res.status, JSON.stringify(companyName)).toBe(201);
      expect(res.body.eventCompanyId, JSON.stringify(companyName)).toBe(acme.eventCompanyId);
    }
    expect((await facilitator.get(`/api/events/${event.id}/companies`)).body.map((c: { name: string }) => c.name)).toEqual(['Acme']);
    // A new name is stored without them.
    const fresh = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '新しい人', companyName: 'Beta\u200B商事' });
    expect(fresh.status).toBe(201);
    expect(await companyNamed('Beta商事')).toHaveLength(1);
    // So is a name a facilitator adds, which finds the company it looks like.
    const added = await facilitator.post(`/api/events/${event.id}/companies`, { name: 'Ac\u2060me' });
    expect(added.body.id).toBe(acme.eventCompanyId);
  });

  it('a bidi control in a company, person or session name is a 400 (rule bidiControl)', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/join', { code: event.joinCode, displayName: '右から', companyName: '\u202EemcA' }, 'companyName'],
      ['/api/join', { code: event.joinCode, displayName: '\u200F田中', companyName: 'Acme' }, 'displayName'],
      ['/api/join', { code: event.joinCode, displayName: '田中\u2066x\u2069', companyName: 'Acme' }, 'displayName'],
      ['/api/join', { code: event.joinCode, displayName: '田中', companyName: 'Acme\u200E' }, 'companyName'],
    ];
    for (const [path, body, field] of cases) {
      const res = await new ApiClient(origin()).post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toMatchObject({ field, rule: 'bidiControl' });
      expect(res.body.message).toMatch(/表示順を変える制御文字.* \/ .*bidi controls/);
    }
    const title = await facilitator.post('/api/events', { title: '勉強会\u202Dx', date: '2026-12-01' });
    expect(title.body).toMatchObject({ statusCode: 400, field: 'title', rule: 'bidiControl' });
    const company = await facilitator.post(`/api/events/${event.id}/companies`, { name: '\u202Bx' });
    expect(company.body).toMatchObject({ statusCode: 400, field: 'name', rule: 'bidiControl' });
    expect(await companyNamed('\u202EemcA')).toEqual([]);
  });

  it('a name of nothing but invisible characters is a 400 (rule invisibleOnly), creating nothing', async () => {
    const before = await db().select({ n: count() }).from(users);
    for (const body of [
      { code: event.joinCode, displayName: '見えない会社', companyName: '\u200B\u3164' },
      { code: event.joinCode, displayName: '\u200B', companyName: 'Acme' },
    ]) {
      const res = await new ApiClient(origin()).post('/api/join', body);
      expect(res.status).toBe(400);
      expect(res.body.rule).toBe('invisibleOnly');
      expect(res.body.message).toMatch(/見えない文字だけでは登録できません/);
    }
    expect((await facilitator.post(`/api/events/${event.id}/companies`, { name: '\u2060\u00AD' })).body.rule).toBe('invisibleOnly');
    expect(await db().select({ n: count() }).from(users)).toEqual(before);
  });
});

describe('take-home actions per company and session', () => {
  const actionsPath = (eventId: string, eventCompanyId: string) => `/api/events/${eventId}/companies/${eventCompanyId}/actions`;

  async function seedActions(eventCompanyId: string, createdBy: string, n: number) {
    await db()
      .insert(takeHomeActions)
      .values(Array.from({ length: n }, (_, i) => ({ id: randomUUID(), eventCompanyId, element: 'customers', text: `アクション${i}`, createdBy })));
  }

  it(`the ${MAX_ACTIONS_PER_COMPANY + 1}st action is a 409 (rule action-limit), written or carried over`, async () => {
    const seriesId = (await facilitator.post('/api/series', { title: 'アクションの上限' })).body.id as string;
    const first = (await facilitator.post('/api/events', { title: '1回目', date: '2026-01-20', seriesId })).body.id as string;
    const firstCode = (await facilitator.get(`/api/events/${first}`)).body.joinCode as string;
    const sato = await joinAs(origin(), firstCode, '佐藤', 'アクション商事');
    const toCarry = await sato.client.post(actionsPath(first, sato.eventCompanyId), { element: 'data', text: '次回へ' });
    expect(toCarry.status).toBe(201);
    await seedActions(sato.eventCompanyId, sato.userId, MAX_ACTIONS_PER_COMPANY - 2);
    expect((await sato.client.post(actionsPath(first, sato.eventCompanyId), { element: 'pr', text: '200件目' })).status).toBe(201);
    const refused = await sato.client.post(actionsPath(first, sato.eventCompanyId), { element: 'pr', text: '201件目' });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('action-limit');
    expect(refused.body.message).toMatch(/200件まで.* \/ .*limit of 200 take-home actions/);
    expect((await facilitator.post(actionsPath(first, sato.eventCompanyId), { element: 'pr', text: 'ファシリテーターも' })).body.rule).toBe('action-limit');
    expect((await sato.client.get(actionsPath(first, sato.eventCompanyId))).body.actions).toHaveLength(MAX_ACTIONS_PER_COMPANY);

    // The next session's company is full too: carrying one more in is refused, and the action stays open.
    const next = (await facilitator.post('/api/events', { title: '2回目', date: '2026-02-17', seriesId })).body.id as string;
    const nextCode = (await facilitator.get(`/api/events/${next}`)).body.joinCode as string;
    const again = await sato.client.post('/api/join', { code: nextCode, displayName: '佐藤', companyName: 'アクション商事' });
    expect(again.status).toBe(201);
    await seedActions(again.body.eventCompanyId, sato.userId, MAX_ACTIONS_PER_COMPANY);
    const carried = await sato.client.post(`/api/actions/${toCarry.body.id}/carry`, { eventCompanyId: again.body.eventCompanyId });
    expect(carried.status).toBe(409);
    expect(carried.body.rule).toBe('action-limit');
    const [old] = await db().select({ status: takeHomeActions.status }).from(takeHomeActions).where(eq(takeHomeActions.id, toCarry.body.id));
    expect(old!.status).toBe('open');
  });
});

describe('a second member of the same name', () => {
  let event: { id: string; joinCode: string };
  let tanaka: Awaited<ReturnType<typeof joinAs>>;

  beforeAll(async () => {
    event = await createEvent(facilitator, '同じ名前');
    tanaka = await joinAs(origin(), event.joinCode, '田中 一郎', '田中商店');
  });

  async function companyMembers() {
    return db().select({ userId: eventMembers.userId }).from(eventMembers).where(eq(eventMembers.eventCompanyId, tanaka.eventCompanyId));
  }

  it("joining that company under that name from another browser is a 409 (rule same-name) naming the member, creating nobody", async () => {
    const usersBefore = await db().select({ n: count() }).from(users);
    for (const body of [
      { code: event.joinCode, displayName: '田中 一郎', eventCompanyId: tanaka.eventCompanyId },
      { code: event.joinCode, displayName: ' 田中　一郎 ', companyName: '田中商店' }, // full-width space, by company name
      { code: event.joinCode, displayName: '田中  一郎', companyName: '田中商店' },
    ]) {
      const client = new ApiClient(origin());
      const res = await client.post('/api/join', body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, rule: 'same-name', field: 'displayName' });
      expect(res.body.message).toBe(
        'この会社には既に「田中 一郎」さんが参加しています。別の端末から参加する場合は、区別できるお名前（例：田中 一郎（スマホ））で参加してください / ' +
          '“田中 一郎” already takes part for this company. If you are joining from another device, use a name that tells the two apart (e.g. “田中 一郎 (phone)”)',
      );
      expect(client.cookie).toBeUndefined();
    }
    expect(await db().select({ n: count() }).from(users)).toEqual(usersBefore);
    expect(await companyMembers()).toHaveLength(1);
  });

  it('case does not tell names apart either', async () => {
    const alice = await joinAs(origin(), event.joinCode, 'Alice Smith', 'Case商会');
    const res = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: 'ALICE  smith', eventCompanyId: alice.eventCompanyId });
    expect(res.body.rule).toBe('same-name');
    expect(res.body.message).toContain('「Alice Smith」');
    // Nor width or invisible characters, on either side (the stored name keeps what was typed).
    const wide = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: 'Ａｌｉｃｅ\u200B smith', eventCompanyId: alice.eventCompanyId });
    expect(wide.body.rule).toBe('same-name');
    const bob = await joinAs(origin(), event.joinCode, 'Bob\u200BJones', 'Case商会');
    const plain = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: 'bobjones', eventCompanyId: bob.eventCompanyId });
    expect(plain.body.rule).toBe('same-name');
  });

  it('the same browser coming back is let in as that member, as before', async () => {
    const res = await tanaka.client.post('/api/join', { code: event.joinCode, displayName: '田中 一郎', eventCompanyId: tanaka.eventCompanyId });
    expect(res.status).toBe(201);
    expect(res.body.user.id).toBe(tanaka.userId);
    expect(await companyMembers()).toHaveLength(1);
  });

  it('a name told apart, the same name in another company, or confirmSameName: true joins', async () => {
    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '田中 一郎（スマホ）', eventCompanyId: tanaka.eventCompanyId })).status).toBe(201);
    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '田中 一郎', companyName: '別の田中商店' })).status).toBe(201);
    const confirmed = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '田中 一郎', eventCompanyId: tanaka.eventCompanyId, confirmSameName: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.user.id).not.toBe(tanaka.userId);
    expect(await companyMembers()).toHaveLength(3);
    expect((await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: 'x', eventCompanyId: tanaka.eventCompanyId, confirmSameName: 'yes' })).status).toBe(400);
  });

  it('also asked of a sign-in from another session, and before a request to join a locked session', async () => {
    const other = await createEvent(facilitator, '前の会');
    const elsewhere = await joinAs(origin(), other.joinCode, '佐々木', '佐々木工業');
    const sasaki = await joinAs(origin(), event.joinCode, '佐々木', '佐々木商事');
    // The same participant sign-in (same name) joining this session's company where another 佐々木 is.
    const reused = await elsewhere.client.post('/api/join', { code: event.joinCode, displayName: '佐々木', eventCompanyId: sasaki.eventCompanyId });
    expect(reused.body.rule).toBe('same-name');

    await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true });
    try {
      const request = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '佐々木', eventCompanyId: sasaki.eventCompanyId });
      expect(request.status).toBe(409);
      expect(request.body.rule).toBe('same-name');
      const confirmed = await new ApiClient(origin()).post('/api/join', { code: event.joinCode, displayName: '佐々木', eventCompanyId: sasaki.eventCompanyId, confirmSameName: true });
      expect(confirmed.status).toBe(202);
    } finally {
      await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: false });
    }
  });
});

describe('new companies per address (behind a proxy that says who the client is)', () => {
  const proxied = serverPerFile({ env: { TRUST_PROXY: '1' } });

  it(`takes ${NEW_COMPANIES_PER_ADDRESS} new companies from one address into a session, then 429; other addresses and existing companies still join`, async () => {
    const host = await setupFacilitator(proxied.server.origin);
    const event = await createEvent(host);
    const joinFrom = (address: string, companyName: string, displayName = `${companyName}の人`) =>
      fetch(`${proxied.server.origin}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: proxied.server.origin, 'x-forwarded-for': address },
        body: JSON.stringify({ code: event.joinCode, displayName, companyName }),
      });
    for (let i = 0; i < NEW_COMPANIES_PER_ADDRESS; i++) expect((await joinFrom('203.0.113.7', `会場会社${i}`)).status).toBe(201);
    const refused = await joinFrom('203.0.113.7', '会場会社X');
    expect(refused.status).toBe(429);
    expect((await refused.json()).rule).toBe('new-company-rate');
    // Nothing of the refused join stays behind.
    expect(await proxied.server.app.db.select().from(companies).where(eq(companies.name, '会場会社X'))).toEqual([]);
    // The same address may still join a company already taking part; another address may add one.
    expect((await joinFrom('203.0.113.7', '会場会社0', '二人目')).status).toBe(201);
    expect((await joinFrom('198.51.100.9', '別会場の会社')).status).toBe(201);
  });

  it('counts the companies a waiting claim makes (someone refused asking under new names), then 429', async () => {
    const facilitatorHere = await setupFacilitator(proxied.server.origin);
    const event = await createEvent(facilitatorHere);
    const base = await facilitatorHere.post(`/api/events/${event.id}/companies`, { name: '既存の会社' });
    await facilitatorHere.patch(`/api/events/${event.id}`, { companiesLocked: true });
    let cookie = '';
    const ask = async (body: Record<string, unknown>) => {
      const res = await fetch(`${proxied.server.origin}/api/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: proxied.server.origin, 'x-forwarded-for': '203.0.113.50', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ code: event.joinCode, displayName: '申請者', ...body }),
      });
      const session = res.headers.getSetCookie().find((line) => line.startsWith('kizuki_session='));
      if (session) cookie = session.split(';')[0]!;
      return { status: res.status, body: await res.json() };
    };
    // Waiting for approval in a locked session; the session opens again, and every join of theirs waits still.
    expect((await ask({ eventCompanyId: base.body.id })).status).toBe(202);
    await facilitatorHere.patch(`/api/events/${event.id}`, { companiesLocked: false });
    for (let i = 0; i < NEW_COMPANIES_PER_ADDRESS; i++) {
      const waiting = await ask({ companyName: `待ちの会社${i}` });
      expect(waiting.status).toBe(202);
      expect(waiting.body.reason).toBe('locked');
    }
    const refused = await ask({ companyName: '待ちの会社X' });
    expect(refused.status).toBe(429);
    expect(refused.body.rule).toBe('new-company-rate');
    expect(await proxied.server.app.db.select().from(companies).where(eq(companies.name, '待ちの会社X'))).toEqual([]);
    // Each request asked again for another name let go of the company it had made (nothing else
    // holds it); the one still asked for exists, and is no new company: asking for it still waits.
    expect(await proxied.server.app.db.select().from(companies).where(eq(companies.name, '待ちの会社0'))).toEqual([]);
    expect((await ask({ companyName: `待ちの会社${NEW_COMPANIES_PER_ADDRESS - 1}` })).status).toBe(202);
  });
});
