// The company boundary: members per company and removing one, the companies lock, per-company
// invite codes and join requests a facilitator approves — with the permission checks around them.
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { count, eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { companies, eventMembers, users } from '../../../server/db/schema.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { formatInviteCode } from '../../../shared/jcrm/invite-code.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
/** A facilitator of another event only. */
let otherFacilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  const created = await facilitator.post('/api/facilitators', { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' });
  expect(created.status).toBe(201);
  otherFacilitator = await setupFacilitator(testServer.server.origin, { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' });
});

function expectError(res: { status: number; body: any }, status: number, messagePart?: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.statusCode).toBe(status);
  if (messagePart !== undefined) expect(res.body.message).toMatch(messagePart);
}

/**
 * An event with two companies: Alice (青空通販) and Bob (みどり本舗). The same companies take part
 * in every event of this file: the facilitator adds them, as a company of another event may only
 * be brought in by a facilitator, and approves the first person of each (it has history elsewhere).
 */
async function cast(title = '境界テスト') {
  const event = await createEvent(facilitator, title);
  for (const name of ['青空通販', 'みどり本舗']) expect((await facilitator.post(`/api/events/${event.id}/companies`, { name })).status).toBe(201);
  const alice = await joinApproved(testServer.server.origin, facilitator, event, 'Alice', '青空通販');
  const bob = await joinApproved(testServer.server.origin, facilitator, event, 'Bob', 'みどり本舗');
  return { event, alice, bob };
}

function anonymous() {
  return new ApiClient(testServer.server.origin);
}

/** The HTTP status the server answers a Yjs WebSocket upgrade with (101 = accepted). */
function upgradeStatus(docName: string, cookie: string | undefined): Promise<number> {
  const headers: Record<string, string> = { origin: testServer.server.origin };
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve) => {
    const ws = new WebSocket(`${testServer.server.wsOrigin}/yjs/${docName}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

async function lock(eventId: string, companiesLocked = true) {
  const res = await facilitator.patch(`/api/events/${eventId}`, { companiesLocked });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.companiesLocked).toBe(companiesLocked);
}

async function memberCount(eventId: string) {
  const [row] = await testServer.server.app.db.select({ n: count() }).from(eventMembers).where(eq(eventMembers.eventId, eventId));
  return row!.n;
}

describe('GET /api/events/:eventId/members', () => {
  it('facilitators see every company with its members (name, role, joined at) and the members without a company', async () => {
    const { event, alice, bob } = await cast();
    const carol = await joinAs(testServer.server.origin, event.joinCode, 'Carol', '青空通販');
    const res = await facilitator.get(`/api/events/${event.id}/members`);
    expect(res.status).toBe(200);
    expect(res.body.companiesLocked).toBe(false);
    expect(res.body.companies).toEqual([
      {
        id: alice.eventCompanyId,
        name: '青空通販',
        inviteCode: null,
        members: [
          { userId: alice.userId, displayName: 'Alice', role: 'participant', joinedAt: expect.any(String) },
          { userId: carol.userId, displayName: 'Carol', role: 'participant', joinedAt: expect.any(String) },
        ],
      },
      { id: bob.eventCompanyId, name: 'みどり本舗', inviteCode: null, members: [expect.objectContaining({ userId: bob.userId, displayName: 'Bob' })] },
    ]);
    expect(Date.parse(res.body.companies[0].members[0].joinedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.others).toEqual([expect.objectContaining({ displayName: '進行役', role: 'facilitator' })]);
  });

  it("participants see only their own company's members; outsiders get 403, strangers 401, a bad id 400", async () => {
    const { event, alice, bob } = await cast();
    const res = await alice.client.get(`/api/events/${event.id}/members`);
    expect(res.status).toBe(200);
    expect(res.body.companies).toHaveLength(1);
    expect(res.body.companies[0]).toMatchObject({ id: alice.eventCompanyId, inviteCode: null, members: [{ displayName: 'Alice' }] });
    expect(res.body.others).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(bob.userId);
    expectError(await otherFacilitator.get(`/api/events/${event.id}/members`), 403);
    expectError(await anonymous().get(`/api/events/${event.id}/members`), 401);
    expectError(await facilitator.get('/api/events/nope/members'), 400, /^リンクが正しくありません/);
  });
});

describe('DELETE /api/events/:eventId/members/:userId', () => {
  it('only facilitators of the event remove; facilitators cannot be removed; a non-member is 404', async () => {
    const { event, alice, bob } = await cast();
    expectError(await alice.client.delete(`/api/events/${event.id}/members/${bob.userId}`), 403, /Facilitators only/);
    expectError(await otherFacilitator.delete(`/api/events/${event.id}/members/${bob.userId}`), 403);
    expectError(await anonymous().delete(`/api/events/${event.id}/members/${bob.userId}`), 401);
    const me = (await facilitator.get('/api/auth/me')).body.id as string;
    expectError(await facilitator.delete(`/api/events/${event.id}/members/${me}`), 409, /Facilitators cannot be removed/);
    expectError(await facilitator.delete(`/api/events/${event.id}/members/${crypto.randomUUID()}`), 404);
    expectError(await facilitator.delete(`/api/events/${event.id}/members/not-a-uuid`), 400);
    expect(await memberCount(event.id)).toBe(3);
  });

  it('removes the membership: the removed person loses the event, its documents and its control channel at once', async () => {
    const { event, alice, bob } = await cast();
    expect(await upgradeStatus(sheetDocName(bob.eventCompanyId), bob.client.cookie)).toBe(101);
    const res = await facilitator.delete(`/api/events/${event.id}/members/${bob.userId}`);
    expect(res.status).toBe(204);
    expectError(await bob.client.get(`/api/events/${event.id}`), 403);
    expect((await bob.client.get('/api/events')).body).toEqual([]);
    expect(await upgradeStatus(sheetDocName(bob.eventCompanyId), bob.client.cookie)).toBe(403);
    expect(await upgradeStatus(sheetDocName(alice.eventCompanyId), bob.client.cookie)).toBe(403);
    const members = (await facilitator.get(`/api/events/${event.id}/members`)).body;
    expect(JSON.stringify(members)).not.toContain(bob.userId);
    // The company stays (its worksheet is the company's, not the person's).
    expect(members.companies.map((c: { name: string }) => c.name)).toContain('みどり本舗');
    // Removing again: no longer a member.
    expectError(await facilitator.delete(`/api/events/${event.id}/members/${bob.userId}`), 404);
  });

  it('a removed participant may come back only through the join rules: while locked that is a request', async () => {
    const { event, bob } = await cast();
    expect((await facilitator.delete(`/api/events/${event.id}/members/${bob.userId}`)).status).toBe(204);
    await lock(event.id);
    const again = await bob.client.post('/api/join', { code: event.joinCode, displayName: 'Bob', eventCompanyId: bob.eventCompanyId });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ pending: true, eventCompanyId: bob.eventCompanyId, user: { id: bob.userId } });
    expectError(await bob.client.get(`/api/events/${event.id}`), 403);
  });
});

describe('PATCH /api/events/:eventId (companies lock)', () => {
  it('facilitators only; the body is validated and unknown fields refused', async () => {
    const { event, alice } = await cast();
    expectError(await alice.client.patch(`/api/events/${event.id}`, { companiesLocked: true }), 403, /Facilitators only/);
    expectError(await otherFacilitator.patch(`/api/events/${event.id}`, { companiesLocked: true }), 403);
    expectError(await anonymous().patch(`/api/events/${event.id}`, { companiesLocked: true }), 401);
    expectError(await facilitator.patch(`/api/events/${event.id}`, {}), 400, /^受付の締め切りを入力してください/);
    expectError(await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: 'yes' }), 400);
    expectError(await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true, title: 'x' }), 400, /additional properties/i);
    expect((await facilitator.get(`/api/events/${event.id}`)).body.companiesLocked).toBe(false);
  });

  it('is shown in the event, the members list and the public join info', async () => {
    const { event, alice } = await cast();
    await lock(event.id);
    expect((await facilitator.get(`/api/events/${event.id}`)).body.companiesLocked).toBe(true);
    expect((await alice.client.get(`/api/events/${event.id}`)).body.companiesLocked).toBe(true);
    expect((await facilitator.get(`/api/events/${event.id}/members`)).body.companiesLocked).toBe(true);
    expect((await anonymous().get(`/api/join/${event.joinCode}`)).body).toMatchObject({ companiesLocked: true, invitedCompanyId: null });
  });

  it('while locked, joining with the event code cannot create a company (403, nothing created)', async () => {
    const { event } = await cast();
    await lock(event.id);
    const [usersBefore] = await testServer.server.app.db.select({ n: count() }).from(users);
    const res = await anonymous().post('/api/join', { code: event.joinCode, displayName: 'Mallory', companyName: '新規参入株式会社' });
    expectError(res, 403, /no new companies/);
    expect(res.body.message).toMatch(/締め切って/);
    const [usersAfter] = await testServer.server.app.db.select({ n: count() }).from(users);
    expect(usersAfter!.n).toBe(usersBefore!.n);
    expect(await testServer.server.app.db.select().from(companies).where(eq(companies.name, '新規参入株式会社'))).toEqual([]);
    // Unlocked again, the same join works.
    await lock(event.id, false);
    expect((await anonymous().post('/api/join', { code: event.joinCode, displayName: 'Mallory', companyName: '新規参入株式会社' })).status).toBe(201);
  });

  it('a member rejoining their own company from the same browser is always let back in', async () => {
    const { event, alice } = await cast();
    await lock(event.id);
    const res = await alice.client.post('/api/join', { code: event.joinCode, displayName: 'Alice', eventCompanyId: alice.eventCompanyId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ eventCompanyId: alice.eventCompanyId, user: { id: alice.userId } });
  });
});

describe('join requests while locked', () => {
  it('joining an existing company (by id or by name) waits for approval: 202, no membership, no documents', async () => {
    const { event, alice, bob } = await cast();
    await lock(event.id);
    const mallory = anonymous();
    const res = await mallory.post('/api/join', { code: event.joinCode, displayName: 'Mallory', eventCompanyId: alice.eventCompanyId });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      pending: true,
      requestId: expect.any(String),
      eventId: event.id,
      eventCompanyId: alice.eventCompanyId,
      companyName: '青空通販',
      user: expect.objectContaining({ displayName: 'Mallory', kind: 'participant' }),
      reason: 'locked',
    });
    expect(mallory.cookie).toBeDefined();
    expect(await memberCount(event.id)).toBe(3);
    expectError(await mallory.get(`/api/events/${event.id}`), 403);
    expect(await upgradeStatus(sheetDocName(alice.eventCompanyId), mallory.cookie)).toBe(403);
    expect(await upgradeStatus(sheetDocName(bob.eventCompanyId), mallory.cookie)).toBe(403);
    // Their own request, and nobody else's.
    const state = await mallory.get(`/api/join/requests/${res.body.requestId}`);
    expect(state.body).toEqual({ id: res.body.requestId, status: 'pending', eventId: event.id, eventCompanyId: alice.eventCompanyId, companyName: '青空通販' });
    expectError(await alice.client.get(`/api/join/requests/${res.body.requestId}`), 404);
    expectError(await anonymous().get(`/api/join/requests/${res.body.requestId}`), 401);

    // By name (any case) is the same as picking the company.
    const byName = await anonymous().post('/api/join', { code: event.joinCode, displayName: 'Eve', companyName: 'みどり本舗' });
    expect(byName.status).toBe(202);
    expect(byName.body.eventCompanyId).toBe(bob.eventCompanyId);
  });

  it('facilitators list, approve and reject; participants and other facilitators cannot', async () => {
    const { event, alice, bob } = await cast();
    await lock(event.id);
    const mallory = anonymous();
    const asked = (await mallory.post('/api/join', { code: event.joinCode, displayName: 'Mallory', eventCompanyId: alice.eventCompanyId })).body;
    const eve = anonymous();
    const eveAsked = (await eve.post('/api/join', { code: event.joinCode, displayName: 'Eve', eventCompanyId: bob.eventCompanyId })).body;

    const list = await facilitator.get(`/api/events/${event.id}/join-requests`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: asked.requestId, userId: asked.user.id, displayName: 'Mallory', eventCompanyId: alice.eventCompanyId, companyName: '青空通販', createdAt: expect.any(String) },
      { id: eveAsked.requestId, userId: eveAsked.user.id, displayName: 'Eve', eventCompanyId: bob.eventCompanyId, companyName: 'みどり本舗', createdAt: expect.any(String) },
    ]);
    for (const client of [alice.client, mallory]) {
      expectError(await client.get(`/api/events/${event.id}/join-requests`), 403);
      expectError(await client.post(`/api/events/${event.id}/join-requests/${asked.requestId}/approve`), 403);
      expectError(await client.post(`/api/events/${event.id}/join-requests/${asked.requestId}/reject`), 403);
    }
    expectError(await otherFacilitator.post(`/api/events/${event.id}/join-requests/${asked.requestId}/approve`), 403);
    expectError(await facilitator.post(`/api/events/${event.id}/join-requests/${crypto.randomUUID()}/approve`), 404);
    expectError(await facilitator.post(`/api/events/${event.id}/join-requests/nope/approve`), 400);
    // A request of another event is not found through this one.
    const other = await createEvent(facilitator, '別イベント');
    expectError(await facilitator.post(`/api/events/${other.id}/join-requests/${asked.requestId}/approve`), 404);
    expect(await upgradeStatus(sheetDocName(alice.eventCompanyId), mallory.cookie)).toBe(403);

    // Approve Mallory: a member of 青空通販, with write access to its worksheet.
    expect((await facilitator.post(`/api/events/${event.id}/join-requests/${asked.requestId}/approve`)).status).toBe(204);
    expect((await mallory.get(`/api/join/requests/${asked.requestId}`)).body.status).toBe('approved');
    expect((await mallory.get(`/api/events/${event.id}`)).body).toMatchObject({ role: 'participant', myEventCompanyId: alice.eventCompanyId });
    expect(await upgradeStatus(sheetDocName(alice.eventCompanyId), mallory.cookie)).toBe(101);
    expectError(await facilitator.post(`/api/events/${event.id}/join-requests/${asked.requestId}/approve`), 409, /already decided/);

    // Reject Eve: still nobody.
    expect((await facilitator.post(`/api/events/${event.id}/join-requests/${eveAsked.requestId}/reject`)).status).toBe(204);
    expect((await eve.get(`/api/join/requests/${eveAsked.requestId}`)).body.status).toBe('rejected');
    expectError(await eve.get(`/api/events/${event.id}`), 403);
    expect(await upgradeStatus(sheetDocName(bob.eventCompanyId), eve.cookie)).toBe(403);
    expect((await facilitator.get(`/api/events/${event.id}/join-requests`)).body).toEqual([]);
    // Asking again makes a pending request again, under a new id: a decided one is never reopened
    // under the id a facilitator's list showed (join-request-swap.test.ts).
    const retry = await eve.post('/api/join', { code: event.joinCode, displayName: 'Eve', eventCompanyId: bob.eventCompanyId });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ requestId: expect.any(String), user: { id: eveAsked.user.id } });
    expect(retry.body.requestId).not.toBe(eveAsked.requestId);
    expect((await facilitator.get(`/api/events/${event.id}/join-requests`)).body).toEqual([expect.objectContaining({ id: retry.body.requestId, companyName: 'みどり本舗' })]);
  });
});

describe('every new write refuses a foreign or missing Origin, even with a facilitator session', () => {
  it('changes nothing', async () => {
    const { event, alice, bob } = await cast('Origin');
    await lock(event.id);
    const asked = (await anonymous().post('/api/join', { code: event.joinCode, displayName: 'Zed', eventCompanyId: alice.eventCompanyId })).body;
    const writes: Array<[string, string, unknown]> = [
      ['PATCH', `/api/events/${event.id}`, { companiesLocked: false }],
      ['DELETE', `/api/events/${event.id}/members/${bob.userId}`, undefined],
      ['POST', `/api/events/${event.id}/companies/${alice.eventCompanyId}/invite`, undefined],
      ['DELETE', `/api/events/${event.id}/companies/${alice.eventCompanyId}/invite`, undefined],
      ['POST', `/api/events/${event.id}/join-requests/${asked.requestId}/approve`, undefined],
      ['POST', `/api/events/${event.id}/join-requests/${asked.requestId}/reject`, undefined],
    ];
    for (const origin of [null, 'https://evil.example']) {
      const foreign = new ApiClient(testServer.server.origin, { origin });
      foreign.cookie = facilitator.cookie;
      for (const [method, path, body] of writes) expectError(await foreign.request(method, path, body), 403, /Origin/);
    }
    const members = (await facilitator.get(`/api/events/${event.id}/members`)).body;
    expect(members.companiesLocked).toBe(true);
    expect(JSON.stringify(members)).toContain(bob.userId);
    expect(members.companies.every((c: { inviteCode: string | null }) => c.inviteCode === null)).toBe(true);
    expect((await facilitator.get(`/api/events/${event.id}/join-requests`)).body).toHaveLength(1);
  });
});

describe('per-company invite codes', () => {
  it('facilitators create, rotate and revoke; participants cannot; a company of another event is 404', async () => {
    const { event, alice } = await cast();
    const path = `/api/events/${event.id}/companies/${alice.eventCompanyId}/invite`;
    expectError(await alice.client.post(path), 403, /Facilitators only/);
    expectError(await alice.client.delete(path), 403);
    expectError(await otherFacilitator.post(path), 403);
    const other = await cast('別の会');
    expectError(await facilitator.post(`/api/events/${event.id}/companies/${other.alice.eventCompanyId}/invite`), 404);

    const first = await facilitator.post(path);
    expect(first.status).toBe(200);
    expect(first.body.inviteCode).toMatch(/^[A-Z2-9]{12}$/);
    const members = (await facilitator.get(`/api/events/${event.id}/members`)).body;
    expect(members.companies.find((c: { id: string }) => c.id === alice.eventCompanyId).inviteCode).toBe(first.body.inviteCode);
    expect((await alice.client.get(`/api/events/${event.id}/members`)).body.companies[0].inviteCode).toBeNull();

    const second = await facilitator.post(path);
    expect(second.body.inviteCode).not.toBe(first.body.inviteCode);
    expectError(await anonymous().get(`/api/join/${first.body.inviteCode}`), 404);
    expect((await anonymous().get(`/api/join/${second.body.inviteCode}`)).status).toBe(200);

    expect((await facilitator.delete(path)).body).toEqual({ inviteCode: null });
    expectError(await anonymous().get(`/api/join/${second.body.inviteCode}`), 404);
  });

  it('joins that company directly even while locked, and only that company', async () => {
    const { event, alice, bob } = await cast();
    await lock(event.id);
    const code = (await facilitator.post(`/api/events/${event.id}/companies/${alice.eventCompanyId}/invite`)).body.inviteCode as string;
    const info = await anonymous().get(`/api/join/${formatInviteCode(code).toLowerCase()}`);
    expect(info.body).toEqual({
      eventId: event.id,
      title: '境界テスト',
      date: '2026-12-01',
      companies: [{ id: alice.eventCompanyId, name: '青空通販' }],
      companiesLocked: true,
      invitedCompanyId: alice.eventCompanyId,
    });
    expectError(await anonymous().post('/api/join', { code, displayName: 'Dan', eventCompanyId: bob.eventCompanyId }), 400, /another company/);
    // A name with the invite: told the code already says the company (not about a field never sent).
    const named = await anonymous().post('/api/join', { code, displayName: 'Dan', companyName: '新しい会社' });
    expectError(named, 400, /^companyName: この招待コードは「青空通販」への参加用です。会社名を入力せずに参加してください \/ This invite code joins “青空通販”/);
    expect(named.body.field).toBe('companyName');
    const dan = anonymous();
    const joined = await dan.post('/api/join', { code: formatInviteCode(code), displayName: 'Dan', eventCompanyId: alice.eventCompanyId });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ eventId: event.id, eventCompanyId: alice.eventCompanyId, role: 'participant' });
    expect(await upgradeStatus(sheetDocName(alice.eventCompanyId), dan.cookie)).toBe(101);
  });

  it('closing the event stops invite codes too', async () => {
    const { event, alice } = await cast();
    const code = (await facilitator.post(`/api/events/${event.id}/companies/${alice.eventCompanyId}/invite`)).body.inviteCode as string;
    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);
    // Refused, saying why (the session has ended), rather than as an unknown code.
    expectError(await anonymous().get(`/api/join/${code}`), 410, /has ended/);
    expectError(await anonymous().post('/api/join', { code, displayName: 'Late', eventCompanyId: alice.eventCompanyId }), 410, /has ended/);
    expectError(await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true }), 409, /closed/);
  });
});
