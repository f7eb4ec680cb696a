// Exports (issue 9): a company's report (JSON for the printable page, Markdown, CSV) carries its
// worksheet, cards, scores and actions; another company's score is in it only once revealed to the
// viewer; another company cannot export it; facilitators get every company's scores as CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { events } from '../../../server/db/schema.ts';
import { joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient } from '../../helpers/control-client.ts';
import { connectProvider, whenSynced } from '../../helpers/yjs-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { docCards, newCard, newListItem, sheetDoing } from '../../../shared/protocol/doc-shapes.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

afterAll(async () => {
  for (const p of providers) p.destroy();
});

async function score(client: ApiClient, eventId: string, eventCompanyId: string, value: number) {
  const control = await connectControlClient(testServer.server.origin, client.cookie, eventId);
  try {
    expect((await ask(control.socket, 'score:set', { eventId, eventCompanyId, element: 'customers', value })).ok).toBe(true);
  } finally {
    control.socket.disconnect();
  }
}

async function raw(client: ApiClient, path: string) {
  const res = await fetch(testServer.server.origin + path, { headers: { cookie: client.cookie ?? '' } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Decoded keeping the BOM (res.text() would drop it), so the test sees exactly what Excel gets.
  const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body };
}

describe('exports', () => {
  it('a company\'s report holds its work and only the scores revealed to it; CSV and Markdown downloads; facilitators\' scores CSV', async () => {
    const created = await facilitator.post('/api/events', { title: '交流会, 12月', date: '2026-12-01', kind: 'meetup' });
    const eventId = created.body.id as string;
    const { joinCode } = (await facilitator.get(`/api/events/${eventId}`)).body;
    const aozora = await joinAs(testServer.server.origin, joinCode, '佐藤', '青空通販');
    const midori = await joinAs(testServer.server.origin, joinCode, '田中', 'みどり本舗');

    const sheet = connectProvider(testServer.server.wsOrigin, sheetDocName(aozora.eventCompanyId), { cookie: aozora.client.cookie });
    providers.push(sheet);
    await whenSynced(sheet);
    sheet.doc.transact(() => {
      sheetDoing(sheet.doc, 'customers').push([newListItem('i1', '会員制度, "ゴールド"', '毎月')]);
      docCards(sheet.doc).set('c1', newCard({ element: 'customers', text: '紹介が一番効く' }));
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await aozora.client.post(`/api/events/${eventId}/companies/${aozora.eventCompanyId}/actions`, { element: 'customers', text: '紹介率を毎月見る' })).status).toBe(201);
    await score(aozora.client, eventId, aozora.eventCompanyId, 2);
    await score(midori.client, eventId, midori.eventCompanyId, 3);
    // A CRM practice assessment filed in this session: its results are part of the report.
    const template = await facilitator.post('/api/assessment-templates', {
      title: '実践度チェック',
      categories: [{ id: 'purpose', title: 'CRM導入の目的', questions: [{ id: 'q1', text: '目的を言葉にしている', maxPoints: 3 }, { id: 'q2', text: '全員が知っている', maxPoints: 3 }] }],
    });
    expect(template.status).toBe(201);
    const companyId = ((await aozora.client.get(`/api/events/${eventId}`)).body.companies as Array<{ id: string; companyId: string }>).find((c) => c.id === aozora.eventCompanyId)!.companyId;
    const assessment = await aozora.client.post(`/api/companies/${companyId}/assessments`, { templateId: template.body.id, eventId });
    expect(assessment.status).toBe(201);
    expect((await aozora.client.put(`/api/assessments/${assessment.body.id}/answers/q1`, { value: 2 })).status).toBe(200);

    const path = `/api/events/${eventId}/companies/${aozora.eventCompanyId}`;
    const hidden = (await aozora.client.get(`${path}/report`)).body;
    const customers = hidden.elements.find((e: { element: string }) => e.element === 'customers');
    expect(customers.score).toBe(2);
    expect(customers.doing).toEqual([{ text: '会員制度, "ゴールド"', frequency: '毎月' }]);
    expect(customers.cards).toEqual(['紹介が一番効く']);
    expect(customers.actions).toMatchObject([{ text: '紹介率を毎月見る', owner: '佐藤', status: 'open' }]);
    // みどり本舗's 3 is hidden from 青空通販 until revealed: not in any form of the report.
    expect(customers.comparison).toEqual([]);
    expect(hidden.assessment).toMatchObject({ title: '実践度チェック', points: 2, max: 6, answered: 1, questions: 2 });
    const mdHidden = await raw(aozora.client, `${path}/report.md`);
    expect(mdHidden.status).toBe(200);
    expect(mdHidden.type).toContain('text/markdown');
    expect(mdHidden.body).toContain('| 顧客 | 2 | – |');
    const csvHidden = (await raw(aozora.client, `${path}/report.csv`)).body;
    expect(csvHidden).toContain('スコア,顧客,2,\r\n');
    expect(csvHidden).not.toContain('他社スコア');

    const control = await connectControlClient(testServer.server.origin, facilitator.cookie, eventId);
    expect((await ask(control.socket, 'scores:reveal', { eventId, roomId: null })).ok).toBe(true);
    control.socket.disconnect();
    const revealed = (await aozora.client.get(`${path}/report`)).body;
    expect(revealed.elements.find((e: { element: string }) => e.element === 'customers').comparison).toEqual([{ company: 'みどり本舗', value: 3 }]);

    const csv = await raw(aozora.client, `${path}/report.csv`);
    expect(csv.type).toContain('text/csv');
    expect(csv.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('青空通販')}`);
    expect(csv.body.startsWith('\uFEFF区分,項目,内容,補足')).toBe(true);
    expect(csv.body).toContain('出来ている施策,顧客,"会員制度, ""ゴールド""",毎月');
    expect(csv.body).toContain('スコア,顧客,2,\r\n他社スコア,顧客,3,みどり本舗\r\n');
    const md = await raw(aozora.client, `${path}/report.md`);
    expect(md.body).toContain('# 青空通販 — 交流会, 12月（2026-12-01）');
    expect(md.body).toContain('| 顧客 | 2 | 3 |');
    // The web app asks in its UI language; a language it does not have is a 400, not Japanese.
    const english = await raw(aozora.client, `${path}/report.md?lang=en`);
    expect(english.body).toContain('| Customers | 2 | 3 |');
    expect((await raw(aozora.client, `${path}/report.csv?lang=en`)).body.startsWith('\uFEFFSection,Element,Content,Detail')).toBe(true);
    expect((await raw(aozora.client, `${path}/report.md?lang=fr`)).status).toBe(400);

    // Another company cannot export it; only facilitators get every company's scores.
    for (const suffix of ['/report', '/report.md', '/report.csv']) expect((await raw(midori.client, path + suffix)).status, suffix).toBe(403);
    expect((await raw(aozora.client, `/api/events/${eventId}/scores.csv`)).status).toBe(403);
    const all = await raw(facilitator, `/api/events/${eventId}/scores.csv`);
    expect(all.status).toBe(200);
    const lines = all.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('会社,ルーム,理念,文化,思いやり,人材,独自性,顧客,ブランド,商品・サービス,PR,データ,内枠,外枠,合計');
    // 内枠 has nothing scored: empty, not 0 (a company that scored 0 there shows 0).
    expect(lines.slice(1).sort()).toEqual(['みどり本舗,ルーム 1,,,,,,3,,,,,,3,3', '青空通販,ルーム 1,,,,,,2,,,,,,2,2']);
    expect(all.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('交流会,_12月_スコア.csv')}`);
    const englishScores = await raw(facilitator, `/api/events/${eventId}/scores.csv?lang=en`);
    const englishLines = englishScores.body.replace('\uFEFF', '').split('\r\n');
    expect(englishLines[0]).toMatch(/^Company,Room,Philosophy,.*,Inner frame,Outer frame,Total$/);
    // The server's own room names read as the English UI shows them.
    expect(englishLines[1]).toMatch(/^[^,]+,Room 1,/);
  });

  it('names a download after a long title with emoji without cutting one in half', async () => {
    // 79 characters, then an emoji (two UTF-16 units) across the 80-character cut.
    const title = `${'あ'.repeat(79)}🎉${'い'.repeat(10)}`;
    const created = await facilitator.post('/api/events', { title, date: '2026-12-01' });
    expect(created.status).toBe(201);
    const csv = await raw(facilitator, `/api/events/${(created.body as { id: string }).id}/scores.csv`);
    expect(csv.status).toBe(200);
    expect(csv.disposition).toContain(encodeURIComponent(`${'あ'.repeat(79)}🎉_スコア.csv`));
  });

  it('drops characters that would make a download name read backwards', async () => {
    // A title can no longer be given a bidi control (400, rule bidiControl), but one stored before can hold one.
    const created = await facilitator.post('/api/events', { title: 'invoice', date: '2026-12-01' });
    expect(created.status).toBe(201);
    await testServer.server.app.db.update(events).set({ title: 'invoice\u202Eexe.' }).where(eq(events.id, (created.body as { id: string }).id));
    const csv = await raw(facilitator, `/api/events/${(created.body as { id: string }).id}/scores.csv?lang=en`);
    expect(csv.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('invoiceexe._scores.csv')}`);
  });

  it('a themed session\'s report puts its elements first and folds the untouched others into one line', async () => {
    const created = await facilitator.post('/api/events', { title: '顧客とデータの回', date: '2026-12-01', coveredElements: ['data', 'customers'] });
    const eventId = created.body.id as string;
    const { joinCode } = (await facilitator.get(`/api/events/${eventId}`)).body;
    const me = await joinAs(testServer.server.origin, joinCode, '山口', '南風マート');
    await score(me.client, eventId, me.eventCompanyId, 2);
    const json = await me.client.get(`/api/events/${eventId}/companies/${me.eventCompanyId}/report`);
    expect(json.status).toBe(200);
    expect(json.body.coveredElements).toEqual(['data', 'customers']);
    expect((json.body.elements as Array<{ element: string }>).slice(0, 2).map((e) => e.element).sort()).toEqual(['customers', 'data']);
    const md = await raw(me.client, `/api/events/${eventId}/companies/${me.eventCompanyId}/report.md`);
    expect(md.status).toBe(200);
    const headings = md.body.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toHaveLength(2);
    expect(md.body).toContain('扱わなかった項目（記入なし）');
    expect(md.body).not.toContain('### 理念');
    // The facilitators' table: the theme first, with its subtotal.
    const csv = await raw(facilitator, `/api/events/${eventId}/scores.csv`);
    const [head, row] = csv.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(head).toBe('会社,ルーム,顧客,データ,理念,文化,思いやり,人材,独自性,ブランド,商品・サービス,PR,テーマ項目,内枠,外枠,合計');
    expect(row?.split(',').slice(2, 4)).toEqual(['2', '']);
    expect(row?.split(',')[12]).toBe('2');
  });
});
