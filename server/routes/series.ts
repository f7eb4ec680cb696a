// Series (定例会) and what carries from one session to the next: facilitators create series and
// put events in them; a company's members (or facilitators) may drop a carried-over worksheet and
// start blank.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, EventCompanyParams, EventParams, NewSeries, SeriesSummary, UpdateEventSeries } from '../../shared/schemas/api.ts';
import { requireFacilitatorAccount, requireUser } from '../plugins/auth.ts';
import { EVENT_CLOSED, requireFacilitator, requireMember } from '../control/guards.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { createSeries, listSeriesFor, requireUsableSeries, seriesOverview, setEventSeries } from '../domain/series.ts';
import { SeriesOverview, SeriesParams } from '../../shared/schemas/pdca.ts';
import { startBlank } from '../domain/carry-over.ts';
import { findEventCompany } from '../domain/events.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const seriesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/series', { schema: { body: NewSeries, response: { 201: SeriesSummary, ...errors } } }, async (request, reply) => {
    const user = requireFacilitatorAccount(request);
    return reply.code(201).send(await createSeries(app.db, user.id, request.body.title));
  });

  app.get('/api/series', { schema: { response: { 200: Type.Array(SeriesSummary), ...errors } } }, async (request) =>
    listSeriesFor(app.db, requireFacilitatorAccount(request).id),
  );

  // The series at a glance: its sessions (those this facilitator runs) × the companies in them.
  app.get('/api/series/:seriesId', { schema: { params: SeriesParams, response: { 200: SeriesOverview, ...errors } } }, async (request) =>
    seriesOverview(app.db, requireFacilitatorAccount(request).id, request.params.seriesId),
  );

  app.put(
    '/api/events/:eventId/series',
    { schema: { params: EventParams, body: UpdateEventSeries, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { eventId } = request.params;
      await requireFacilitator(app.db, eventId, user.id);
      const { seriesId } = request.body;
      if (seriesId) await requireUsableSeries(app.db, user.id, seriesId);
      await setEventSeries(app.db, eventId, seriesId);
      await app.domain.publish({ type: 'event.changed', eventId });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/events/:eventId/companies/:eventCompanyId/start-blank',
    { schema: { params: EventCompanyParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { eventId, eventCompanyId } = request.params;
      const membership = await requireMember(app.db, eventId, user.id);
      if (membership.role !== 'facilitator' && membership.eventCompanyId !== eventCompanyId) {
        throw forbidden('自社のワークシートだけを白紙にできます / Only your own company’s worksheet');
      }
      if (membership.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
      if (!(await findEventCompany(app.db, eventId, eventCompanyId))) throw notFound('この会社はこの会に参加していません / No such company in this session');
      await startBlank(app.db, app.docs, eventCompanyId);
      await app.domain.publish({ type: 'event.changed', eventId });
      return reply.code(204).send(null);
    },
  );
};
