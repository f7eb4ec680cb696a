// Series (定例会, a meetup series): sessions (events) that follow one another. A facilitator may
// use a series they created or one whose sessions they facilitate.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { companies, eventCompanies, eventMembers, events, scores, series } from '../db/schema.ts';
import { forbidden, notFound } from '../errors.ts';
import { buildSeriesOverview, type SeriesOverviewData } from '../../shared/pdca/series-overview.ts';

export interface SeriesSummary {
  id: string;
  title: string;
}

export async function createSeries(db: Db, userId: string, title: string): Promise<SeriesSummary> {
  const row = { id: randomUUID(), title: title.trim(), createdBy: userId };
  await db.insert(series).values(row);
  return { id: row.id, title: row.title };
}

/** Series this facilitator created or runs sessions of, newest first. */
export async function listSeriesFor(db: Db, userId: string): Promise<SeriesSummary[]> {
  const facilitated = db
    .selectDistinct({ id: events.seriesId })
    .from(events)
    .innerJoin(eventMembers, eq(eventMembers.eventId, events.id))
    .where(and(eq(eventMembers.userId, userId), eq(eventMembers.role, 'facilitator')));
  return db
    .select({ id: series.id, title: series.title })
    .from(series)
    .where(or(eq(series.createdBy, userId), inArray(series.id, facilitated)))
    .orderBy(desc(series.createdAt));
}

/** Throws 403 unless this facilitator may put events into this series. */
export async function requireUsableSeries(db: Db, userId: string, seriesId: string): Promise<void> {
  const usable = await listSeriesFor(db, userId);
  if (!usable.some((s) => s.id === seriesId)) throw forbidden('このシリーズは使えません / You cannot use this series');
}

export async function setEventSeries(db: Db, eventId: string, seriesId: string | null): Promise<void> {
  await db.update(events).set({ seriesId }).where(eq(events.id, eventId));
}

const NO_SUCH_SERIES = 'シリーズが見つかりません / No such series';

/**
 * A series at a glance for a facilitator who may use it (404 for anyone else): the sessions of it they run (as a
 * company's page shows a facilitator only those), and the companies that took part in them.
 */
export async function seriesOverview(db: Db, userId: string, seriesId: string): Promise<{ series: SeriesSummary } & SeriesOverviewData> {
  // A series this facilitator may not use answers as an unknown one: 403 would tell that the id exists.
  const found = (await listSeriesFor(db, userId)).find((s) => s.id === seriesId);
  if (!found) throw notFound(NO_SUCH_SERIES);
  const sessions = await db
    .select({ eventId: events.id, title: events.title, date: events.date, status: events.status })
    .from(events)
    .innerJoin(eventMembers, and(eq(eventMembers.eventId, events.id), eq(eventMembers.userId, userId), eq(eventMembers.role, 'facilitator')))
    .where(eq(events.seriesId, seriesId))
    .orderBy(asc(events.date), asc(events.createdAt));
  const eventIds = sessions.map((s) => s.eventId);
  const participations = eventIds.length
    ? await db
        .select({ eventId: eventCompanies.eventId, eventCompanyId: eventCompanies.id, companyId: companies.id, companyName: companies.name })
        .from(eventCompanies)
        .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
        .where(inArray(eventCompanies.eventId, eventIds))
    : [];
  // Companies with a member: one read by the sessions' ids (event_members is indexed by event).
  const withMembers = eventIds.length
    ? new Set(
        (
          await db
            .selectDistinct({ id: eventMembers.eventCompanyId })
            .from(eventMembers)
            .where(and(inArray(eventMembers.eventId, eventIds), isNotNull(eventMembers.eventCompanyId)))
        ).map((r) => r.id),
      )
    : new Set<string | null>();
  // The sessions' companies as a subquery, not a list of ids: a long series stays one parameter per session.
  const companiesOfSessions = db.select({ id: eventCompanies.id }).from(eventCompanies).where(inArray(eventCompanies.eventId, eventIds));
  const scored = participations.length
    ? await db
        .select({ eventCompanyId: scores.eventCompanyId, element: scores.element, value: scores.value })
        .from(scores)
        .where(and(inArray(scores.eventCompanyId, companiesOfSessions), isNotNull(scores.value)))
    : [];
  return { series: found, ...buildSeriesOverview(sessions, participations.map((p) => ({ ...p, hasMember: withMembers.has(p.eventCompanyId) })), scored) };
}
