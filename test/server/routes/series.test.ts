// Series and carry-over (issue 9): a company's worksheet of its last session in the series is
// copied into its next session (content only: no cards), the old session's document is left as it
// was, 「白紙から始める」 empties the new one; and who may create, use and change what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { docCards, newCard, newListItem, sheetDoing, sheetMemo, sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

afterAll(async () => {
  for (const p of providers) p.destroy();
});

async function open(docName: string, cookie: string | undefined): Promise<WebsocketProvider> {
  const provider = connectProvider(testServer.server.wsOrigin, docName, { cookie });
  providers.push(provider);
  await whenSynced(provider);
  return provider;
}

async function newSession(title: string, date: string, seriesId?: string) {
  const res = await facilitator.post('/api/events', { title, date, ...(seriesId ? { seriesId } : {}) });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

describe('series and carry-over', () => {
  it('carries a company\'s last worksheet (not its cards) into its next session of the series, leaving the old one as it was', async () => {
    const created = await facilitator.post('/api/series', { title: 'JCRM 定例会 2026' });
    expect(created.status).toBe(201);
    const seriesId = created.body.id as string;
    expect((await facilitator.get('/api/series')).body).toEqual([{ id: seriesId, title: 'JCRM 定例会 2026' }]);

    const first = await newSession('1月 定例会', '2026-01-20', seriesId);
    const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', '株式会社あかね');
    const oldSheet = await open(sheetDocName(sato.eventCompanyId), sato.client.cookie);
    oldSheet.doc.transact(() => {
      sheetPhilosophy(oldSheet.doc).insert(0, 'お客様の暮らしを豊かに');
      sheetDoing(oldSheet.doc, 'customers').push([newListItem('x', '会員制度', '毎月')]);
      sheetMemo(oldSheet.doc, 'data').insert(0, 'RFM 分析を始める');
      docCards(oldSheet.doc).set('c1', newCard({ element: 'customers', text: '前回の気付き' }));
    });
    await new Promise((r) => setTimeout(r, 100));
    const oldState = Y.encodeStateVector(oldSheet.doc);

    // A session outside the series starts blank.
    const outside = await newSession('別の勉強会', '2026-02-01');
    // (Sato brings the company along: a company of another event is let in for who spoke for it.)
    const elsewhere = await sato.client.post('/api/join', { code: outside.joinCode, displayName: '佐藤', companyName: '株式会社あかね' });
    expect(elsewhere.status).toBe(201);
    expect(sheetDoing((await open(sheetDocName(elsewhere.body.eventCompanyId), sato.client.cookie)).doc, 'customers').length).toBe(0);

    const second = await newSession('2月 定例会', '2026-02-17', seriesId);
    // From another browser: the company's first person here waits for the facilitator's approval.
    const again = await joinApproved(testServer.server.origin, facilitator, second, '佐藤', '株式会社あかね');
    expect(again.eventCompanyId).not.toBe(sato.eventCompanyId);
    const newSheet = await open(sheetDocName(again.eventCompanyId), again.client.cookie);
    expect(sheetPhilosophy(newSheet.doc).toString()).toBe('お客様の暮らしを豊かに');
    expect(sheetDoing(newSheet.doc, 'customers').toArray().map((m) => String(m.get('text')))).toEqual(['会員制度']);
    expect(sheetMemo(newSheet.doc, 'data').toString()).toBe('RFM 分析を始める');
    expect(docCards(newSheet.doc).size).toBe(0);

    const detail = (await again.client.get(`/api/events/${second.id}`)).body;
    expect(detail.series).toEqual({ id: seriesId, title: 'JCRM 定例会 2026' });
    expect(detail.companies.find((c: { id: string }) => c.id === again.eventCompanyId).carriedFrom).toEqual({ eventId: first.id, title: '1月 定例会', date: '2026-01-20' });

    // The old session is a record: unchanged, card included.
    const reread = await open(sheetDocName(sato.eventCompanyId), sato.client.cookie);
    expect(Y.encodeStateVector(reread.doc)).toEqual(oldState);
    expect(docCards(reread.doc).size).toBe(1);

    // 白紙から始める: another company may not; the company's member may.
    const other = await joinAs(testServer.server.origin, second.joinCode, '田中', 'みどり本舗');
    const path = `/api/events/${second.id}/companies/${again.eventCompanyId}/start-blank`;
    expect((await other.client.post(path)).status).toBe(403);
    expect((await again.client.post(path)).status).toBe(204);
    await eventually(() => {
      expect(sheetDoing(newSheet.doc, 'customers').length).toBe(0);
      expect(sheetPhilosophy(newSheet.doc).toString()).toBe('');
    });
    const after = (await again.client.get(`/api/events/${second.id}`)).body;
    expect(after.companies.find((c: { id: string }) => c.id === again.eventCompanyId).carriedFrom).toBeNull();
  });

  it('only facilitators create series, and only their own series take their events', async () => {
    const event = await newSession('単発', '2026-03-01');
    const participant = await joinAs(testServer.server.origin, event.joinCode, '鈴木', 'さくらEC');
    expect((await participant.client.post('/api/series', { title: '勝手なシリーズ' })).status).toBe(403);
    expect((await participant.client.put(`/api/events/${event.id}/series`, { seriesId: null })).status).toBe(403);
    expect((await facilitator.post('/api/series', { title: '' })).status).toBe(400);

    // Another facilitator cannot put events into this facilitator's series.
    const mine = (await facilitator.post('/api/series', { title: '自分のシリーズ' })).body.id as string;
    expect((await facilitator.post('/api/facilitators', { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' })).status).toBe(201);
    const other = new ApiClient(testServer.server.origin);
    expect((await other.post('/api/auth/login', { email: 'other@example.jp', password: 'another long password' })).status).toBe(200);
    expect((await other.post('/api/events', { title: 'x', date: '2026-03-02', seriesId: mine })).status).toBe(403);
    expect((await facilitator.put(`/api/events/${event.id}/series`, { seriesId: mine })).status).toBe(204);
    expect((await facilitator.get(`/api/events/${event.id}`)).body.series).toEqual({ id: mine, title: '自分のシリーズ' });
  });
});
