// Pending join requests per event are capped (MAX_PENDING_JOIN_REQUESTS): 500 requests to a
// locked session all stayed pending and the facilitator's list returned every one. The next one
// is a 409 with a rule and a bilingual message; asking again for one's own request still works.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { joinRequests, users } from '../../../server/db/schema.ts';
import { MAX_PENDING_JOIN_REQUESTS } from '../../../server/domain/members.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

const pendingCount = async (eventId: string) =>
  (await testServer.server.app.db.select({ n: count() }).from(joinRequests).where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.status, 'pending'))))[0]!.n;

describe('pending join requests per event', () => {
  it(`takes ${MAX_PENDING_JOIN_REQUESTS}, refuses the next with 409 'join-request-limit', and takes one again after a decision`, async () => {
    const event = await createEvent(facilitator, '申請上限');
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', '青空通販');
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true })).status).toBe(200);

    // All but one place taken directly in the database (a request through the API costs a sign-in each).
    const db = testServer.server.app.db;
    const waiting = Array.from({ length: MAX_PENDING_JOIN_REQUESTS - 1 }, (_, i) => ({ id: randomUUID(), name: `待機${i}` }));
    await db.insert(users).values(waiting.map((w) => ({ id: w.id, kind: 'participant' as const, displayName: w.name })));
    const companyId = (await facilitator.get(`/api/events/${event.id}/companies`)).body.find((c: { id: string }) => c.id === alice.eventCompanyId).companyId as string;
    await db.insert(joinRequests).values(waiting.map((w) => ({ id: randomUUID(), eventId: event.id, companyId, userId: w.id })));

    const ask = (client: ApiClient, displayName: string) =>
      client.post('/api/join', { code: event.joinCode, displayName, eventCompanyId: alice.eventCompanyId, confirmSameName: true });
    const last = new ApiClient(testServer.server.origin);
    const lastAsked = await ask(last, 'Last');
    expect(lastAsked.status, JSON.stringify(lastAsked.body)).toBe(202);
    expect(await pendingCount(event.id)).toBe(MAX_PENDING_JOIN_REQUESTS);

    const refused = await ask(new ApiClient(testServer.server.origin), 'Overflow');
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('join-request-limit');
    expect(refused.body.message).toMatch(/承認待ちの参加申請が多すぎます.* \/ This session has too many join requests waiting/);
    expect(await pendingCount(event.id)).toBe(MAX_PENDING_JOIN_REQUESTS);
    // The refused request made nobody (the transaction rolled back).
    expect(await db.select().from(users).where(eq(users.displayName, 'Overflow'))).toEqual([]);

    // Someone already waiting may ask again (it replaces their own request).
    expect((await ask(last, 'Last')).status).toBe(202);

    const list = await facilitator.get(`/api/events/${event.id}/join-requests`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(MAX_PENDING_JOIN_REQUESTS);

    // A decision frees a place.
    expect((await facilitator.post(`/api/events/${event.id}/join-requests/${lastAsked.body.requestId}/reject`)).status).toBe(204);
    expect((await ask(new ApiClient(testServer.server.origin), 'Next')).status).toBe(202);
  });
});
