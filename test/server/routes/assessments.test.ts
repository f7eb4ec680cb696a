// The CRM practice assessment over HTTP: template validation and ownership, a company's
// assessments (votes, settled answers, totals with the 4-point question, partly answered ones,
// the trend) and the boundary: another company gets 403 on every route.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { assessmentTemplates } from '../../../server/db/schema.ts';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
let otherFacilitator: ApiClient;
let event: { id: string; joinCode: string };
let alice: ApiClient;
let alice2: ApiClient;
let bob: ApiClient;
let aliceCompany: string;
let bobCompany: string;
let templateId: string;

/** Two categories; q-a2 is worth 4. Max 3 + 4 + 3 + 3 = 13. */
const template = {
  title: '実践度チェック',
  categories: [
    { id: 'purpose', title: 'CRM導入の目的', questions: [{ id: 'q-a1', text: '目的を言葉にしている', maxPoints: 3 }, { id: 'q-a2', text: '目的を全員が知っている', maxPoints: 4 }] },
    { id: 'programmes', title: 'CRM個別プログラムの設計・運用', questions: [{ id: 'q-b1', text: 'ガイドラインがある', maxPoints: 3 }, { id: 'q-b2', text: '効果を確かめている', maxPoints: 3 }] },
  ],
};

const put = (client: ApiClient, path: string, body: unknown) => client.request('PUT', path, body);

function expectStatus(res: { status: number; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  const created = await facilitator.post('/api/facilitators', { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' });
  expectStatus(created, 201);
  otherFacilitator = await setupFacilitator(testServer.server.origin, { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' });
  event = await createEvent(facilitator, 'アセスメント');
  const a = await joinAs(testServer.server.origin, event.joinCode, 'Alice', '青空通販');
  const a2 = await joinAs(testServer.server.origin, event.joinCode, 'Aiko', '青空通販');
  const b = await joinAs(testServer.server.origin, event.joinCode, 'Bob', 'みどり本舗');
  alice = a.client;
  alice2 = a2.client;
  bob = b.client;
  const detail = await facilitator.get(`/api/events/${event.id}`);
  aliceCompany = detail.body.companies.find((c: any) => c.name === '青空通販').companyId;
  bobCompany = detail.body.companies.find((c: any) => c.name === 'みどり本舗').companyId;
  const res = await facilitator.post('/api/assessment-templates', template);
  expectStatus(res, 201);
  templateId = res.body.id;
});

describe('templates', () => {
  it('reads titles stored before they had to be one line as one line, so the editor can save them back', async () => {
    const created = await facilitator.post('/api/assessment-templates', template);
    expectStatus(created, 201);
    const body = structuredClone(template);
    body.categories[0]!.title = 'CRM導入の\n目的';
    await testServer.server.app.db
      .update(assessmentTemplates)
      .set({ title: '実践度\r\nチェック', body: { categories: body.categories as never } })
      .where(eq(assessmentTemplates.id, created.body.id));

    const read = await facilitator.get(`/api/assessment-templates/${created.body.id}`);
    expectStatus(read, 200);
    expect(read.body.title).toBe('実践度 チェック');
    expect(read.body.categories[0].title).toBe('CRM導入の 目的');
    expectStatus(await put(facilitator, `/api/assessment-templates/${created.body.id}`, { title: read.body.title, categories: read.body.categories }), 200);
  });

  it('the starter has the six categories and only the known category-5 questions', async () => {
    const res = await facilitator.get('/api/assessment-templates/starter');
    expectStatus(res, 200);
    expect(res.body.categories).toHaveLength(6);
    expect(res.body.categories.map((c: any) => c.questions.length)).toEqual([0, 0, 0, 0, 8, 0]);
    // A starter saved as is is a valid template (the facilitator fills in the rest later).
    expectStatus(await facilitator.post('/api/assessment-templates', res.body), 201);
  });

  it('refuses a second 4-point question, blank texts, duplicate ids, unknown fields and bad points', async () => {
    const two = structuredClone(template);
    two.categories[1]!.questions[0]!.maxPoints = 4;
    let res = await facilitator.post('/api/assessment-templates', two);
    expectStatus(res, 400);
    expect(res.body).toMatchObject({ rule: 'several-4-point', field: 'categories' });
    expect(res.body.message).toMatch(/4点の質問は1つだけ/);

    const blank = structuredClone(template);
    blank.categories[0]!.questions[0]!.text = '   ';
    res = await facilitator.post('/api/assessment-templates', blank);
    expectStatus(res, 400);
    expect(res.body).toMatchObject({ rule: 'empty', field: 'categories[0].questions[0].text' });

    const dup = structuredClone(template);
    dup.categories[1]!.questions[0]!.id = 'q-a1';
    expect((await facilitator.post('/api/assessment-templates', dup)).body.rule).toBe('duplicate-id');

    expectStatus(await facilitator.post('/api/assessment-templates', { ...template, extra: 1 }), 400);
    const stray = structuredClone(template) as any;
    stray.categories[0].questions[0].weight = 2;
    expectStatus(await facilitator.post('/api/assessment-templates', stray), 400);
    const five = structuredClone(template) as any;
    five.categories[0].questions[0].maxPoints = 5;
    expectStatus(await facilitator.post('/api/assessment-templates', five), 400);
  });

  it('belong to their owner: participants and other facilitators cannot read or edit them', async () => {
    expectStatus(await bob.get('/api/assessment-templates'), 403);
    expectStatus(await bob.post('/api/assessment-templates', template), 403);
    expectStatus(await put(alice, `/api/assessment-templates/${templateId}`, template), 403);
    expectStatus(await otherFacilitator.get(`/api/assessment-templates/${templateId}`), 403);
    expectStatus(await put(otherFacilitator, `/api/assessment-templates/${templateId}`, template), 403);
    expectStatus(await otherFacilitator.delete(`/api/assessment-templates/${templateId}`), 403);
    expectStatus(await new ApiClient(testServer.server.origin).get('/api/assessment-templates'), 401);
    const mine = await facilitator.get('/api/assessment-templates');
    expect(mine.body.map((t: any) => t.id)).toContain(templateId);
    expect((await otherFacilitator.get('/api/assessment-templates')).body).toEqual([]);
  });

  it('the owner edits and deletes', async () => {
    const created = await facilitator.post('/api/assessment-templates', { ...template, title: '消す' });
    const edited = await put(facilitator, `/api/assessment-templates/${created.body.id}`, { ...template, title: '直した' });
    expectStatus(edited, 200);
    expect(edited.body.title).toBe('直した');
    expectStatus(await facilitator.delete(`/api/assessment-templates/${created.body.id}`), 204);
    expectStatus(await facilitator.get(`/api/assessment-templates/${created.body.id}`), 404);
  });
});

describe('a company fills an assessment', () => {
  let assessmentId: string;

  it('members start one from their facilitator’s template, inside the session', async () => {
    const list = await alice.get(`/api/companies/${aliceCompany}/assessments`);
    expectStatus(list, 200);
    expect(list.body.templates.map((t: any) => t.id)).toContain(templateId);
    expect(list.body.templates.find((t: any) => t.id === templateId)).toMatchObject({ questions: 4, max: 13 });
    const res = await alice.post(`/api/companies/${aliceCompany}/assessments`, { templateId, eventId: event.id });
    expectStatus(res, 201);
    assessmentId = res.body.id;
    expect(res.body.result.total).toEqual({ points: 0, max: 13, answeredMax: 0, answered: 0, questions: 4 });
  });

  it('members vote, the company settles; a partly answered assessment shows both maxima', async () => {
    expectStatus(await put(alice, `/api/assessments/${assessmentId}/votes/q-a2`, { value: 3 }), 200);
    const voted = await put(alice2, `/api/assessments/${assessmentId}/votes/q-a2`, { value: 2 });
    expect(voted.body.votes.map((v: any) => [v.displayName, v.value])).toEqual([['Alice', 3], ['Aiko', 2]]);
    // Votes alone settle nothing.
    expect(voted.body.result.total.answered).toBe(0);

    await put(alice, `/api/assessments/${assessmentId}/answers/q-a2`, { value: 3 });
    const res = await put(alice2, `/api/assessments/${assessmentId}/answers/q-b1`, { value: 1 });
    expectStatus(res, 200);
    expect(res.body.answers).toEqual({ 'q-a2': 3, 'q-b1': 1 });
    // 完全に達成 on the 4-point question earns 4.
    expect(res.body.result.categories[0]).toMatchObject({ points: 4, answeredMax: 4, max: 7, answered: 1, questions: 2 });
    expect(res.body.result.total).toEqual({ points: 5, max: 13, answeredMax: 7, answered: 2, questions: 4 });
    expect(res.body.weakest.categories).toEqual(['programmes']);
    expect(res.body.weakest.questions.map((q: any) => q.questionId)).toEqual(['q-b1']);
  });

  it('settling again replaces the answer; null unsettles; the facilitator may settle but not vote', async () => {
    await put(facilitator, `/api/assessments/${assessmentId}/answers/q-a1`, { value: 2 });
    await put(alice, `/api/assessments/${assessmentId}/answers/q-b1`, { value: 2 });
    let res = await put(alice, `/api/assessments/${assessmentId}/answers/q-b2`, { value: 0 });
    expect(res.body.result.total).toEqual({ points: 2 + 4 + 2 + 0, max: 13, answeredMax: 13, answered: 4, questions: 4 });
    res = await put(alice, `/api/assessments/${assessmentId}/answers/q-b2`, { value: null });
    expect(res.body.answers).toEqual({ 'q-a1': 2, 'q-a2': 3, 'q-b1': 2 });
    await put(alice, `/api/assessments/${assessmentId}/answers/q-b2`, { value: 0 });
    expectStatus(await put(facilitator, `/api/assessments/${assessmentId}/votes/q-a1`, { value: 2 }), 403);
  });

  it('refuses values outside the four meanings, unknown fields and unknown questions', async () => {
    expectStatus(await put(alice, `/api/assessments/${assessmentId}/answers/q-a1`, { value: 4 }), 400);
    expectStatus(await put(alice, `/api/assessments/${assessmentId}/answers/q-a1`, { value: 1.5 }), 400);
    expectStatus(await put(alice, `/api/assessments/${assessmentId}/answers/q-a1`, { value: 1, by: 'x' }), 400);
    expectStatus(await put(alice, `/api/assessments/${assessmentId}/votes/q-zz`, { value: 1 }), 404);
    expectStatus(await alice.post(`/api/companies/${aliceCompany}/assessments`, { templateId, eventId: event.id, extra: true }), 400);
  });

  it('another company gets 403 on every route; so does a facilitator of another event', async () => {
    for (const stranger of [bob, otherFacilitator]) {
      expectStatus(await stranger.get(`/api/companies/${aliceCompany}/assessments`), 403);
      expectStatus(await stranger.post(`/api/companies/${aliceCompany}/assessments`, { templateId }), 403);
      expectStatus(await stranger.get(`/api/assessments/${assessmentId}`), 403);
      expectStatus(await put(stranger, `/api/assessments/${assessmentId}/votes/q-a1`, { value: 0 }), 403);
      expectStatus(await put(stranger, `/api/assessments/${assessmentId}/answers/q-a1`, { value: 0 }), 403);
    }
    // An assessment that does not exist looks the same as someone else's.
    expectStatus(await bob.get('/api/assessments/00000000-0000-4000-8000-000000000000'), 403);
    // Bob cannot file Alice's company under the event either, nor his own with a foreign template.
    const otherTemplate = await otherFacilitator.post('/api/assessment-templates', template);
    expectStatus(await bob.post(`/api/companies/${bobCompany}/assessments`, { templateId: otherTemplate.body.id }), 404);
    const unchanged = await alice.get(`/api/assessments/${assessmentId}`);
    expect(unchanged.body.answers).toEqual({ 'q-a1': 2, 'q-a2': 3, 'q-b1': 2, 'q-b2': 0 });
    const bobsList = await bob.get(`/api/companies/${bobCompany}/assessments`);
    expect(bobsList.body.assessments).toEqual([]);
  });

  it('a second assessment on its own shows the trend per category', async () => {
    const res = await alice.post(`/api/companies/${aliceCompany}/assessments`, { templateId });
    expectStatus(res, 201);
    expect(res.body.eventId).toBeNull();
    const id = res.body.id;
    for (const [q, v] of [['q-a1', 3], ['q-a2', 3], ['q-b1', 2], ['q-b2', 2]] as const) await put(alice, `/api/assessments/${id}/answers/${q}`, { value: v });
    const list = await alice.get(`/api/companies/${aliceCompany}/assessments`);
    expect(list.body.assessments.map((a: any) => a.total.points)).toEqual([8, 11]);
    expect(list.body.trend).toHaveLength(2);
    expect(list.body.trend[1].change).toEqual({ total: 3, categories: { purpose: 1, programmes: 2 } });
    const facilitatorView = await facilitator.get(`/api/companies/${aliceCompany}/assessments`);
    expectStatus(facilitatorView, 200);
    expect(facilitatorView.body.companyName).toBe('青空通販');
  });

  it('a template edited later leaves past assessments as they were', async () => {
    const edited = structuredClone(template);
    edited.categories[0]!.questions.pop();
    expectStatus(await put(facilitator, `/api/assessment-templates/${templateId}`, edited), 200);
    const list = await alice.get(`/api/companies/${aliceCompany}/assessments`);
    expect(list.body.assessments.map((a: any) => a.total.max)).toEqual([13, 13]);
  });
});
