// A series at a glance (GET /api/series/:id): the sessions a facilitator runs in it × the companies
// that took part, with each company's mean self-score per session; a refused claim is not
// attendance; participants, other facilitators and unknown series are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { joinApproved, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
const controls: ControlClient[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

afterAll(() => {
  for (const c of controls) c.socket.disconnect();
});

async function newSession(title: string, date: string, seriesId: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

async function score(cookie: string | undefined, eventId: string, eventCompanyId: string, values: Record<string, number>) {
  const control = await connectControlClient(testServer.server.origin, cookie, eventId);
  controls.push(control);
  for (const [element, value] of Object.entries(values)) {
    expect((await ask(control.socket, 'score:set', { eventId, eventCompanyId, element, value })).ok).toBe(true);
  }
}

describe('a series at a glance', () => {
  it('lists the sessions oldest first and the companies that took part, with their mean scores', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: '通販 CRM 定例会' })).body.id as string;
    const march = await newSession('3月 定例会', '2026-03-10', seriesId);
    const january = await newSession('1月 定例会', '2026-01-13', seriesId);

    const akane = await joinAs(testServer.server.origin, january.joinCode, '佐藤', '株式会社あかね');
    const midori = await joinAs(testServer.server.origin, january.joinCode, '田中', 'みどり本舗');
    await score(akane.client.cookie, january.id, akane.eventCompanyId, { customers: 1, brand: 2 });
    // In March あかね comes back (approved: it has history); a stranger's claim to みどり本舗 is refused.
    const akaneAgain = await joinApproved(testServer.server.origin, facilitator, march, '佐藤', '株式会社あかね');
    await score(akaneAgain.client.cookie, march.id, akaneAgain.eventCompanyId, { customers: 3, brand: 2, data: 2 });
    const claim = await new ApiClient(testServer.server.origin).post('/api/join', { code: march.joinCode, displayName: '知らない人', companyName: 'みどり本舗' });
    expect(claim.status).toBe(202);
    expect((await facilitator.post(`/api/events/${march.id}/join-requests/${claim.body.requestId}/reject`)).status).toBe(204);

    const res = await facilitator.get(`/api/series/${seriesId}`);
    expect(res.status).toBe(200);
    expect(res.body.series).toEqual({ id: seriesId, title: '通販 CRM 定例会' });
    expect(res.body.sessions.map((s: { title: string; companies: number }) => [s.title, s.companies])).toEqual([
      ['1月 定例会', 2],
      ['3月 定例会', 1],
    ]);
    expect(res.body.companies).toEqual([
      {
        companyId: expect.any(String),
        name: '株式会社あかね',
        attended: 2,
        cells: [
          { eventCompanyId: akane.eventCompanyId, scored: 2, mean: 1.5 },
          { eventCompanyId: akaneAgain.eventCompanyId, scored: 3, mean: 2.3 },
        ],
      },
      { companyId: expect.any(String), name: 'みどり本舗', attended: 1, cells: [{ eventCompanyId: midori.eventCompanyId, scored: 0, mean: null }, null] },
    ]);

    // Only facilitators who may use the series see it.
    expect((await akane.client.get(`/api/series/${seriesId}`)).status).toBe(403);
    const other = await setupFacilitator(testServer.server.origin);
    const stranger = await other.post('/api/facilitators', { email: 'other@example.jp', password: 'another long password', displayName: '別の進行役' });
    expect(stranger.status).toBe(201);
    const otherFacilitator = new ApiClient(testServer.server.origin);
    expect((await otherFacilitator.post('/api/auth/login', { email: 'other@example.jp', password: 'another long password' })).status).toBe(200);
    // Another facilitator's series answers as an unknown one (403 would tell that the id exists).
    expect((await otherFacilitator.get(`/api/series/${seriesId}`)).status).toBe(404);
    expect((await new ApiClient(testServer.server.origin).get(`/api/series/${seriesId}`)).status).toBe(401);
  });

  it('answers 404 for an unknown series and 400 for a malformed id', async () => {
    const unknown = await facilitator.get('/api/series/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('シリーズが見つかりません');
    expect((await facilitator.get('/api/series/not-an-id')).status).toBe(400);
  });

  it('shows an empty series as such', async () => {
    const seriesId = (await facilitator.post('/api/series', { title: 'まだ空のシリーズ' })).body.id as string;
    expect((await facilitator.get(`/api/series/${seriesId}`)).body).toEqual({ series: { id: seriesId, title: 'まだ空のシリーズ' }, sessions: [], companies: [] });
  });
});
