// A stranger with the next session's join code types the name of a company that took part in an
// earlier session of the series: the claim waits for a facilitator (company-history). Until
// someone of the company is let in, its last worksheet must not be copied into the new session,
// where every participant (another company's included) may read the company's worksheet.
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { serverPerFile } from '../../helpers/server.ts';
import { joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

/** A document as `cookie` sees it once synced (the provider closes with the file's server). */
async function open(docName: string, cookie: string | undefined): Promise<WebsocketProvider> {
  const provider = testServer.open(docName, cookie);
  await whenSynced(provider);
  return provider;
}

async function newSession(title: string, date: string, seriesId: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

/**
 * A company that wrote `philosophy` in session 1 of a new series, session 2 of it, and a stranger's
 * claim of the company there (waiting for approval: company-history), which brings nothing of the
 * company into session 2 yet.
 */
async function claimedReturningCompany(company: string, philosophy: string) {
  const seriesId = (await facilitator.post('/api/series', { title: `定例会 ${company}` })).body.id as string;
  const first = await newSession('1月', '2026-01-20', seriesId);
  const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', company);
  const oldSheet = await open(sheetDocName(sato.eventCompanyId), sato.client.cookie);
  sheetPhilosophy(oldSheet.doc).insert(0, philosophy);
  await new Promise((r) => setTimeout(r, 400));
  const second = await newSession('2月', '2026-02-17', seriesId);
  const stranger = new ApiClient(testServer.server.origin);
  const claim = await stranger.post('/api/join', { code: second.joinCode, displayName: '見知らぬ人', companyName: company });
  expect(claim.status).toBe(202);
  expect(claim.body.reason).toBe('company-history');
  expect(claim.body.eventCompanyId).toBeNull();
  expect(await companiesOf(second.id)).toEqual([]);
  return { sato, second, stranger, claim: claim.body as { requestId: string } };
}

/** The names of the session's companies. */
async function companiesOf(eventId: string): Promise<string[]> {
  return ((await facilitator.get(`/api/events/${eventId}/companies`)).body as Array<{ name: string }>).map((c) => c.name);
}

describe('a waiting claim of a returning company', () => {
  it('carries nothing over (there is no company to carry into) until the company is let in, then carries its worksheet', async () => {
    const { second, claim } = await claimedReturningCompany('株式会社こはく', '社外秘の方針');
    // Refused: still no company in the session, so nothing carried over anywhere.
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    expect(await companiesOf(second.id)).toEqual([]);

    // The company's real person from another device, approved: the company comes in and its worksheet carries over.
    const real = new ApiClient(testServer.server.origin);
    const asked = await real.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '株式会社こはく' });
    expect(asked.status).toBe(202);
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${asked.body.requestId}/approve`)).status).toBe(204);
    const state = await real.get(`/api/join/requests/${asked.body.requestId}`);
    expect(state.body.status).toBe('approved');
    expect(await companiesOf(second.id)).toEqual(['株式会社こはく']);
    const mine = await open(sheetDocName(state.body.eventCompanyId), real.cookie);
    await expect.poll(() => sheetPhilosophy(mine.doc).toString()).toBe('社外秘の方針');
  });

  it('carries the worksheet over when the company’s member comes back from their browser after a stranger’s claim', async () => {
    const { sato, second, stranger, claim } = await claimedReturningCompany('株式会社つばめ', 'つばめの方針');
    // The company's member, from the browser they used last time: in at once, and the worksheet follows.
    const back = await sato.client.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '株式会社つばめ' });
    expect(back.status).toBe(201);
    const mine = await open(sheetDocName(back.body.eventCompanyId), sato.client.cookie);
    await expect.poll(() => sheetPhilosophy(mine.doc).toString()).toBe('つばめの方針');
    // The stranger's request still waits; approved now, it joins the company that is here (one company, not two).
    expect((await facilitator.get(`/api/events/${second.id}/join-requests`)).body).toEqual([
      expect.objectContaining({ id: claim.requestId, companyName: '株式会社つばめ', eventCompanyId: back.body.eventCompanyId }),
    ]);
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.requestId}/approve`)).status).toBe(204);
    expect((await stranger.get(`/api/join/requests/${claim.requestId}`)).body.eventCompanyId).toBe(back.body.eventCompanyId);
    expect(await companiesOf(second.id)).toEqual(['株式会社つばめ']);
  });

  it('carries the worksheet over when the facilitator adds the company after a refused claim and its first person comes in by invite code', async () => {
    const { second, claim } = await claimedReturningCompany('株式会社かもめ', 'かもめの方針');
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    const added = await facilitator.post(`/api/events/${second.id}/companies`, { name: '株式会社かもめ' });
    expect(added.status).toBe(201);
    const invite = await facilitator.post(`/api/events/${second.id}/companies/${added.body.id}/invite`);
    const real = new ApiClient(testServer.server.origin);
    const joined = await real.post('/api/join', { code: invite.body.inviteCode, displayName: '佐藤', eventCompanyId: added.body.id });
    expect(joined.status).toBe(201);
    const mine = await open(sheetDocName(added.body.id), real.cookie);
    await expect.poll(() => sheetPhilosophy(mine.doc).toString()).toBe('かもめの方針');
  });
});
