// A claim that waits for a facilitator (a company with history elsewhere, or someone whose request
// waits or was refused) puts nothing of the company into the session: it is no company of the
// session in the facilitator's events list (「n社」), the join page, the event page, the member
// panel, or a breakout split, and only the join-requests list shows it. Approval brings it in
// everywhere at once (with the live pushes); a refusal leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.ts';
import { joinAs, seriesWithHistory } from '../../helpers/fixtures.ts';
import { ask } from '../../helpers/control-client.ts';
import { controlSuite } from '../../helpers/control-suite.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { companies, eventCompanies } from '../../../server/db/schema.ts';
import { MAX_COMPANIES_PER_EVENT } from '../../../server/domain/events.ts';

const suite = controlSuite();
const origin = () => suite.testServer.server.origin;

/**
 * Session 1 of a new series where 佐藤 spoke for `company`; session 2 (a meetup) with a 山田商店 in
 * it (one per test: a company of another session is a facilitator's to add), and a stranger's claim of `company` there, waiting (company-history).
 */
async function claimInNextSession(company: string) {
  const { february: second } = await seriesWithHistory(origin(), suite.facilitator, company);
  const neighbour = `山田商店 ${company}`;
  const yamada = await joinAs(origin(), second.joinCode, '山田', neighbour);
  const stranger = new ApiClient(origin());
  const claim = await stranger.post('/api/join', { code: second.joinCode, displayName: '見知らぬ人', companyName: company });
  expect(claim.status).toBe(202);
  expect(claim.body.reason).toBe('company-history');
  expect(claim.body.companyName).toBe(company);
  return { event: second, neighbour, yamada, stranger, claim: claim.body as { requestId: string; eventCompanyId: string | null } };
}

/** Every list a company of the session shows in, as the facilitator and the join page see them. */
async function companiesSeen(event: { id: string; joinCode: string }) {
  const facilitator = suite.facilitator;
  const summary = ((await facilitator.get('/api/events')).body as Array<{ id: string; companies: number }>).find((e) => e.id === event.id)!;
  const detail = (await facilitator.get(`/api/events/${event.id}`)).body as { companies: Array<{ name: string }> };
  const listed = (await facilitator.get(`/api/events/${event.id}/companies`)).body as Array<{ name: string }>;
  const members = (await facilitator.get(`/api/events/${event.id}/members`)).body as { companies: Array<{ name: string }> };
  const joinPage = (await new ApiClient(origin()).get(`/api/join/${event.joinCode}`)).body as { companies: Array<{ name: string }> };
  return {
    count: summary.companies,
    detail: detail.companies.map((c) => c.name).sort(),
    listed: listed.map((c) => c.name).sort(),
    members: members.companies.map((c) => c.name).sort(),
    joinPage: joinPage.companies.map((c) => c.name).sort(),
  };
}

const only = (...names: string[]) => {
  const sorted = [...names].sort();
  return { count: names.length, detail: sorted, listed: sorted, members: sorted, joinPage: sorted };
};

describe('a claim waiting for approval', () => {
  it('adds no company to the session: only the join-requests list shows it, and a split seats nothing of it', async () => {
    const { event, neighbour, claim } = await claimInNextSession('株式会社こはく');
    expect(claim.eventCompanyId).toBeNull();
    expect(await companiesSeen(event)).toEqual(only(neighbour));
    const requests = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Array<{ companyName: string; eventCompanyId: string | null }>;
    expect(requests).toEqual([expect.objectContaining({ companyName: '株式会社こはく', displayName: '見知らぬ人', eventCompanyId: null })]);

    // Splitting every company (not only those online) seats 山田商店 alone, and nothing waits unseated.
    const fac = await suite.connect(suite.facilitator.cookie, event.id);
    const split = await ask(fac.socket, 'rooms:split', { eventId: event.id, presentOnly: false });
    expect(split.ok).toBe(true);
    expect(split.rooms.flatMap((r: { eventCompanyIds: string[] }) => r.eventCompanyIds)).toHaveLength(1);
    expect(split.unseated).toEqual([]);
  });

  it('leaves nothing once refused', async () => {
    const { event, neighbour, claim } = await claimInNextSession('株式会社かもめ');
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    expect(await companiesSeen(event)).toEqual(only(neighbour));
    expect((await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body).toEqual([]);
  });

  it('brings the company in everywhere at once when approved, and tells the console and the boards', async () => {
    const { event, neighbour, yamada, stranger, claim } = await claimInNextSession('株式会社つばめ');
    const fac = await suite.connect(suite.facilitator.cookie, event.id);
    const board = await suite.connect(yamada.client.cookie, event.id);
    const framesBefore = { fac: fac.frames.length, board: board.frames.length };
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${claim.requestId}/approve`)).status).toBe(204);

    expect(await companiesSeen(event)).toEqual(only(neighbour, '株式会社つばめ'));
    const state = await stranger.get(`/api/join/requests/${claim.requestId}`);
    expect(state.body).toEqual(expect.objectContaining({ status: 'approved', companyName: '株式会社つばめ' }));
    const companies = (await suite.facilitator.get(`/api/events/${event.id}/companies`)).body as Array<{ id: string; name: string }>;
    expect(state.body.eventCompanyId).toBe(companies.find((c) => c.name === '株式会社つばめ')!.id);
    // The person is in, speaking for the company.
    const me = await stranger.get(`/api/events/${event.id}`);
    expect(me.status).toBe(200);
    expect(me.body.myEventCompanyId).toBe(state.body.eventCompanyId);
    // The console and the other boards refetch the event.
    for (const [client, before] of [[fac, framesBefore.fac], [board, framesBefore.board]] as const) {
      await eventually(() => expect(client.frames.slice(before).some(([e]) => e === 'event:changed')).toBe(true));
    }
    await eventually(() => expect(fac.frames.slice(framesBefore.fac)).toContainEqual(['join-requests:changed', { eventId: event.id, added: false }]));
  });

  it('of someone refused, under a new company name, creates no company either', async () => {
    const { event, neighbour, stranger, claim } = await claimInNextSession('株式会社すずめ');
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${claim.requestId}/reject`)).status).toBe(204);
    // Same browser, same name, a company nobody has heard of: it waits, as every join of theirs here does.
    const again = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '新しい会社' });
    expect(again.status).toBe(202);
    expect(again.body.reason).toBe('locked');
    expect(again.body.eventCompanyId).toBeNull();
    expect(await companiesSeen(event)).toEqual(only(neighbour));
    const requests = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Array<{ companyName: string }>;
    expect(requests.map((r) => r.companyName)).toEqual(['新しい会社']);

    // Approved: the new company takes part from then on.
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${again.body.requestId}/approve`)).status).toBe(204);
    expect(await companiesSeen(event)).toEqual(only(neighbour, '新しい会社'));
  });

  it(`approved into a session of ${MAX_COMPANIES_PER_EVENT} companies is a 409 (company-limit): the request waits on, nothing is added`, async () => {
    const { event, neighbour, claim } = await claimInNextSession('株式会社ひばり');
    // The session fills up meanwhile (straight in the database: the joins are not the point).
    const db = suite.testServer.server.app.db;
    const made = Array.from({ length: MAX_COMPANIES_PER_EVENT - 1 }, (_, i) => ({ id: randomUUID(), name: `満席会社${i}` }));
    await db.insert(companies).values(made);
    await db.insert(eventCompanies).values(made.map((c) => ({ id: randomUUID(), eventId: event.id, companyId: c.id })));

    const refused = await suite.facilitator.post(`/api/events/${event.id}/join-requests/${claim.requestId}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('company-limit');
    const seen = await companiesSeen(event);
    expect(seen.count).toBe(MAX_COMPANIES_PER_EVENT);
    expect(seen.listed).not.toContain('株式会社ひばり');
    expect(seen.listed).toContain(neighbour);
    const requests = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Array<{ id: string }>;
    expect(requests.map((r) => r.id)).toEqual([claim.requestId]);
  });
});
