// 「白紙から始める」 is final: a company whose carried-over worksheet was emptied (by a member or a
// facilitator) does not get it copied in again when, later, a join makes it a "first member" again
// (its only member removed and back, or a company a facilitator added and blanked before anyone came).
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { newListItem, sheetDoing, sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
let seriesId: string;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  seriesId = (await facilitator.post('/api/series', { title: '定例会' })).body.id;
});

async function open(docName: string, cookie: string | undefined): Promise<WebsocketProvider> {
  const provider = testServer.open(docName, cookie);
  await whenSynced(provider);
  return provider;
}
const settle = () => new Promise((r) => setTimeout(r, 150));
async function newSession(title: string, date: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

/** A company with a worksheet in session 1, and session 2 of the series. */
async function companyWithHistory(company: string, person: string, month: number) {
  const first = await newSession(`${month}月`, `2026-${String(month).padStart(2, '0')}-10`);
  const member = await joinAs(testServer.server.origin, first.joinCode, person, company);
  const sheet = await open(sheetDocName(member.eventCompanyId), member.client.cookie);
  sheet.doc.transact(() => {
    sheetPhilosophy(sheet.doc).insert(0, '旧い理念');
    sheetDoing(sheet.doc, 'customers').push([newListItem('a', '旧い施策', '毎月')]);
  });
  await settle();
  const second = await newSession(`${month + 1}月`, `2026-${String(month + 1).padStart(2, '0')}-10`);
  return { member, second };
}

describe('start-blank stays blank', () => {
  it('a member who started blank, removed and back, keeps their new worksheet (no second copy)', async () => {
    const { member, second } = await companyWithHistory('白紙商事', '佐藤', 1);
    // Same browser, signed in: a returning member of the company, no approval.
    const joined = await member.client.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '白紙商事' });
    expect(joined.status).toBe(201);
    const ec = joined.body.eventCompanyId as string;
    expect((await member.client.post(`/api/events/${second.id}/companies/${ec}/start-blank`)).status).toBe(204);
    const sheet = await open(sheetDocName(ec), member.client.cookie);
    await settle();
    expect(sheetPhilosophy(sheet.doc).toString()).toBe('');
    sheet.doc.transact(() => sheetPhilosophy(sheet.doc).insert(0, '新しい理念'));
    await settle();

    expect((await facilitator.delete(`/api/events/${second.id}/members/${member.userId}`)).status).toBe(204);
    const back = await member.client.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '白紙商事' });
    expect(back.status).toBe(201);
    const reread = await open(sheetDocName(ec), facilitator.cookie);
    await settle();
    expect(sheetPhilosophy(reread.doc).toString()).toBe('新しい理念');
    expect(sheetDoing(reread.doc, 'customers').length).toBe(0);
  });

  it('a company a facilitator added and blanked before anyone came stays blank for its first member', async () => {
    const { member, second } = await companyWithHistory('空白工業', '鈴木', 4);
    const added = await facilitator.post(`/api/events/${second.id}/companies`, { name: '空白工業' });
    expect(added.status).toBe(201);
    const ec = added.body.id as string;
    expect((await facilitator.post(`/api/events/${second.id}/companies/${ec}/start-blank`)).status).toBe(204);
    const joined = await member.client.post('/api/join', { code: second.joinCode, displayName: '鈴木', eventCompanyId: ec });
    expect(joined.status).toBe(201);
    const sheet = await open(sheetDocName(ec), facilitator.cookie);
    await settle();
    expect(sheetPhilosophy(sheet.doc).toString()).toBe('');
    expect(sheetDoing(sheet.doc, 'customers').length).toBe(0);
  });

  it("a stranger's refused claim brings nothing in: the company a facilitator adds afterwards carries over for its first member by invite code", async () => {
    const { second } = await companyWithHistory('招待商事', '高橋', 7);
    const stranger = new ApiClient(testServer.server.origin);
    const claim = await stranger.post('/api/join', { code: second.joinCode, displayName: '他人', companyName: '招待商事' });
    expect(claim.status).toBe(202);
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.body.requestId}/reject`)).status).toBe(204);
    expect((await facilitator.get(`/api/events/${second.id}/companies`)).body).toEqual([]);
    const added = await facilitator.post(`/api/events/${second.id}/companies`, { name: '招待商事' });
    expect(added.status).toBe(201);
    const ec = added.body.id as string;
    const invite = await facilitator.post(`/api/events/${second.id}/companies/${ec}/invite`);
    const colleague = new ApiClient(testServer.server.origin);
    expect((await colleague.post('/api/join', { code: invite.body.inviteCode, displayName: '伊藤', eventCompanyId: ec })).status).toBe(201);
    const sheet = await open(sheetDocName(ec), colleague.cookie);
    await settle();
    expect(sheetPhilosophy(sheet.doc).toString()).toBe('旧い理念');
  });
});
