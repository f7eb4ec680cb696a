// What carries from one session to the next, over HTTP: series, start-blank, take-home actions, a
// company's sessions and trend.
import type { Static } from 'typebox';
import { request } from './http.ts';
import type { CompanyActions, CompanySessions, CompanyTrend, NewAction, SeriesOverview, TakeHomeAction, UpdateAction } from '../../../shared/schemas/pdca.ts';

export type Action = TakeHomeAction;
export type ActionsView = Static<typeof CompanyActions>;
export type SessionsView = Static<typeof CompanySessions>;
export type TrendView = Static<typeof CompanyTrend>;
export type SeriesView = SeriesOverview;

export const pdcaApi = {
  seriesOverview: (seriesId: string) => request<SeriesView>('GET', `/api/series/${seriesId}`),
  listSeries: () => request<Array<{ id: string; title: string }>>('GET', '/api/series'),
  createSeries: (title: string) => request<{ id: string; title: string }>('POST', '/api/series', { title }),
  setEventSeries: (eventId: string, seriesId: string | null) => request<null>('PUT', `/api/events/${eventId}/series`, { seriesId }),
  startBlank: (eventId: string, eventCompanyId: string) => request<null>('POST', `/api/events/${eventId}/companies/${eventCompanyId}/start-blank`),
  actions: (eventId: string, eventCompanyId: string) => request<ActionsView>('GET', `/api/events/${eventId}/companies/${eventCompanyId}/actions`),
  addAction: (eventId: string, eventCompanyId: string, body: Static<typeof NewAction>) =>
    request<Action>('POST', `/api/events/${eventId}/companies/${eventCompanyId}/actions`, body),
  updateAction: (actionId: string, body: Static<typeof UpdateAction>) => request<Action>('PATCH', `/api/actions/${actionId}`, body),
  carryAction: (actionId: string, eventCompanyId: string) => request<Action>('POST', `/api/actions/${actionId}/carry`, { eventCompanyId }),
  sessions: (companyId: string) => request<SessionsView>('GET', `/api/companies/${companyId}/sessions`),
  trend: (companyId: string, seriesId?: string) => request<TrendView>('GET', `/api/companies/${companyId}/trend${seriesId ? `?seriesId=${seriesId}` : ''}`),
};
