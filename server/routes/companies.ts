// A company's page across sessions: the sessions it took part in and its element-score trend.
// Its members see all of them; a facilitator sees the sessions they run; anyone else — another
// company's members included — is refused (so no route shows a company's scores to another).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, eq, inArray } from 'drizzle-orm';
import { ErrorResponse } from '../../shared/schemas/api.ts';
import { CompanyParams, CompanySessions, CompanyTrend, TrendQuery } from '../../shared/schemas/pdca.ts';
import { requireUser } from '../plugins/auth.ts';
import { companyRole } from '../access/company-access.ts';
import { companies, eventCompanies, eventMembers, events, scores, series } from '../db/schema.ts';
import { forbidden, notFound } from '../errors.ts';
import { computeTrend, type TrendSession } from '../../shared/pdca/trend.ts';
import { isElementId } from '../../shared/jcrm/elements.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const NOT_YOURS = 'この会社のページは、その会社のメンバーと担当ファシリテーターだけが見られます / Only the company’s members and its facilitators can see this';

export const companyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The sessions this user may see for this company. */
  async function visibleSessions(userId: string, companyId: string) {
    const role = await companyRole(app.db, userId, companyId);
    if (!role) throw forbidden(NOT_YOURS);
    const rows = await app.db
      .select({
        eventId: events.id,
        eventCompanyId: eventCompanies.id,
        title: events.title,
        date: events.date,
        status: events.status,
        seriesId: series.id,
        seriesTitle: series.title,
        carriedFrom: eventCompanies.carriedFrom,
      })
      .from(eventCompanies)
      .innerJoin(events, eq(events.id, eventCompanies.eventId))
      .leftJoin(series, eq(series.id, events.seriesId))
      .where(eq(eventCompanies.companyId, companyId))
      .orderBy(events.date, events.createdAt);
    let visible = rows;
    if (role === 'facilitator') {
      const mine = new Set(
        (await app.db.select({ eventId: eventMembers.eventId }).from(eventMembers).where(and(eq(eventMembers.userId, userId), eq(eventMembers.role, 'facilitator')))).map((r) => r.eventId),
      );
      visible = rows.filter((r) => mine.has(r.eventId));
    }
    const carriedEvents = new Map(rows.map((r) => [r.eventCompanyId, r.eventId]));
    return {
      role,
      sessions: visible.map((r) => ({
        eventId: r.eventId,
        eventCompanyId: r.eventCompanyId,
        title: r.title,
        date: r.date,
        status: r.status,
        series: r.seriesId ? { id: r.seriesId, title: r.seriesTitle! } : null,
        carriedFromEventId: r.carriedFrom ? (carriedEvents.get(r.carriedFrom) ?? null) : null,
      })),
    };
  }

  app.get('/api/companies/:companyId/sessions', { schema: { params: CompanyParams, response: { 200: CompanySessions, ...errors } } }, async (request) => {
    const user = requireUser(request);
    const { companyId } = request.params;
    const [company] = await app.db.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.id, companyId));
    if (!company) throw notFound('会社が見つかりません / No such company');
    const { role, sessions } = await visibleSessions(user.id, companyId);
    return { company, role, sessions };
  });

  app.get(
    '/api/companies/:companyId/trend',
    { schema: { params: CompanyParams, querystring: TrendQuery, response: { 200: CompanyTrend, ...errors } } },
    async (request) => {
      const user = requireUser(request);
      const { companyId } = request.params;
      const { seriesId } = request.query;
      const { sessions } = await visibleSessions(user.id, companyId);
      const chosen = seriesId ? sessions.filter((s) => s.series?.id === seriesId) : sessions;
      const rows = chosen.length
        ? await app.db
            .select({ eventCompanyId: scores.eventCompanyId, element: scores.element, value: scores.value })
            .from(scores)
            .where(inArray(scores.eventCompanyId, chosen.map((s) => s.eventCompanyId)))
        : [];
      const trendSessions: TrendSession[] = chosen.map((s) => ({ eventId: s.eventId, title: s.title, date: s.date, scores: {} }));
      const byCompany = new Map(chosen.map((s, i) => [s.eventCompanyId, trendSessions[i]!]));
      for (const row of rows) {
        if (row.value === null || !isElementId(row.element)) continue;
        byCompany.get(row.eventCompanyId)!.scores[row.element] = row.value;
      }
      return computeTrend(trendSessions);
    },
  );
};
