// Exports to take home: a company's report as JSON (the printable page), Markdown and CSV (its
// members and the event's facilitators only; other companies' scores only as far as the viewer
// may see them), and the facilitators' CSV of every company's scores in a session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse, EventCompanyParams, EventParams } from '../../shared/schemas/api.ts';
import { requireUser } from '../plugins/auth.ts';
import { requireMember } from '../control/guards.ts';
import { FACILITATORS_ONLY } from '../control/guards.ts';
import { forbidden } from '../errors.ts';
import { buildReport } from '../domain/report.ts';
import { eventHeading, listEventCompanies, listRooms } from '../domain/events.ts';
import { listScores } from '../domain/scores.ts';
import { reportCsv, reportMarkdown, roomCell, scoresCsvHead, scoresCsvRow, themedReport, toCsv, type ReportData } from '../../shared/exports/report.ts';
import { Type } from 'typebox';
import type { CompanyScores } from '../../shared/jcrm/scoring.ts';

const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
/** The downloads' language: Japanese unless ?lang=en (the web app passes its UI language). */
const DownloadQuery = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('ja'), Type.Literal('en')])) }, { additionalProperties: false });

/** Content-Disposition for a Japanese file name (RFC 6266 / 5987), with an ASCII fallback. */
function attachment(reply: FastifyReply, name: string, type: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="kizuki-export.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'no-store');
}

/** Characters that reorder what follows them: 「invoice\u202Eexe.csv」 would show as 「invoicevsc.exe」. */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * A file name part: no path or shell characters, no bidi controls, at most 80 characters (whole
 * ones: never half an emoji).
 */
const safeName = (text: string) => [...text.replace(BIDI_CONTROLS, '').replace(/[\\/:*?"<>|\s]+/g, '_')].slice(0, 80).join('');

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function report(request: FastifyRequest, { eventId, eventCompanyId }: { eventId: string; eventCompanyId: string }) {
    const user = requireUser(request);
    const membership = await requireMember(app.db, eventId, user.id);
    if (membership.role !== 'facilitator' && membership.eventCompanyId !== eventCompanyId) {
      throw forbidden('自社のレポートだけを出力できます / Only your own company’s report');
    }
    return buildReport(app.db, app.docs, eventId, eventCompanyId, { role: membership.role, eventCompanyId: membership.eventCompanyId });
  }

  app.get(
    '/api/events/:eventId/companies/:eventCompanyId/report',
    // The report's shape is ReportData (shared/exports/report.ts); serialized as it is.
    { schema: { params: EventCompanyParams, response: { 200: Type.Unsafe<ReportData>({}), ...errors } } },
    // The printable report shows the theme's elements first, as the downloads do.
    async (request) => themedReport(await report(request, request.params)),
  );

  const download = { params: EventCompanyParams, querystring: DownloadQuery, response: errors };
  app.get('/api/events/:eventId/companies/:eventCompanyId/report.md', { schema: download }, async (request, reply) => {
    const data = await report(request, request.params);
    const markdown = reportMarkdown(data, request.query.lang);
    return attachment(reply, `${safeName(data.company.name)}_${safeName(data.event.title)}.md`, 'text/markdown; charset=utf-8').send(markdown);
  });

  app.get('/api/events/:eventId/companies/:eventCompanyId/report.csv', { schema: download }, async (request, reply) => {
    const data = await report(request, request.params);
    return attachment(reply, `${safeName(data.company.name)}_${safeName(data.event.title)}.csv`, 'text/csv; charset=utf-8').send(reportCsv(data, request.query.lang));
  });

  app.get('/api/events/:eventId/scores.csv', { schema: { params: EventParams, querystring: DownloadQuery, response: errors } }, async (request, reply) => {
    const user = requireUser(request);
    const { eventId } = request.params;
    const membership = await requireMember(app.db, eventId, user.id);
    if (membership.role !== 'facilitator') throw forbidden(FACILITATORS_ONLY);
    const companies = await listEventCompanies(app.db, eventId);
    const scores = await listScores(app.db, eventId);
    const roomNames = new Map((await listRooms(app.db, eventId)).map((r) => [r.id, r.name]));
    const heading = await eventHeading(app.db, eventId);
    const covered = heading?.coveredElements ?? [];
    const rows: Array<Array<string | number | null>> = [scoresCsvHead(request.query.lang, covered)];
    for (const company of companies) {
      const own: CompanyScores = {};
      for (const s of scores) if (s.eventCompanyId === company.id && s.value !== null) own[s.element] = s.value;
      rows.push(scoresCsvRow(company.name, roomCell(company.roomId ? (roomNames.get(company.roomId) ?? null) : null, request.query.lang), own, covered));
    }
    const title = heading?.title ?? eventId.slice(0, 8);
    const name = `${safeName(title)}_${request.query.lang === 'en' ? 'scores' : 'スコア'}.csv`;
    return attachment(reply, name, 'text/csv; charset=utf-8').send(toCsv(rows));
  });
};
