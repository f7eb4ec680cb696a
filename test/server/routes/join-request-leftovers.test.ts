// What a join request leaves behind once it is not approved. A refused request under a company
// name nobody had used made a companies row that took part in no session and that nothing listed
// (holding its name for ever): it now goes with the refusal, or when the request is asked again
// for another company, unless something else holds it.
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { ApiClient } from '../../helpers/api-client.ts';
import { seriesWithHistory } from '../../helpers/fixtures.ts';
import { controlSuite } from '../../helpers/control-suite.ts';
import { companies, joinRequests } from '../../../server/db/schema.ts';

const suite = controlSuite();
const origin = () => suite.testServer.server.origin;

async function companyExists(name: string): Promise<boolean> {
  const rows = await suite.testServer.server.app.db.select({ id: companies.id }).from(companies).where(sql`lower(${companies.name}) = lower(${name})`);
  return rows.length > 0;
}

/** The second session of a series where `company` has history, and a stranger whose claim of it was refused there. */
async function refusedStranger(company: string) {
  const { february: event } = await seriesWithHistory(origin(), suite.facilitator, company);
  const stranger = new ApiClient(origin());
  const claim = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: company });
  expect(claim.status).toBe(202);
  expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${claim.body.requestId}/reject`)).status).toBe(204);
  // A company with history stays, of course.
  expect(await companyExists(company)).toBe(true);
  const ask = (companyName: string) => stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName });
  return { event, stranger, ask };
}

describe('a join request that is not approved', () => {
  it('refused, takes the company it made with it; the requester still reads the refusal', async () => {
    const { event, stranger, ask } = await refusedStranger('株式会社いかる');
    const again = await ask('まぼろし商会');
    expect(again.status).toBe(202);
    expect(await companyExists('まぼろし商会')).toBe(true);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${again.body.requestId}/reject`)).status).toBe(204);
    expect(await companyExists('まぼろし商会')).toBe(false);
    const state = await stranger.get(`/api/join/requests/${again.body.requestId}`);
    expect(state.body).toEqual(expect.objectContaining({ status: 'rejected', companyName: null }));
    // The name is free again: asking once more makes it anew, and approval brings it in.
    const third = await ask('まぼろし商会');
    expect(third.status).toBe(202);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${third.body.requestId}/approve`)).status).toBe(204);
    const listed = (await suite.facilitator.get(`/api/events/${event.id}/companies`)).body as Array<{ name: string }>;
    expect(listed.map((c) => c.name)).toContain('まぼろし商会');
  });

  it('asked again for another company, lets go of the company only it named', async () => {
    const { ask } = await refusedStranger('株式会社しぎ');
    expect((await ask('かげろう商会')).status).toBe(202);
    expect((await ask('うたかた商会')).status).toBe(202);
    expect(await companyExists('かげろう商会')).toBe(false);
    expect(await companyExists('うたかた商会')).toBe(true);
  });

  it('refused, keeps a company another waiting request names', async () => {
    const { event, ask } = await refusedStranger('株式会社ひたき');
    const other = await refusedStranger('株式会社ひたき二');
    // Two people waiting, in two sessions, for the same new company.
    const mine = await ask('ふたり商会');
    const theirs = await other.ask('ふたり商会');
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${mine.body.requestId}/reject`)).status).toBe(204);
    expect(await companyExists('ふたり商会')).toBe(true);
    expect((await suite.facilitator.post(`/api/events/${other.event.id}/join-requests/${theirs.body.requestId}/reject`)).status).toBe(204);
    expect(await companyExists('ふたり商会')).toBe(false);
  });
});

describe('a refusal racing a join that names the same company', () => {
  it('keeps the company the join holds (it waits for the join, then sees it), and fails nothing', async () => {
    const db = suite.testServer.server.app.db;
    const { event, ask } = await refusedStranger('株式会社つぐみ');
    const other = await refusedStranger('株式会社つぐみ二');
    const mine = await ask('はやて商会');
    expect(mine.status).toBe(202);
    const [company] = await db.select({ id: companies.id }).from(companies).where(eq(companies.name, 'はやて商会'));
    const otherUser = (await other.stranger.get('/api/auth/me')).body.id as string;

    // The other join, by hand: it found the company by name (FOR KEY SHARE, as companyByName) and
    // names it in its request a moment later, while the refusal comes in between.
    let found!: () => void;
    const locked = new Promise<void>((resolve) => (found = resolve));
    const join = db.transaction(async (tx) => {
      await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, company!.id)).for('key share');
      found();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx
        .update(joinRequests)
        .set({ companyId: company!.id, status: 'pending' })
        .where(and(eq(joinRequests.eventId, other.event.id), eq(joinRequests.userId, otherUser)));
    });
    await locked;
    const refusal = suite.facilitator.post(`/api/events/${event.id}/join-requests/${mine.body.requestId}/reject`);
    await join;
    expect((await refusal).status).toBe(204);
    expect(await companyExists('はやて商会')).toBe(true);
    const theirs = (await suite.facilitator.get(`/api/events/${other.event.id}/join-requests`)).body as Array<{ companyName: string }>;
    expect(theirs.map((r) => r.companyName)).toEqual(['はやて商会']);
  });
});
