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
 * claim of the company there (waiting for approval: company-history).
 */
async function claimedReturningCompany(company: string, philosophy: string) {
  const seriesId = (await facilitator.post('/api/series', { title: `定例会 ${company}` })).body.id as string;
  const first = await newSession('1月', '2026-01-20', seriesId);
  const sato = await joinAs(testServer.server.origin, first.joinCode, '佐藤', company);
  const oldSheet = await open(sheetDocName(sato.eventCompanyId), sato.client.cookie);
  sheetPhilosophy(oldSheet.doc).insert(0, philosophy);
  await new Promise((r) => setTimeout(r, 400));
  const second = await newSession('2月', '2026-02-17', seriesId);
  const claim = await new ApiClient(testServer.server.origin).post('/api/join', { code: second.joinCode, displayName: '見知らぬ人', companyName: company });
  expect(claim.status).toBe(202);
  expect(claim.body.reason).toBe('company-history');
  return { sato, second, claim: claim.body as { eventCompanyId: string; requestId: string } };
}

describe('a waiting claim of a returning company', () => {
  it('carries nothing over until the company is let in, then carries its worksheet', async () => {
    const { second, claim } = await claimedReturningCompany('株式会社こはく', '社外秘の方針');
    // Another participant of the new session looks at the claimed company's worksheet.
    const other = await joinAs(testServer.server.origin, second.joinCode, '山田', '山田商店');
    const seen = await open(sheetDocName(claim.eventCompanyId), other.client.cookie);
    await new Promise((r) => setTimeout(r, 300));
    expect(sheetPhilosophy(seen.doc).toString()).toBe('');

    // Refused: still nothing carried over.
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    expect(sheetPhilosophy((await open(sheetDocName(claim.eventCompanyId), other.client.cookie)).doc).toString()).toBe('');

    // The company's real person from another device, approved: the worksheet carries over then.
    const real = new ApiClient(testServer.server.origin);
    const asked = await real.post('/api/join', { code: second.joinCode, displayName: '佐藤', eventCompanyId: claim.eventCompanyId });
    expect(asked.status).toBe(202);
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${asked.body.requestId}/approve`)).status).toBe(204);
    const mine = await open(sheetDocName(claim.eventCompanyId), real.cookie);
    expect(sheetPhilosophy(mine.doc).toString()).toBe('社外秘の方針');
  });

  it('carries the worksheet over when the company’s member comes back from their browser after a stranger’s claim', async () => {
    const { sato, second, claim } = await claimedReturningCompany('株式会社つばめ', 'つばめの方針');
    // The company's member, from the browser they used last time: in at once, and the worksheet follows.
    const back = await sato.client.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '株式会社つばめ' });
    expect(back.status).toBe(201);
    expect(back.body.eventCompanyId).toBe(claim.eventCompanyId);
    const mine = await open(sheetDocName(back.body.eventCompanyId), sato.client.cookie);
    await expect.poll(() => sheetPhilosophy(mine.doc).toString()).toBe('つばめの方針');
  });

  it('carries the worksheet over when the company’s first person comes in by its invite code after a refused claim', async () => {
    const { second, claim } = await claimedReturningCompany('株式会社かもめ', 'かもめの方針');
    expect((await facilitator.post(`/api/events/${second.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    const invite = await facilitator.post(`/api/events/${second.id}/companies/${claim.eventCompanyId}/invite`);
    const real = new ApiClient(testServer.server.origin);
    const joined = await real.post('/api/join', { code: invite.body.inviteCode, displayName: '佐藤', eventCompanyId: claim.eventCompanyId });
    expect(joined.status).toBe(201);
    const mine = await open(sheetDocName(claim.eventCompanyId), real.cookie);
    await expect.poll(() => sheetPhilosophy(mine.doc).toString()).toBe('かもめの方針');
  });
});
