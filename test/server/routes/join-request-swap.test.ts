// A facilitator approves the request they saw: the company it named. Asking again under another
// company gives the request a new id, so a click on the list as it was (approve or refuse) cannot
// let the person into the company they switched to meanwhile (a stranger asking for an unknown
// company, then switching to a returning company with history, was let into that company's history).
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.ts';
import { seriesWithHistory } from '../../helpers/fixtures.ts';
import { controlSuite } from '../../helpers/control-suite.ts';

const suite = controlSuite();
const origin = () => suite.testServer.server.origin;

/** The second session of a series where `company` has history (its first). */
async function nextSession(company: string) {
  return (await seriesWithHistory(origin(), suite.facilitator, company)).february;
}

type Pending = { id: string; companyName: string };

describe('a join request asked again under another company', () => {
  it('gets a new id: approving the one the facilitator saw is a 404, and lets nobody into the company switched to', async () => {
    const event = await nextSession('株式会社おおとり');
    const stranger = new ApiClient(origin());
    // Waiting (history elsewhere), then refused; asking again under an unknown company waits too.
    const first = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '株式会社おおとり' });
    expect(first.status).toBe(202);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${first.body.requestId}/reject`)).status).toBe(204);
    const harmless = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '小さな商店' });
    expect(harmless.status).toBe(202);

    // The facilitator's list shows 小さな商店 ...
    const seen = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Pending[];
    expect(seen.map((r) => r.companyName)).toEqual(['小さな商店']);
    // ... while the stranger switches back to the company with history.
    const switched = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '株式会社おおとり' });
    expect(switched.status).toBe(202);
    expect(switched.body.requestId).not.toBe(seen[0]!.id);

    // The click on 小さな商店 approves nothing.
    const stale = await suite.facilitator.post(`/api/events/${event.id}/join-requests/${seen[0]!.id}/approve`);
    expect(stale.status).toBe(404);
    expect((await stranger.get(`/api/events/${event.id}`)).status).toBe(403);
    const members = (await suite.facilitator.get(`/api/events/${event.id}/members`)).body as { companies: Array<{ name: string }> };
    expect(members.companies.map((c) => c.name)).not.toContain('株式会社おおとり');

    // The request as it now stands is the one to decide, and the requester polls it by its new id.
    const now = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Pending[];
    expect(now).toEqual([expect.objectContaining({ id: switched.body.requestId, companyName: '株式会社おおとり' })]);
    expect((await stranger.get(`/api/join/requests/${switched.body.requestId}`)).body.status).toBe('pending');
    expect((await stranger.get(`/api/join/requests/${seen[0]!.id}`)).status).toBe(404);
  });

  it('for the same company while it waits keeps its id (a double submit polls either answer)', async () => {
    const event = await nextSession('株式会社みさご');
    const stranger = new ApiClient(origin());
    const first = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '株式会社みさご' });
    const again = await stranger.post('/api/join', { code: event.joinCode, displayName: '見知らぬ人', companyName: '株式会社みさご' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.requestId).toBe(first.body.requestId);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${first.body.requestId}/approve`)).status).toBe(204);
    expect((await stranger.get(`/api/events/${event.id}`)).body.myEventCompanyId).toEqual(expect.any(String));
  });
});
