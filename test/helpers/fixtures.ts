// Builds the usual cast: a facilitator with an event, and participants who joined as companies.
import { expect } from 'vitest';
import { ApiClient } from './api-client.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';

export const FACILITATOR = { email: 'fac@example.jp', password: 'correct horse battery', displayName: '進行役' };

export async function setupFacilitator(origin: string, who = FACILITATOR): Promise<ApiClient> {
  const client = new ApiClient(origin);
  const res = await client.post('/api/setup', who);
  if (res.status === 409) {
    const login = await client.post('/api/auth/login', { email: who.email, password: who.password });
    expect(login.status).toBe(200);
  } else {
    expect(res.status).toBe(201);
  }
  return client;
}

/** An event of the default format (勉強会: one room, scores shown) unless `kind` says 'meetup' (交流会). */
export async function createEvent(facilitator: ApiClient, title = 'JCRM 勉強会', kind?: 'study' | 'meetup') {
  const res = await facilitator.post('/api/events', { title, date: '2026-12-01', ...(kind ? { kind } : {}) });
  expect(res.status).toBe(201);
  const detail = await facilitator.get(`/api/events/${res.body.id}`);
  return detail.body as { id: string; joinCode: string };
}

export async function joinAs(origin: string, joinCode: string, displayName: string, companyName: string) {
  const client = new ApiClient(origin);
  const res = await client.post('/api/join', { code: joinCode, displayName, companyName });
  expect(res.status).toBe(201);
  return { client, eventCompanyId: res.body.eventCompanyId as string, userId: res.body.user.id as string };
}

/**
 * joinAs for a company that may bring history from other sessions, from a new browser: the first
 * person to claim such a company waits for a facilitator (202), who approves them here.
 */
export async function joinApproved(origin: string, facilitator: ApiClient, event: { id: string; joinCode: string }, displayName: string, companyName: string) {
  const client = new ApiClient(origin);
  const res = await client.post('/api/join', { code: event.joinCode, displayName, companyName });
  if (res.status === 202) {
    const approved = await facilitator.post(`/api/events/${event.id}/join-requests/${res.body.requestId}/approve`);
    expect(approved.status).toBe(204);
    // A waiting claim names no company of the session yet: approval brought the company in.
    const state = await client.get(`/api/join/requests/${res.body.requestId}`);
    expect(state.body.status).toBe('approved');
    return { client, eventCompanyId: state.body.eventCompanyId as string, userId: res.body.user.id as string };
  }
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { client, eventCompanyId: res.body.eventCompanyId as string, userId: res.body.user.id as string };
}

/** A fresh session with one participant, Alice of Acme通販: her cookie and her company's worksheet document. */
export async function participantOnOwnSheet(origin: string): Promise<{ cookie: string; docName: string; joinCode: string }> {
  const facilitator = await setupFacilitator(origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(origin, event.joinCode, 'Alice', 'Acme通販');
  return { cookie: alice.client.cookie!, docName: sheetDocName(alice.eventCompanyId), joinCode: event.joinCode };
}

/**
 * A series whose first session (1月) has 佐藤 speaking for `company`, and its second (2月, a
 * meetup) with nobody yet: there, `company` has history elsewhere, so claiming it waits for a
 * facilitator (company-history).
 */
export async function seriesWithHistory(origin: string, facilitator: ApiClient, company: string) {
  const seriesId = (await facilitator.post('/api/series', { title: `定例会 ${company}` })).body.id as string;
  const session = async (title: string, date: string) => {
    const res = await facilitator.post('/api/events', { title, date, seriesId, kind: 'meetup' });
    expect(res.status).toBe(201);
    return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
  };
  const january = await session('1月 交流会', '2026-01-20');
  await joinAs(origin, january.joinCode, '佐藤', company);
  const february = await session('2月 交流会', '2026-02-17');
  return { seriesId, january, february };
}
