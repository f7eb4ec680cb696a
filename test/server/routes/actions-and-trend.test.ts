// Take-home actions and a company's trend across the sessions of a series (issue 9): actions are
// validated and only the company (and facilitators) see them; open ones are reviewed at the next
// session and carried over; the trend follows the company's scores session by session; another
// company gets 403 from every route, so it never sees the trend or unrevealed scores this way.
import { beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient } from '../../helpers/control-client.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

async function session(title: string, date: string, seriesId: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

async function score(client: ApiClient, eventId: string, eventCompanyId: string, element: string, value: number) {
  const control = await connectControlClient(testServer.server.origin, client.cookie, eventId);
  try {
    expect((await ask(control.socket, 'score:set', { eventId, eventCompanyId, element, value })).ok).toBe(true);
  } finally {
    control.socket.disconnect();
  }
}

describe('take-home actions and trends across a series', () => {
  it('reviews last session\'s open actions, carries one over, and shows the company\'s own trend only to it and its facilitators', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '定例会' })).body.id as string;
    const first = await session('1月', '2026-01-20', seriesId);
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', '株式会社あかね');
    const tanaka = await joinAs(testServer.server.origin, first.joinCode, '田中', 'みどり本舗');
    const companyId = ((await sato.client.get(`/api/events/${first.id}`)).body.companies as Array<{ id: string; companyId: string }>).find(
      (c) => c.id === sato.eventCompanyId,
    )!.companyId;
    const actionsPath = (eventId: string, ec: string) => `/api/events/${eventId}/companies/${ec}/actions`;

    // Validation and ownership.
    expect((await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text: '' })).status).toBe(400);
    expect((await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'bogus', text: 'x' })).status).toBe(400);
    const foreignOwner = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text: 'x', ownerUserId: tanaka.userId });
    expect(foreignOwner.status).toBe(400);
    expect(foreignOwner.body.message).toContain('担当者');
    const made = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text: '紹介率を毎月見る', dueDate: '2026-02-10', sourceCardId: 'card-1' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ element: 'customers', text: '紹介率を毎月見る', ownerUserId: sato.userId, ownerName: '佐藤', dueDate: '2026-02-10', status: 'open', sourceCardId: 'card-1' });
    // The same 気付き made an action again (a second press): refused, nothing added.
    const twice = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text: '紹介率を毎月見る', sourceCardId: 'card-1' });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('すでにアクション');
    const second = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'data', text: 'RFM を試す' });
    // Another company sees and changes none of it.
    expect((await tanaka.client.get(actionsPath(first.id, sato.eventCompanyId))).status).toBe(403);
    expect((await tanaka.client.patch(`/api/actions/${made.body.id}`, { status: 'done' })).status).toBe(403);
    expect((await facilitator.get(actionsPath(first.id, sato.eventCompanyId))).body.actions).toHaveLength(2);

    await score(sato.client, first.id, sato.eventCompanyId, 'customers', 1);
    await score(sato.client, first.id, sato.eventCompanyId, 'data', 2);

    // The next session: last time's open actions come up for review.
    const next = await session('2月', '2026-02-17', seriesId);
    const again = await joinApproved(testServer.server.origin, facilitator, next, '佐藤', '株式会社あかね');
    const review = (await again.client.get(actionsPath(next.id, again.eventCompanyId))).body;
    expect(review.previous.map((a: { text: string }) => a.text).sort()).toEqual(['RFM を試す', '紹介率を毎月見る']);
    expect(review.actions).toEqual([]);
    expect(review.members).toEqual([{ userId: again.userId, displayName: '佐藤' }]);

    const carried = await again.client.post(`/api/actions/${made.body.id}/carry`, { eventCompanyId: again.eventCompanyId });
    expect(carried.status).toBe(201);
    expect(carried.body).toMatchObject({ eventCompanyId: again.eventCompanyId, text: '紹介率を毎月見る', carriedFromActionId: made.body.id, status: 'open' });
    expect((await again.client.post(`/api/actions/${made.body.id}/carry`, { eventCompanyId: again.eventCompanyId })).status).toBe(409);
    expect((await again.client.patch(`/api/actions/${second.body.id}`, { status: 'dropped' })).body.status).toBe('dropped');
    const after = (await again.client.get(actionsPath(next.id, again.eventCompanyId))).body;
    expect(after.previous).toEqual([]);
    expect(after.actions.map((a: { text: string }) => a.text)).toEqual(['紹介率を毎月見る']);
    // Not into another company's session.
    const tanaka2 = await joinApproved(testServer.server.origin, facilitator, next, '田中', 'みどり本舗');
    const third = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'pr', text: '広報を見直す' });
    expect((await again.client.post(`/api/actions/${third.body.id}/carry`, { eventCompanyId: tanaka2.eventCompanyId })).status).toBe(403);

    await score(again.client, next.id, again.eventCompanyId, 'customers', 3);
    await score(again.client, next.id, again.eventCompanyId, 'data', 1);
    const trend = await again.client.get(`/api/companies/${companyId}/trend?seriesId=${seriesId}`);
    expect(trend.status).toBe(200);
    expect(trend.body.sessions.map((s: { title: string }) => s.title)).toEqual(['1月', '2月']);
    const of = (id: string) => trend.body.elements.find((e: { element: string }) => e.element === id);
    expect(of('customers')).toEqual({ element: 'customers', values: [1, 3], change: 2 });
    expect(of('data')).toEqual({ element: 'data', values: [2, 1], change: -1 });
    expect(trend.body.weakest).toEqual(['data']);
    expect((await facilitator.get(`/api/companies/${companyId}/trend`)).body.elements).toEqual(trend.body.elements);

    const sessions = (await again.client.get(`/api/companies/${companyId}/sessions`)).body;
    expect(sessions.company.name).toBe('株式会社あかね');
    expect(sessions.sessions.map((s: { title: string; carriedFromEventId: string | null }) => [s.title, s.carriedFromEventId])).toEqual([
      ['1月', null],
      ['2月', first.id],
    ]);
    // Another company: refused everywhere.
    for (const path of [`/api/companies/${companyId}/trend`, `/api/companies/${companyId}/sessions`, `/api/companies/${companyId}/trend?seriesId=${seriesId}`]) {
      expect((await tanaka2.client.get(path)).status, path).toBe(403);
    }
  });

  it('carries an action once when asked twice at once (409 for the other), keeping its owner if in this session and its due date', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '月例会' })).body.id as string;
    const first = await session('3月', '2026-03-10', seriesId);
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤 一郎', '株式会社さくら');
    const suzuki = await joinAs(testServer.server.origin, first.joinCode, '鈴木', '株式会社さくら');
    expect(suzuki.eventCompanyId).toBe(sato.eventCompanyId);
    const actionsPath = (eventId: string, ec: string) => `/api/events/${eventId}/companies/${ec}/actions`;
    const add = async (body: Record<string, unknown>) => {
      const res = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), body);
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const mine = await add({ element: 'customers', text: '休眠顧客に電話する', dueDate: '2026-04-01' });
    const his = await add({ element: 'data', text: '購買履歴を整理する', ownerUserId: suzuki.userId, dueDate: '2026-03-31' });
    const raced = await add({ element: 'pr', text: 'ニュースレターを出す' });

    // The next session: 佐藤 comes back (the same person), 鈴木 does not (yet).
    const next = await session('4月', '2026-04-14', seriesId);
    const back = await sato.client.post('/api/join', { code: next.joinCode, displayName: '佐藤 一郎', companyName: '株式会社さくら' });
    expect(back.status).toBe(201);
    expect(back.body.user.id).toBe(sato.userId);
    const here = back.body.eventCompanyId as string;
    const carry = (actionId: string) => sato.client.post(`/api/actions/${actionId}/carry`, { eventCompanyId: here });

    // A double click: two carries at once make one copy; the other is refused.
    const both = await Promise.all([carry(mine.id), carry(mine.id)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const copy = both.find((r) => r.status === 201)!.body;
    expect(both.find((r) => r.status === 409)!.body.message).toContain('見直し済み');
    let view = (await sato.client.get(actionsPath(next.id, here))).body;
    expect(view.actions.filter((a: { carriedFromActionId: string | null }) => a.carriedFromActionId === mine.id)).toHaveLength(1);
    expect(view.previous.map((a: { id: string }) => a.id)).not.toContain(mine.id);
    // The copy keeps its owner (a member of the company in this session) and its due date.
    expect(copy).toMatchObject({ eventCompanyId: here, text: '休眠顧客に電話する', status: 'open', ownerUserId: sato.userId, ownerName: '佐藤 一郎', dueDate: '2026-04-01' });
    expect((await sato.client.get(actionsPath(first.id, sato.eventCompanyId))).body.actions.find((a: { id: string }) => a.id === mine.id).status).toBe('carried');
    // Carried is reviewed: it cannot be reopened (and so carried again), nor marked done or dropped.
    expect((await sato.client.patch(`/api/actions/${mine.id}`, { status: 'open' })).status).toBe(409);
    expect((await sato.client.patch(`/api/actions/${mine.id}`, { status: 'done' })).status).toBe(409);
    expect((await carry(mine.id)).status).toBe(409);

    // An owner who is not in this session's company: the copy is unassigned, its due date kept.
    const hisCopy = await carry(his.id);
    expect(hisCopy.status).toBe(201);
    expect(hisCopy.body).toMatchObject({ ownerUserId: null, ownerName: null, dueDate: '2026-03-31', carriedFromActionId: his.id });

    // 引き継ぐ and 完了 at once: one of them wins, and the other is refused.
    const [carried, done] = await Promise.all([carry(raced.id), sato.client.patch(`/api/actions/${raced.id}`, { status: 'done' })]);
    expect([carried.status, done.status]).toEqual(carried.status === 201 ? [201, 409] : [409, 200]);
    view = (await sato.client.get(actionsPath(next.id, here))).body;
    const copies = view.actions.filter((a: { carriedFromActionId: string | null }) => a.carriedFromActionId === raced.id);
    const old = (await sato.client.get(actionsPath(first.id, sato.eventCompanyId))).body.actions.find((a: { id: string }) => a.id === raced.id);
    expect(copies).toHaveLength(carried.status === 201 ? 1 : 0);
    expect(old.status).toBe(carried.status === 201 ? 'carried' : 'done');
  });

  it('a copy carried before its owner joins remembers them and becomes theirs when they join; carried after, theirs at once', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '引き継ぎの会' })).body.id as string;
    const first = await session('6月', '2026-06-09', seriesId);
    const company = `株式会社かえで-${first.id.slice(0, 6)}`;
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤 一郎', company);
    const suzuki = await joinAs(testServer.server.origin, first.joinCode, '鈴木 花子', company);
    const takahashi = await joinAs(testServer.server.origin, first.joinCode, '高橋', company);
    const actionsPath = (eventId: string, ec: string) => `/api/events/${eventId}/companies/${ec}/actions`;
    const add = async (text: string, ownerUserId: string) => {
      const res = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text, ownerUserId });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const before = await add('顧客の声を集める', suzuki.userId);
    const after = await add('解約理由を分類する', suzuki.userId);
    const approved = await add('紹介制度を作る', takahashi.userId);
    const handSet = await add('会員規約を見直す', suzuki.userId);

    // The next session: only 佐藤 is back when the review happens.
    const next = await session('7月', '2026-07-14', seriesId);
    const back = await sato.client.post('/api/join', { code: next.joinCode, displayName: '佐藤 一郎', companyName: company });
    expect(back.status).toBe(201);
    const here = back.body.eventCompanyId as string;
    const carry = async (actionId: string) => {
      const res = await sato.client.post(`/api/actions/${actionId}/carry`, { eventCompanyId: here });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const copyOf = async (id: string) => ((await sato.client.get(actionsPath(next.id, here))).body.actions as Array<Record<string, unknown>>).find((a) => a.id === id)!;

    // Carried before 鈴木 joins: no owner yet, but the previous owner is kept and shown.
    const early = await carry(before.id);
    expect(early).toMatchObject({ ownerUserId: null, ownerName: null, previousOwnerUserId: suzuki.userId, previousOwnerName: '鈴木 花子' });
    const early2 = await carry(handSet.id);
    // The company decides by hand (佐藤 takes it): it no longer waits for 鈴木.
    expect((await sato.client.patch(`/api/actions/${early2.id}`, { ownerUserId: back.body.user.id })).status).toBe(200);
    const early3 = await carry(approved.id);
    expect(early3).toMatchObject({ ownerUserId: null, previousOwnerName: '高橋' });

    // 鈴木 joins the same company from her browser: the copy is hers, and her company is told.
    const control = await connectControlClient(testServer.server.origin, sato.client.cookie, next.id);
    try {
      const joined = await suzuki.client.post('/api/join', { code: next.joinCode, displayName: '鈴木 花子', companyName: company });
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({ eventCompanyId: here, user: { id: suzuki.userId } });
      expect(await copyOf(early.id)).toMatchObject({ ownerUserId: suzuki.userId, ownerName: '鈴木 花子' });
      expect(await copyOf(early2.id)).toMatchObject({ ownerUserId: sato.userId });
      await eventually(() => expect(control.frames.some(([e, p]) => e === 'actions:changed' && p.eventCompanyId === here)).toBe(true));
    } finally {
      control.socket.disconnect();
    }

    // Carried after she joined: hers at once.
    expect(await carry(after.id)).toMatchObject({ ownerUserId: suzuki.userId, ownerName: '鈴木 花子', previousOwnerUserId: suzuki.userId });

    // 高橋 comes once the companies are locked: his join waits for approval, and the approval
    // gives him the copy carried for him.
    expect((await facilitator.patch(`/api/events/${next.id}`, { companiesLocked: true })).status).toBe(200);
    const asked = await takahashi.client.post('/api/join', { code: next.joinCode, displayName: '高橋', companyName: company });
    expect(asked.status).toBe(202);
    expect(await copyOf(early3.id)).toMatchObject({ ownerUserId: null });
    expect((await facilitator.post(`/api/events/${next.id}/join-requests/${asked.body.requestId}/approve`)).status).toBe(204);
    expect(await copyOf(early3.id)).toMatchObject({ ownerUserId: takahashi.userId, ownerName: '高橋' });
  });

  it('carries only forward along the series: never into an earlier session, the same one, or one outside the series', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '隔月会' })).body.id as string;
    const may = await session('5月', '2026-05-12', seriesId);
    const july = await session('7月', '2026-07-14', seriesId);
    // Two sessions on one day: the one created later comes later.
    const julyEvening = await session('7月 夜の部', '2026-07-14', seriesId);
    const standalone = await facilitator.post('/api/events', { title: '単発の会', date: '2026-09-01' });
    const outside = (await facilitator.get(`/api/events/${standalone.body.id}`)).body as { id: string; joinCode: string };
    const kato = await joinAs(testServer.server.origin, may.joinCode, '加藤', '株式会社つばめ');
    const seat = async (target: { joinCode: string }) => {
      const res = await kato.client.post('/api/join', { code: target.joinCode, displayName: '加藤', companyName: '株式会社つばめ' });
      expect(res.status).toBe(201);
      return res.body.eventCompanyId as string;
    };
    const atMay = kato.eventCompanyId;
    const [atJuly, atEvening, atOutside] = [await seat(july), await seat(julyEvening), await seat(outside)];
    const add = async (eventId: string, ec: string, text: string) => {
      const res = await kato.client.post(`/api/events/${eventId}/companies/${ec}/actions`, { element: 'data', text });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const carry = (actionId: string, eventCompanyId: string) => kato.client.post(`/api/actions/${actionId}/carry`, { eventCompanyId });
    const actionsOf = async (eventId: string, ec: string) => (await kato.client.get(`/api/events/${eventId}/companies/${ec}/actions`)).body.actions as Array<{ id: string; status: string }>;

    // Back in time: refused, saying why; nothing is copied and the action stays open for its review.
    const julyAction = await add(july.id, atJuly, '7月に決めたこと');
    const back = await carry(julyAction, atMay);
    expect(back.status).toBe(409);
    expect(back.body.message).toBe(
      'eventCompanyId: 引き継げるのは、このアクションの回より後の回だけです / An action can only be carried into a later session than its own',
    );
    expect(await actionsOf(may.id, atMay)).toEqual([]);
    expect((await actionsOf(july.id, atJuly)).map((a) => a.status)).toEqual(['open']);
    // The same day: only into the session created after it.
    const eveningAction = await add(julyEvening.id, atEvening, '夜の部で決めたこと');
    expect((await carry(eveningAction, atJuly)).status).toBe(409);
    // Into itself, and into a session outside the series (even a later one).
    expect((await carry(julyAction, atJuly)).status).toBe(400);
    const away = await carry(julyAction, atOutside);
    expect(away.status).toBe(409);
    expect(away.body.message).toMatch(/同じシリーズ.* \/ .*same series/);
    expect(await actionsOf(outside.id, atOutside)).toEqual([]);

    // Forward works: May into July, and July into the evening session of the same day.
    expect((await carry(await add(may.id, atMay, '5月に決めたこと'), atJuly)).status).toBe(201);
    expect((await carry(julyAction, atEvening)).status).toBe(201);
  });
});

describe('reviewing last session\'s actions together', () => {
  it('marking one done in the earlier session tells the company in the next session at once', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '見直しの会' })).body.id as string;
    const first = await session('8月', '2026-08-04', seriesId);
    const company = `株式会社すずらん-${first.id.slice(0, 6)}`;
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', company);
    const made = await sato.client.post(`/api/events/${first.id}/companies/${sato.eventCompanyId}/actions`, { element: 'brand', text: 'ロゴを揃える' });
    expect(made.status).toBe(201);
    const next = await session('9月', '2026-09-08', seriesId);
    const back = await sato.client.post('/api/join', { code: next.joinCode, displayName: '佐藤', companyName: company });
    expect(back.status).toBe(201);
    // A colleague's board in the next session listens for its company's actions.
    const control = await connectControlClient(testServer.server.origin, sato.client.cookie, next.id);
    try {
      expect((await sato.client.patch(`/api/actions/${made.body.id}`, { status: 'done' })).status).toBe(200);
      await eventually(() =>
        expect(control.frames.some(([e, p]) => e === 'actions:changed' && p.eventId === next.id && p.eventCompanyId === back.body.eventCompanyId)).toBe(true),
      );
    } finally {
      control.socket.disconnect();
    }
  });
});
