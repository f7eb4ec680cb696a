// 前回から引き継ぎ on the server: when a company joins a session of a series it took part in
// before, its last worksheet is copied into the new session's document (through the live document
// registry, so the copy is stored, relayed and seen like any edit); 「白紙から始める」 clears it.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../db/client.ts';
import type { DocRegistry } from '../sync/doc-registry.ts';
import { eventCompanies, events } from '../db/schema.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { clearWorksheet, copyWorksheet, previousSession } from '../../shared/pdca/carry-over.ts';

const CARRY_OVER_ORIGIN = 'carry-over';

/** The company and the session (its series, date and creation time) of an event company. */
export async function sessionOfEventCompany(db: Db, eventCompanyId: string) {
  const [row] = await db
    .select({ companyId: eventCompanies.companyId, seriesId: events.seriesId, date: events.date, createdAt: events.createdAt })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .where(eq(eventCompanies.id, eventCompanyId));
  return row ? { ...row, createdAt: row.createdAt.getTime() } : undefined;
}

/** The company's previous session in the same series (its event company), or null. */
export async function previousEventCompany(db: Db, eventCompanyId: string): Promise<string | null> {
  const current = await sessionOfEventCompany(db, eventCompanyId);
  if (!current?.seriesId) return null;
  const past = await db
    .select({ eventCompanyId: eventCompanies.id, date: events.date, createdAt: events.createdAt })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .where(and(eq(events.seriesId, current.seriesId), eq(eventCompanies.companyId, current.companyId), ne(eventCompanies.id, eventCompanyId)));
  const source = previousSession(
    past.map((p) => ({ eventCompanyId: p.eventCompanyId, date: p.date, createdAt: p.createdAt.getTime() })),
    current,
  );
  return source?.eventCompanyId ?? null;
}

/**
 * The company's entries in the other sessions of the same series (none outside a series): their
 * pages show this session's actions for review (the next one) or as carried (the previous one).
 */
export async function sameCompanyElsewhereInSeries(db: Db, eventCompanyId: string): Promise<Array<{ eventId: string; eventCompanyId: string }>> {
  const current = await sessionOfEventCompany(db, eventCompanyId);
  if (!current?.seriesId) return [];
  return db
    .select({ eventId: eventCompanies.eventId, eventCompanyId: eventCompanies.id })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .where(and(eq(events.seriesId, current.seriesId), eq(eventCompanies.companyId, current.companyId), ne(eventCompanies.id, eventCompanyId)));
}

/**
 * Copies the company's previous session's worksheet into this new one (if the event is in a
 * series and the company took part before). Returns the source event company, or null.
 */
export async function carryOverWorksheet(db: Db, docs: DocRegistry, eventCompanyId: string): Promise<string | null> {
  const [current] = await db.select({ carriedFrom: eventCompanies.carriedFrom }).from(eventCompanies).where(eq(eventCompanies.id, eventCompanyId));
  if (!current || current.carriedFrom) return null;
  const sourceId = await previousEventCompany(db, eventCompanyId);
  if (!sourceId) return null;
  const source = { eventCompanyId: sourceId };
  const fromName = sheetDocName(source.eventCompanyId);
  const toName = sheetDocName(eventCompanyId);
  const to = await docs.acquire(toName);
  try {
    // Only into a worksheet nobody has written yet: one carried over and emptied (白紙から始める),
    // or written in since, is never copied into again when a later join makes a "first member".
    if (to.doc.store.clients.size > 0) return null;
    // Mark first (one copy even if two members join at the same moment).
    const marked = await db
      .update(eventCompanies)
      .set({ carriedFrom: source.eventCompanyId })
      .where(and(eq(eventCompanies.id, eventCompanyId), isNull(eventCompanies.carriedFrom)))
      .returning({ id: eventCompanies.id });
    if (marked.length === 0) return null;
    const from = await docs.acquire(fromName);
    try {
      const scratch = new Y.Doc();
      copyWorksheet(from.doc, scratch, () => randomUUID());
      to.applyServerUpdate(Y.encodeStateAsUpdate(scratch), CARRY_OVER_ORIGIN);
      scratch.destroy();
    } finally {
      docs.release(fromName);
    }
  } finally {
    docs.release(toName);
  }
  return source.eventCompanyId;
}

/** 「白紙から始める」: empties the worksheet of this session and drops the carried-over marker. */
export async function startBlank(db: Db, docs: DocRegistry, eventCompanyId: string): Promise<void> {
  const name = sheetDocName(eventCompanyId);
  const live = await docs.acquire(name);
  try {
    // Built on a copy of the live state, so the update deletes exactly what is there now.
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live.doc));
    const before = Y.encodeStateVector(scratch);
    clearWorksheet(scratch);
    live.applyServerUpdate(Y.encodeStateAsUpdate(scratch, before), CARRY_OVER_ORIGIN);
    scratch.destroy();
  } finally {
    docs.release(name);
  }
  await db.update(eventCompanies).set({ carriedFrom: null }).where(eq(eventCompanies.id, eventCompanyId));
}
