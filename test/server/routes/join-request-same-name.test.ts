// Approving a join request follows the rule a join follows: into a company that meanwhile has a
// member of the requester's name (personNameKey: width, case, spaces) it is 409 'same-name', and the
// request stays pending (as for a full session), unless the requester had said to join anyway
// (confirmSameName). Before, approval let a second 田中 into the company, whom nobody could tell apart.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.ts';
import { seriesWithHistory } from '../../helpers/fixtures.ts';
import { controlSuite } from '../../helpers/control-suite.ts';

const suite = controlSuite();
const origin = () => suite.testServer.server.origin;

describe('approving a request into a company with a member of the same name', () => {
  it('is a 409 (same-name) and the request stays pending, as a join would be refused', async () => {
    const { february: event } = await seriesWithHistory(origin(), suite.facilitator, '株式会社るり');
    const first = new ApiClient(origin());
    const second = new ApiClient(origin());
    // Both wait (the company has history elsewhere and nobody of it is here yet), under one name.
    const a = await first.post('/api/join', { code: event.joinCode, displayName: '田中', companyName: '株式会社るり' });
    const b = await second.post('/api/join', { code: event.joinCode, displayName: '田中 ', companyName: '株式会社るり' });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${a.body.requestId}/approve`)).status).toBe(204);

    const refused = await suite.facilitator.post(`/api/events/${event.id}/join-requests/${b.body.requestId}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('same-name');
    expect(refused.body.message).toContain('田中');
    const pending = (await suite.facilitator.get(`/api/events/${event.id}/join-requests`)).body as Array<{ id: string }>;
    expect(pending.map((r) => r.id)).toEqual([b.body.requestId]);
    expect((await second.get(`/api/join/requests/${b.body.requestId}`)).body.status).toBe('pending');
    expect((await second.get(`/api/events/${event.id}`)).status).toBe(403);
    // Refusing it still works.
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${b.body.requestId}/reject`)).status).toBe(204);
  });

  it('goes through when the requester said to join anyway (confirmSameName)', async () => {
    const { february: event } = await seriesWithHistory(origin(), suite.facilitator, '株式会社ひわ');
    const first = new ApiClient(origin());
    const a = await first.post('/api/join', { code: event.joinCode, displayName: '鈴木', companyName: '株式会社ひわ' });
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${a.body.requestId}/approve`)).status).toBe(204);
    expect((await suite.facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true })).status).toBe(200);
    const second = new ApiClient(origin());
    const asked = { code: event.joinCode, displayName: '鈴木', companyName: '株式会社ひわ' };
    expect((await second.post('/api/join', asked)).body.rule).toBe('same-name');
    const b = await second.post('/api/join', { ...asked, confirmSameName: true });
    expect(b.status).toBe(202);
    expect((await suite.facilitator.post(`/api/events/${event.id}/join-requests/${b.body.requestId}/approve`)).status).toBe(204);
    expect((await second.get(`/api/events/${event.id}`)).status).toBe(200);
  });
});
