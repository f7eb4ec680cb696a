// Series (定例会, a meetup series): sessions (events) that follow one another. A facilitator may
// use a series they created or one whose sessions they facilitate.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventMembers, events, series } from '../db/schema.ts';
import { forbidden } from '../errors.ts';

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
