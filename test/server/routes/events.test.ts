// The events API end to end: every route's happy path, bad input (400), and refusal (403) —
// including that nothing of one event is reachable by the facilitators or participants of another.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { assessments, events } from '../../../server/db/schema.ts';

const testServer = serverPerFile();
/** Facilitator of event A (the first account, made through /api/setup). */
let facA: ApiClient;
/** A second facilitator, of event B only. */
let facB: ApiClient;
let eventA: { id: string; joinCode: string };
let eventB: { id: string; joinCode: string };
/** Participant of event A (company Acme通販), and of event B (company Beta本舗). */
let alice: { client: ApiClient; eventCompanyId: string; userId: string };
let bob: { client: ApiClient; eventCompanyId: string; userId: string };

const FAC_B = { email: 'fac-b@example.jp', password: 'another long secret', displayName: '別の進行役' };

beforeAll(async () => {
  facA = await setupFacilitator(testServer.server.origin);
  expect((await facA.post('/api/facilitators', FAC_B)).status).toBe(201);
  facB = new ApiClient(testServer.server.origin);
  expect((await facB.post('/api/auth/login', { email: FAC_B.email, password: FAC_B.password })).status).toBe(200);
  eventA = await createEvent(facA, 'イベントA');
  eventB = await createEvent(facB, 'イベントB');
  alice = await joinAs(testServer.server.origin, eventA.joinCode, 'Alice', 'Acme通販');
  bob = await joinAs(testServer.server.origin, eventB.joinCode, 'Bob', 'Beta本舗');
});

/** The same session, but sending a different (or no) Origin header. */
function withOrigin(client: ApiClient, origin: string | null): ApiClient {
  const other = new ApiClient(testServer.server.origin, { origin });
  other.cookie = client.cookie;
  return other;
}

const anonymous = () => new ApiClient(testServer.server.origin);

function expectError(res: { status: number; body: any }, status: number, messagePart?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.body.statusCode).toBe(status);
  if (messagePart !== undefined) expect(res.body.message).toMatch(messagePart);
}

describe('POST /api/events', () => {
  it('creates an event the facilitator leads, with a join code, listed only for its members', async () => {
    const res = await facA.post('/api/events', { title: '  第2回 勉強会  ', date: '2027-01-15' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: '第2回 勉強会', date: '2027-01-15', status: 'open', role: 'facilitator' });
    const detail = await facA.get(`/api/events/${res.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.joinCode).toMatch(/^[A-Z2-9]{10}$/);
    expect(detail.body).toMatchObject({ kind: 'study', theme: null, coveredElements: [] });
    expect((await facB.get('/api/events')).body.map((e: any) => e.id)).not.toContain(res.body.id);
  });

  it("keeps a meetup's format, theme and covered elements, and shows them with the event", async () => {
    const setup = { kind: 'meetup', theme: '顧客とデータ', coveredElements: ['customers', 'data'] };
    const res = await facA.post('/api/events', { title: '交流会', date: '2027-02-01', ...setup });
    expect(res.status).toBe(201);
    expect((await facA.get(`/api/events/${res.body.id}`)).body).toMatchObject(setup);
  });

  it('400s on an empty title or a malformed date, naming the field', async () => {
    expectError(await facA.post('/api/events', { title: '', date: '2027-01-15' }), 400, /^タイトルを入力してください/);
    expectError(await facA.post('/api/events', { title: '   ', date: '2027-01-15' }), 400, /^タイトルを入力してください（空白だけでは登録できません）/);
    expectError(await facA.post('/api/events', { title: 'x', date: 'next friday' }), 400, /^日付の形式が正しくありません/);
    expectError(await facA.post('/api/events', { title: 'x' }), 400, /^日付を入力してください/);
  });

  it('refuses participants (403), no cookie (401), and a missing or foreign Origin (403)', async () => {
    const body = { title: '乗っ取り', date: '2027-01-15' };
    expectError(await alice.client.post('/api/events', body), 403, /Facilitators only/);
    expectError(await anonymous().post('/api/events', body), 401);
    expectError(await withOrigin(facA, null).post('/api/events', body), 403, /Origin/);
    expectError(await withOrigin(facA, 'https://evil.example').post('/api/events', body), 403, /Origin/);
    // Same host name but another port is another origin.
    expectError(await withOrigin(facA, 'http://127.0.0.1:1').post('/api/events', body), 403, /Origin/);
    const titles = (await facA.get('/api/events')).body.map((e: any) => e.title);
    expect(titles).not.toContain('乗っ取り');
  });
});

describe('GET /api/events', () => {
  // No input, so no natural 400; it only ever lists the caller's own events, so no 403 either:
  // the check is that nothing of another event shows up, and that signing in is required.
  it("lists exactly the caller's events with the caller's role", async () => {
    const a = await facA.get('/api/events');
    expect(a.status).toBe(200);
    expect(a.body.map((e: any) => e.id)).toContain(eventA.id);
    expect(a.body.map((e: any) => e.id)).not.toContain(eventB.id);
    expect(a.body.find((e: any) => e.id === eventA.id).role).toBe('facilitator');

    const p = await alice.client.get('/api/events');
    const companies = (await facA.get(`/api/events/${eventA.id}`)).body.companies.length;
    expect(companies).toBeGreaterThan(0);
    expect(p.body).toEqual([{ id: eventA.id, title: 'イベントA', date: '2026-12-01', status: 'open', role: 'participant', series: null, companies }]);
    const q = await bob.client.get('/api/events');
    expect(q.body.map((e: any) => e.id)).toEqual([eventB.id]);
  });

  it('401s without a session', async () => {
    expectError(await anonymous().get('/api/events'), 401, /Sign-in required/);
  });
});

describe('GET /api/events/:eventId', () => {
  it('shows facilitators the join code and participants their own company, not the code', async () => {
    const f = await facA.get(`/api/events/${eventA.id}`);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ id: eventA.id, role: 'facilitator', myEventCompanyId: null, joinCode: eventA.joinCode });
    expect(f.body.companies.map((c: any) => c.name)).toContain('Acme通販');

    const p = await alice.client.get(`/api/events/${eventA.id}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ id: eventA.id, role: 'participant', myEventCompanyId: alice.eventCompanyId, joinCode: null });
  });

  it('400s on an eventId that is not a UUID', async () => {
    expectError(await facA.get('/api/events/not-a-uuid'), 400, /^リンクが正しくありません/);
  });

  it("403s for another event's facilitator and participant, and for an unknown event (no existence leak)", async () => {
    expectError(await facB.get(`/api/events/${eventA.id}`), 403, /not part of this session/);
    expectError(await bob.client.get(`/api/events/${eventA.id}`), 403);
    expectError(await alice.client.get(`/api/events/${eventB.id}`), 403);
    expectError(await facA.get(`/api/events/${randomUUID()}`), 403);
    expectError(await anonymous().get(`/api/events/${eventA.id}`), 401);
  });
});

describe('POST /api/events/:eventId/close', () => {
  it('closes the event: status closed, join code gone, further changes refused with 409', async () => {
    const event = await createEvent(facA, '閉じるイベント');
    const res = await facA.post(`/api/events/${event.id}/close`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: event.id, status: 'closed', joinCode: null });
    expect((await facA.get(`/api/events/${event.id}`)).body.status).toBe('closed');
    expectError(await facA.post(`/api/events/${event.id}/rooms`, { name: '遅すぎ' }), 409, /closed/);
    expectError(await facA.post(`/api/events/${event.id}/companies`, { name: '遅すぎ商事' }), 409, /closed/);
    expectError(await facA.post(`/api/events/${event.id}/join-code`), 409, /closed/);
    // Closing twice is harmless.
    expect((await facA.post(`/api/events/${event.id}/close`)).status).toBe(200);
  });

  it('400s on a bad eventId', async () => {
    expectError(await facA.post('/api/events/12345/close'), 400, /^リンクが正しくありません/);
  });

  it('403s for participants, other facilitators and a missing Origin; the event stays open', async () => {
    expectError(await alice.client.post(`/api/events/${eventA.id}/close`), 403, /Facilitators only/);
    expectError(await facB.post(`/api/events/${eventA.id}/close`), 403);
    expectError(await withOrigin(facA, null).post(`/api/events/${eventA.id}/close`), 403, /Origin/);
    expectError(await anonymous().post(`/api/events/${eventA.id}/close`), 401);
    expect((await facA.get(`/api/events/${eventA.id}`)).body.status).toBe('open');
  });
});

describe('GET/POST /api/events/:eventId/companies', () => {
  it('lists the companies of the event to its members', async () => {
    for (const client of [facA, alice.client]) {
      const res = await client.get(`/api/events/${eventA.id}/companies`);
      expect(res.status).toBe(200);
      expect(res.body).toContainEqual(expect.objectContaining({ id: alice.eventCompanyId, name: 'Acme通販' }));
      expect(res.body.map((c: any) => c.name)).not.toContain('Beta本舗');
    }
  });

  it('adds a company by new name (idempotently) and an existing company by companyId', async () => {
    const created = await facA.post(`/api/events/${eventA.id}/companies`, { name: '  Gamma商事  ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Gamma商事' });
    // A new company may be seated in one of the event's rooms, never in another event's.
    const roomsOfA = (await facA.get(`/api/events/${eventA.id}/rooms`)).body.map((r: any) => r.id);
    expect([null, ...roomsOfA]).toContain(created.body.roomId);
    const again = await facA.post(`/api/events/${eventA.id}/companies`, { name: 'gamma商事' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(created.body.id);

    // Companies are shared across events: Beta本舗 (from event B) can take part in event A too.
    const beta = (await facB.get(`/api/events/${eventB.id}/companies`)).body.find((c: any) => c.name === 'Beta本舗');
    const byId = await facA.post(`/api/events/${eventA.id}/companies`, { companyId: beta.companyId });
    expect(byId.status).toBe(201);
    expect(byId.body).toMatchObject({ companyId: beta.companyId, name: 'Beta本舗' });
    expect(byId.body.id).not.toBe(beta.id);
    const names = (await facA.get(`/api/events/${eventA.id}/companies`)).body.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Acme通販', 'Gamma商事', 'Beta本舗']));
  });

  it('400s on bad bodies and unknown companies, naming what is wrong', async () => {
    const path = `/api/events/${eventA.id}/companies`;
    expectError(await facA.post(path, { name: '' }), 400, /^会社名を入力してください/);
    expectError(await facA.post(path, { companyId: 'nope' }), 400, /^会社の指定が正しくありません/);
    expectError(await facA.post(path, { companyId: randomUUID() }), 400, /companyId: .*no such company/);
    expectError(await facA.post(path, {}), 400, /^会社または会社名を指定してください/);
    expectError(await facA.get('/api/events/x/companies'), 400, /^リンクが正しくありません/);
  });

  it("403s for participants adding, and for members of another event reading or adding", async () => {
    const path = `/api/events/${eventA.id}/companies`;
    expectError(await alice.client.post(path, { name: '勝手に商事' }), 403, /Facilitators only/);
    expectError(await facB.post(path, { name: '勝手に商事' }), 403);
    expectError(await facB.get(path), 403);
    expectError(await bob.client.get(path), 403);
    expectError(await withOrigin(facA, 'https://evil.example').post(path, { name: '勝手に商事' }), 403, /Origin/);
    expect((await facA.get(path)).body.map((c: any) => c.name)).not.toContain('勝手に商事');
  });
});

describe('PATCH /api/events/:eventId/companies/:eventCompanyId', () => {
  let ecId: string;
  let roomId: string;
  beforeAll(async () => {
    ecId = (await facA.post(`/api/events/${eventA.id}/companies`, { name: 'Delta工業' })).body.id;
    roomId = (await facA.post(`/api/events/${eventA.id}/rooms`, { name: 'ルームD' })).body.id;
  });
  const path = () => `/api/events/${eventA.id}/companies/${ecId}`;

  it('renames the company', async () => {
    const res = await facA.patch(path(), { name: ' Delta工業株式会社 ' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ecId, name: 'Delta工業株式会社' });
    const listed = (await facA.get(`/api/events/${eventA.id}/companies`)).body.find((c: any) => c.id === ecId);
    expect(listed.name).toBe('Delta工業株式会社');
  });

  it('seats the company in a room and takes it out again with null', async () => {
    const seated = await facA.patch(path(), { roomId });
    expect(seated.status).toBe(200);
    expect(seated.body.roomId).toBe(roomId);
    expect((await alice.client.get(`/api/events/${eventA.id}`)).body.companies.find((c: any) => c.id === ecId).roomId).toBe(roomId);
    const unseated = await facA.patch(path(), { roomId: null });
    expect(unseated.status).toBe(200);
    expect(unseated.body.roomId).toBeNull();
  });

  it('400s on an empty body, bad values, a clashing name, or a room of another event', async () => {
    expectError(await facA.patch(path(), {}), 400, /^変更する項目を指定してください/);
    expectError(await facA.patch(path(), { name: '' }), 400, /^会社名を入力してください/);
    expectError(await facA.patch(path(), { roomId: 'room-1' }), 400, /^ルームの/);
    expectError(await facA.patch(path(), { name: 'acme通販' }), 400, /name: .*another company/);
    const roomOfB = (await facB.post(`/api/events/${eventB.id}/rooms`, { name: 'Bの部屋' })).body.id;
    expectError(await facA.patch(path(), { roomId: roomOfB }), 400, /roomId: .*not a room of this session/);
    expectError(await facA.patch(`/api/events/${eventA.id}/companies/not-a-uuid`, { name: 'x' }), 400, /^リンクが正しくありません/);
    const after = (await facA.get(`/api/events/${eventA.id}/companies`)).body.find((c: any) => c.id === ecId);
    expect(after).toMatchObject({ name: 'Delta工業株式会社', roomId: null });
  });

  it('applies nothing when one half of a combined update is refused', async () => {
    const roomOfB = (await facB.get(`/api/events/${eventB.id}/rooms`)).body[0].id;
    expectError(await facA.patch(path(), { name: '半分だけ改名', roomId: roomOfB }), 400, /roomId/);
    const after = (await facA.get(`/api/events/${eventA.id}/companies`)).body.find((c: any) => c.id === ecId);
    expect(after.name).toBe('Delta工業株式会社');
    // Both halves valid: both applied.
    const ok = await facA.patch(path(), { name: 'Delta工業株式会社', roomId });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Delta工業株式会社', roomId });
    expect((await facA.patch(path(), { roomId: null })).body.roomId).toBeNull();
  });

  it('404s for a company that is not in this event, even one of an event the caller runs', async () => {
    expectError(await facA.patch(`/api/events/${eventA.id}/companies/${randomUUID()}`, { name: 'x' }), 404);
    // facB runs event B; event A's company must not be reachable through event B's path.
    expectError(await facB.patch(`/api/events/${eventB.id}/companies/${ecId}`, { name: '乗っ取り' }), 404);
  });

  it("403s for participants (even of that company) and for another event's facilitator", async () => {
    expectError(await alice.client.patch(`/api/events/${eventA.id}/companies/${alice.eventCompanyId}`, { name: '改名' }), 403, /Facilitators only/);
    expectError(await facB.patch(path(), { name: '乗っ取り' }), 403);
    expectError(await withOrigin(facA, null).patch(path(), { name: '乗っ取り' }), 403, /Origin/);
    const names = (await facA.get(`/api/events/${eventA.id}/companies`)).body.map((c: any) => c.name);
    expect(names).not.toContain('改名');
    expect(names).not.toContain('乗っ取り');
  });
});

describe('renaming a company that other events share', () => {
  // Companies are global (found again by name), so a rename would show in every event using it.
  it("409s when the company takes part in another event, changing neither event's name", async () => {
    const eventC = await createEvent(facA, 'イベントC');
    const eventD = await createEvent(facB, 'イベントD');
    const inC = await facA.post(`/api/events/${eventC.id}/companies`, { name: 'Omega共有' });
    const inD = await facB.post(`/api/events/${eventD.id}/companies`, { name: 'omega共有' });
    expect(inC.status).toBe(201);
    expect(inD.status).toBe(201);
    expect(inD.body.companyId).toBe(inC.body.companyId); // the same company, reused by name

    expectError(await facA.patch(`/api/events/${eventC.id}/companies/${inC.body.id}`, { name: '改名A' }), 409, /other sessions/);
    expectError(await facB.patch(`/api/events/${eventD.id}/companies/${inD.body.id}`, { name: '改名B' }), 409, /他の会/);
    // Refused as a whole: a combined room change is not applied either.
    const roomOfC = (await facA.get(`/api/events/${eventC.id}/rooms`)).body[0].id;
    expectError(await facA.patch(`/api/events/${eventC.id}/companies/${inC.body.id}`, { name: '改名A', roomId: null }), 409);
    for (const [client, e, ec] of [
      [facA, eventC, inC.body.id],
      [facB, eventD, inD.body.id],
    ] as const) {
      const listed = (await client.get(`/api/events/${e.id}/companies`)).body.find((c: any) => c.id === ec);
      expect(listed.name).toBe('Omega共有');
    }
    expect((await facA.get(`/api/events/${eventC.id}/companies`)).body.find((c: any) => c.id === inC.body.id).roomId).toBe(roomOfC);

    // Keeping the exact current name is not a rename, so it does not block a room change.
    const kept = await facA.patch(`/api/events/${eventC.id}/companies/${inC.body.id}`, { name: 'Omega共有', roomId: null });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ name: 'Omega共有', roomId: null });
  });

  it('still renames a company used only in this event', async () => {
    const eventE = await createEvent(facA, 'イベントE');
    const solo = await facA.post(`/api/events/${eventE.id}/companies`, { name: 'Sigma単独' });
    const res = await facA.patch(`/api/events/${eventE.id}/companies/${solo.body.id}`, { name: 'Sigma単独株式会社' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: solo.body.id, name: 'Sigma単独株式会社' });
  });
});

describe('adding a company that has history in other sessions', () => {
  it('says a new company is no reuse, also when added again', async () => {
    const eventF = await createEvent(facA, 'イベントF');
    const added = await facA.post(`/api/events/${eventF.id}/companies`, { name: 'Kappa新規' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Kappa新規', reused: false, otherSessions: 0 });
    const again = await facA.post(`/api/events/${eventF.id}/companies`, { name: 'kappa新規' });
    expect(again.body).toMatchObject({ id: added.body.id, reused: false, otherSessions: 0 });
  });

  it('links the existing company by name and says so, with how many other sessions it brings', async () => {
    const eventG = await createEvent(facB, 'イベントG');
    const eventH = await createEvent(facB, 'イベントH');
    const inG = await facB.post(`/api/events/${eventG.id}/companies`, { name: 'Lambda物産' });
    expect(inG.body).toMatchObject({ reused: false, otherSessions: 0 });
    // A second session of the same facilitator: already a reuse, of one other session.
    const inH = await facB.post(`/api/events/${eventH.id}/companies`, { name: 'Lambda物産' });
    expect(inH.body).toMatchObject({ companyId: inG.body.companyId, reused: true, otherSessions: 1 });

    // Another facilitator types the name (another width and case): the add works and says so.
    const eventI = await createEvent(facA, 'イベントI');
    const linked = await facA.post(`/api/events/${eventI.id}/companies`, { name: 'ＬＡＭＢＤＡ物産' });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ companyId: inG.body.companyId, name: 'Lambda物産', reused: true, otherSessions: 2 });
    expect((await facA.get(`/api/events/${eventI.id}/companies`)).body.map((c: any) => c.id)).toContain(linked.body.id);
    // What the notice tells: this session's facilitators now reach the company's history.
    expect((await facA.get(`/api/companies/${inG.body.companyId}/assessments`)).status).toBe(200);

    // Added again (already linked by this session): nothing new is linked.
    const again = await facA.post(`/api/events/${eventI.id}/companies`, { name: 'Lambda物産' });
    expect(again.body).toMatchObject({ id: linked.body.id, reused: false, otherSessions: 2 });
    // By companyId, the same answer.
    const eventJ = await createEvent(facA, 'イベントJ');
    const byId = await facA.post(`/api/events/${eventJ.id}/companies`, { companyId: inG.body.companyId });
    expect(byId.body).toMatchObject({ reused: true, otherSessions: 3 });
  });

  it('counts a session the company has an assessment filed under, each session once', async () => {
    const eventK = await createEvent(facB, 'イベントK');
    const eventL = await createEvent(facB, 'イベントL');
    const inK = await facB.post(`/api/events/${eventK.id}/companies`, { name: 'Mu精機' });
    const { db } = testServer.server.app;
    const assessment = (eventId: string) => ({ id: randomUUID(), companyId: inK.body.companyId, eventId, title: '診断', template: { categories: [] } });
    // Filed under K (where it takes part: counted once) and under L (where it does not).
    await db.insert(assessments).values([assessment(eventK.id), assessment(eventK.id), assessment(eventL.id)]);
    const eventM = await createEvent(facA, 'イベントM');
    const linked = await facA.post(`/api/events/${eventM.id}/companies`, { name: 'Mu精機' });
    expect(linked.body).toMatchObject({ reused: true, otherSessions: 2 });
  });
});

describe('GET/POST /api/events/:eventId/rooms', () => {
  it('creates rooms and lists them to every member of the event', async () => {
    const res = await facA.post(`/api/events/${eventA.id}/rooms`, { name: '  ルーム1  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'ルーム1' });
    for (const client of [facA, alice.client]) {
      const list = await client.get(`/api/events/${eventA.id}/rooms`);
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(res.body);
    }
    expect((await facB.get(`/api/events/${eventB.id}/rooms`)).body).not.toContainEqual(res.body);
  });

  it('400s on a blank or missing room name', async () => {
    expectError(await facA.post(`/api/events/${eventA.id}/rooms`, { name: '   ' }), 400, /^ルーム名を入力してください/);
    expectError(await facA.post(`/api/events/${eventA.id}/rooms`, {}), 400, /^ルーム名を入力してください/);
    expectError(await facA.post(`/api/events/${eventA.id}/rooms`, { name: 'x'.repeat(61) }), 400, /^ルーム名は60文字以内で入力してください/);
    expectError(await facA.get('/api/events/nope/rooms'), 400, /^リンクが正しくありません/);
  });

  it("403s for participants creating rooms and for another event's members", async () => {
    expectError(await alice.client.post(`/api/events/${eventA.id}/rooms`, { name: '勝手な部屋' }), 403, /Facilitators only/);
    expectError(await facB.post(`/api/events/${eventA.id}/rooms`, { name: '勝手な部屋' }), 403);
    expectError(await facB.get(`/api/events/${eventA.id}/rooms`), 403);
    expectError(await bob.client.get(`/api/events/${eventA.id}/rooms`), 403);
    expectError(await withOrigin(facA, null).post(`/api/events/${eventA.id}/rooms`, { name: '勝手な部屋' }), 403, /Origin/);
    expect((await facA.get(`/api/events/${eventA.id}/rooms`)).body.map((r: any) => r.name)).not.toContain('勝手な部屋');
  });
});

describe('POST/DELETE /api/events/:eventId/join-code', () => {
  let event: { id: string; joinCode: string };
  beforeAll(async () => {
    event = await createEvent(facA, '参加コードのイベント');
  });

  it('rotates the code: the new one works, the old one stops working', async () => {
    const old = event.joinCode;
    expect((await anonymous().get(`/api/join/${old}`)).status).toBe(200);
    const res = await facA.post(`/api/events/${event.id}/join-code`);
    expect(res.status).toBe(200);
    expect(res.body.joinCode).toMatch(/^[A-Z2-9]{10}$/);
    expect(res.body.joinCode).not.toBe(old);
    expect((await facA.get(`/api/events/${event.id}`)).body.joinCode).toBe(res.body.joinCode);
    expectError(await anonymous().get(`/api/join/${old}`), 404);
    expectError(await anonymous().post('/api/join', { code: old, displayName: '遅刻', companyName: '遅刻商事' }), 404);
    expect((await anonymous().get(`/api/join/${res.body.joinCode}`)).body.eventId).toBe(event.id);
    event.joinCode = res.body.joinCode;
  });

  it('revokes the code: nobody can join until a new one is issued', async () => {
    const res = await facA.delete(`/api/events/${event.id}/join-code`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ joinCode: null });
    expect((await facA.get(`/api/events/${event.id}`)).body.joinCode).toBeNull();
    expectError(await anonymous().get(`/api/join/${event.joinCode}`), 404);
    expectError(await anonymous().post('/api/join', { code: event.joinCode, displayName: 'x', companyName: 'x社' }), 404);

    const fresh = await facA.post(`/api/events/${event.id}/join-code`);
    expect(fresh.status).toBe(200);
    expect((await anonymous().get(`/api/join/${fresh.body.joinCode}`)).status).toBe(200);
    event.joinCode = fresh.body.joinCode;
  });

  it('400s on a bad eventId', async () => {
    expectError(await facA.post('/api/events/abc/join-code'), 400, /^リンクが正しくありません/);
    expectError(await facA.delete('/api/events/abc/join-code'), 400, /^リンクが正しくありません/);
  });

  it("403s for participants, another event's facilitator and a foreign Origin; the code is unchanged", async () => {
    const member = await joinAs(testServer.server.origin, event.joinCode, 'Dave', 'Echo物産');
    for (const method of ['post', 'delete'] as const) {
      expectError(await member.client[method](`/api/events/${event.id}/join-code`), 403, /Facilitators only/);
      expectError(await facB[method](`/api/events/${event.id}/join-code`), 403);
      expectError(await withOrigin(facA, 'https://evil.example')[method](`/api/events/${event.id}/join-code`), 403, /Origin/);
      expectError(await anonymous()[method](`/api/events/${event.id}/join-code`), 401);
    }
    const [row] = await testServer.server.app.db.select({ joinCode: events.joinCode }).from(events).where(eq(events.id, event.id));
    expect(row!.joinCode).toBe(event.joinCode);
  });
});

describe('every HTTP write: refused without a cookie or with a missing/foreign Origin', () => {
  const writes = () => {
    const ec = `/api/events/${eventA.id}/companies/${alice.eventCompanyId}`;
    return [
      { method: 'POST', path: '/api/setup', body: { email: 'x@example.jp', password: 'long enough pw', displayName: 'x' }, needsSession: false },
      { method: 'POST', path: '/api/auth/login', body: { email: 'fac@example.jp', password: 'correct horse battery' }, needsSession: false },
      { method: 'POST', path: '/api/auth/logout', body: undefined, needsSession: false },
      { method: 'POST', path: '/api/join', body: { code: eventA.joinCode, displayName: 'x', companyName: 'x社' }, needsSession: false },
      { method: 'POST', path: '/api/facilitators', body: { email: 'y@example.jp', password: 'long enough pw', displayName: 'y' }, needsSession: true },
      { method: 'POST', path: '/api/events', body: { title: 'x', date: '2027-01-01' }, needsSession: true },
      { method: 'POST', path: `/api/events/${eventA.id}/close`, body: undefined, needsSession: true },
      { method: 'POST', path: `/api/events/${eventA.id}/companies`, body: { name: 'x社' }, needsSession: true },
      { method: 'PATCH', path: ec, body: { name: 'x社' }, needsSession: true },
      { method: 'POST', path: `/api/events/${eventA.id}/rooms`, body: { name: 'x' }, needsSession: true },
      { method: 'POST', path: `/api/events/${eventA.id}/join-code`, body: undefined, needsSession: true },
      { method: 'DELETE', path: `/api/events/${eventA.id}/join-code`, body: undefined, needsSession: true },
    ];
  };

  it('403s every write without an Origin, with Origin "null", or with a foreign Origin — even with a valid session', async () => {
    for (const { method, path, body } of writes()) {
      for (const origin of [null, 'null', 'https://evil.example', `http://localhost:${new URL(testServer.server.origin).port}0`]) {
        const res = await withOrigin(facA, origin).request(method, path, body);
        expect(res.status, `${method} ${path} with Origin ${origin}`).toBe(403);
        expect(res.body.message).toMatch(/Origin/);
      }
    }
  });

  it('401s every write that needs a session when there is no cookie', async () => {
    for (const { method, path, body } of writes().filter((w) => w.needsSession)) {
      const res = await anonymous().request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('none of the refused writes changed anything', async () => {
    const detail = (await facA.get(`/api/events/${eventA.id}`)).body;
    expect(detail).toMatchObject({ status: 'open', joinCode: eventA.joinCode });
    expect(detail.companies.map((c: any) => c.name)).not.toContain('x社');
    expect(detail.rooms.map((r: any) => r.name)).not.toContain('x');
    expect((await facA.get('/api/events')).body.map((e: any) => e.title)).not.toContain('x');
    expect((await facA.post('/api/auth/login', { email: 'y@example.jp', password: 'long enough pw' })).status).toBe(401);
  });
});
