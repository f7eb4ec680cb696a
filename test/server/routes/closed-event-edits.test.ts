// What stays writable once an event is closed. Its take-home actions: only their status (the next
// session's review marks them done or dropped, or carries them); text, owner and due date are
// refused (a participant had edited the text after closing: 200, while adding one was 409). An
// assessment filed under it: read-only, votes and answers alike (as filing a new one there is).
import { beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import type { ApiClient } from '../../helpers/api-client.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

const actionsPath = (eventId: string, eventCompanyId: string) => `/api/events/${eventId}/companies/${eventCompanyId}/actions`;
const put = (client: ApiClient, path: string, body: unknown) => client.request('PUT', path, body);

function expectClosed(res: { status: number; body: any }) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body).toMatchObject({ statusCode: 409, rule: 'event-closed' });
  expect(res.body.message).toMatch(/終了して.* \/ This session is closed/);
}

async function session(title: string, date: string, seriesId: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

describe('take-home actions of a closed event', () => {
  it('refuse text, owner and due-date edits (409) but take status changes, the next session’s review included', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '定例会' })).body.id as string;
    const first = await session('1月', '2026-01-20', seriesId);
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', '株式会社あかね');
    const add = async (text: string) => {
      const res = await sato.client.post(actionsPath(first.id, sato.eventCompanyId), { element: 'customers', text, dueDate: '2026-02-10' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const [edited, reviewed, carried] = [await add('紹介率を毎月見る'), await add('RFM を試す'), await add('休眠客に電話する')];
    // While open, the text may change.
    expect((await sato.client.patch(`/api/actions/${edited}`, { text: '紹介率を毎週見る' })).status).toBe(200);
    expect((await facilitator.post(`/api/events/${first.id}/close`)).status).toBe(200);

    for (const change of [{ text: 'edited after close', status: 'done' }, { text: '書き換え' }, { ownerUserId: null }, { dueDate: '2026-03-01' }]) {
      expectClosed(await sato.client.patch(`/api/actions/${edited}`, change));
    }
    expectClosed(await facilitator.patch(`/api/actions/${edited}`, { text: '進行役の書き換え' }));
    const kept = (await facilitator.get(actionsPath(first.id, sato.eventCompanyId))).body.actions.find((a: { id: string }) => a.id === edited);
    expect(kept).toMatchObject({ text: '紹介率を毎週見る', status: 'open', ownerUserId: sato.userId, dueDate: '2026-02-10' });

    // The next session reviews last time's actions: done, dropped, reopened, or carried over.
    const next = await session('2月', '2026-02-17', seriesId);
    const again = await joinApproved(testServer.server.origin, facilitator, next, '佐藤', '株式会社あかね');
    const review = (await again.client.get(actionsPath(next.id, again.eventCompanyId))).body;
    expect(review.previous.map((a: { id: string }) => a.id).sort()).toEqual([edited, reviewed, carried].sort());
    expect((await again.client.patch(`/api/actions/${edited}`, { status: 'done' })).body.status).toBe('done');
    expect((await again.client.patch(`/api/actions/${reviewed}`, { status: 'dropped' })).body.status).toBe('dropped');
    expect((await again.client.patch(`/api/actions/${reviewed}`, { status: 'open' })).body.status).toBe('open');
    expect((await again.client.patch(`/api/actions/${reviewed}`, { status: 'dropped' })).status).toBe(200);
    expect((await again.client.post(`/api/actions/${carried}/carry`, { eventCompanyId: again.eventCompanyId })).status).toBe(201);
    expect((await again.client.get(actionsPath(next.id, again.eventCompanyId))).body.previous).toEqual([]);
    // The next session's own actions are edited as before.
    const own = (await again.client.get(actionsPath(next.id, again.eventCompanyId))).body.actions[0] as { id: string };
    expect((await again.client.patch(`/api/actions/${own.id}`, { text: '休眠客に電話する（続き）' })).status).toBe(200);
  });
});

describe('an assessment filed under a closed event', () => {
  it('is read-only: votes and answers 409, while one on its own stays writable', async () => {
    const event = await createEvent(facilitator, 'アセスメントの回');
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', '青空通販');
    const companyId = ((await facilitator.get(`/api/events/${event.id}`)).body.companies as Array<{ id: string; companyId: string }>).find(
      (c) => c.id === alice.eventCompanyId,
    )!.companyId;
    const template = await facilitator.post('/api/assessment-templates', {
      title: '実践度チェック',
      categories: [{ id: 'purpose', title: 'CRM導入の目的', questions: [{ id: 'q-1', text: '目的を言葉にしている', maxPoints: 3 }] }],
    });
    expect(template.status).toBe(201);
    const filed = await alice.client.post(`/api/companies/${companyId}/assessments`, { templateId: template.body.id, eventId: event.id });
    expect(filed.status).toBe(201);
    const onItsOwn = await alice.client.post(`/api/companies/${companyId}/assessments`, { templateId: template.body.id });
    expect(onItsOwn.status).toBe(201);
    const path = (id: string, kind: 'votes' | 'answers') => `/api/assessments/${id}/${kind}/q-1`;

    expect((await put(alice.client, path(filed.body.id, 'votes'), { value: 2 })).status).toBe(200);
    expect((await put(alice.client, path(filed.body.id, 'answers'), { value: 2 })).status).toBe(200);
    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);

    expectClosed(await put(alice.client, path(filed.body.id, 'answers'), { value: 3 }));
    expectClosed(await put(alice.client, path(filed.body.id, 'answers'), { value: null }));
    expectClosed(await put(facilitator, path(filed.body.id, 'answers'), { value: 0 }));
    expectClosed(await put(alice.client, path(filed.body.id, 'votes'), { value: 3 }));
    const kept = (await alice.client.get(`/api/assessments/${filed.body.id}`)).body;
    expect(kept.answers).toEqual({ 'q-1': 2 });
    expect(kept.votes).toEqual([expect.objectContaining({ questionId: 'q-1', value: 2 })]);

    expect((await put(alice.client, path(onItsOwn.body.id, 'votes'), { value: 3 })).status).toBe(200);
    expect((await put(alice.client, path(onItsOwn.body.id, 'answers'), { value: 3 })).body.answers).toEqual({ 'q-1': 3 });
  });
});
