// Self-assessment scores: the current value per company × element, and every change kept in
// score_history so a company can follow its scores across sessions (PDCA).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, events, rooms, scoreHistory as scoreHistoryTable, scores, users } from '../db/schema.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import type { ScoreValue } from '../../shared/jcrm/scoring.ts';
import type { ScoreEntry, ScoreHistoryEntry } from '../../shared/protocol/control-events.ts';
import type { ScoreVisibility } from '../../shared/protocol/domain-events.ts';
import { maySeeScoreValues } from '../../shared/jcrm/score-visibility.ts';

/** The database stores smallint / text; the handlers only ever write 0–3 / null and known elements. */
function toEntry(row: { eventCompanyId: string; element: string; value: number | null; updatedAt: Date }): ScoreEntry {
  return {
    eventCompanyId: row.eventCompanyId,
    element: row.element as ElementId,
    value: row.value as ScoreValue | null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Every current score of the event's companies (cleared ones included, with value null). */
export async function listScores(db: Db, eventId: string): Promise<ScoreEntry[]> {
  const rows = await db
    .select({
      eventCompanyId: scores.eventCompanyId,
      element: scores.element,
      value: scores.value,
      updatedAt: scores.updatedAt,
    })
    .from(scores)
    .innerJoin(eventCompanies, eq(eventCompanies.id, scores.eventCompanyId))
    .where(eq(eventCompanies.eventId, eventId))
    .orderBy(asc(scores.eventCompanyId), asc(scores.element));
  return rows.map(toEntry);
}

export interface SetScoreInput {
  eventCompanyId: string;
  element: ElementId;
  value: ScoreValue | null;
  userId: string;
}

export interface SetScoreResult {
  score: ScoreEntry;
  /** False when the value was already the current one: nothing was written. */
  changed: boolean;
}

/**
 * Upserts the current value and appends the change to the history, atomically. Setting the value
 * a score already has writes nothing (no history row, no new updatedAt) and returns the current
 * entry with changed: false. A first clear (null on a score never set) is a change.
 */
export async function setScore(db: Db, input: SetScoreInput): Promise<SetScoreResult> {
  const { eventCompanyId, element, value, userId } = input;
  const columns = {
    eventCompanyId: scores.eventCompanyId,
    element: scores.element,
    value: scores.value,
    updatedAt: scores.updatedAt,
  };
  return db.transaction(async (tx) => {
    // Lock the current row so concurrent sets of one score are compared and written in turn.
    const [current] = await tx
      .select(columns)
      .from(scores)
      .where(and(eq(scores.eventCompanyId, eventCompanyId), eq(scores.element, element)))
      .for('update');
    if (current && current.value === value) return { score: toEntry(current), changed: false };
    const now = new Date();
    const [row] = await tx
      .insert(scores)
      .values({ eventCompanyId, element, value, setBy: userId, updatedAt: now })
      .onConflictDoUpdate({
        target: [scores.eventCompanyId, scores.element],
        set: { value, setBy: userId, updatedAt: now },
      })
      .returning(columns);
    await tx.insert(scoreHistoryTable).values({ eventCompanyId, element, value, setBy: userId, setAt: now });
    return { score: toEntry(row!), changed: true };
  });
}

/** Every change of one company's score for one element, oldest first, with who set it. */
export async function scoreHistory(db: Db, eventCompanyId: string, element: ElementId): Promise<ScoreHistoryEntry[]> {
  const rows = await db
    .select({ value: scoreHistoryTable.value, setAt: scoreHistoryTable.setAt, setByName: users.displayName })
    .from(scoreHistoryTable)
    .leftJoin(users, eq(users.id, scoreHistoryTable.setBy))
    .where(and(eq(scoreHistoryTable.eventCompanyId, eventCompanyId), eq(scoreHistoryTable.element, element)))
    .orderBy(asc(scoreHistoryTable.id));
  return rows.map((r) => ({ value: r.value as ScoreValue | null, setAt: r.setAt.toISOString(), setByName: r.setByName ?? null }));
}

/** Whether this member may see the values of the company's scores now (maySeeScoreValues). */
export async function mayViewScoresOf(db: Db, eventId: string, viewer: { role: string; eventCompanyId: string | null }, eventCompanyId: string): Promise<boolean> {
  const visibility = await scoreVisibility(db, eventId, eventCompanyId);
  return maySeeScoreValues(visibility, { ...viewer, roomId: await roomOfCompany(db, eventId, viewer.eventCompanyId) }, eventCompanyId);
}

async function roomOfCompany(db: Db, eventId: string, eventCompanyId: string | null): Promise<string | null> {
  if (!eventCompanyId) return null;
  const [row] = await db
    .select({ roomId: eventCompanies.roomId })
    .from(eventCompanies)
    .where(and(eq(eventCompanies.id, eventCompanyId), eq(eventCompanies.eventId, eventId)));
  return row?.roomId ?? null;
}

/** Who may see the values of this company's scores right now (see ScoreVisibility). */
export async function scoreVisibility(db: Db, eventId: string, eventCompanyId: string): Promise<ScoreVisibility> {
  const [row] = await db
    .select({ hidden: events.scoresHidden, roomId: eventCompanies.roomId, revealed: rooms.scoresRevealed })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .leftJoin(rooms, eq(rooms.id, eventCompanies.roomId))
    .where(and(eq(eventCompanies.id, eventCompanyId), eq(eventCompanies.eventId, eventId)));
  return { hidden: row?.hidden ?? false, ownerRoomId: row?.roomId ?? null, ownerRoomRevealed: row?.revealed ?? false };
}

/** A score as someone who may not see its value receives it: only whether it is set. */
export function redactScore(entry: ScoreEntry): ScoreEntry {
  return { eventCompanyId: entry.eventCompanyId, element: entry.element, value: null, updatedAt: entry.updatedAt, hidden: true, scored: entry.value !== null };
}

/** The event's scores as this member may see them (maySeeScoreValues); the others redacted. */
export async function visibleScores(db: Db, eventId: string, viewer: { role: string; eventCompanyId: string | null }): Promise<ScoreEntry[]> {
  const all = await listScores(db, eventId);
  const [event] = await db.select({ hidden: events.scoresHidden }).from(events).where(eq(events.id, eventId));
  if (!event?.hidden || viewer.role === 'facilitator') return all;
  const seats = await db
    .select({ id: eventCompanies.id, roomId: eventCompanies.roomId, revealed: rooms.scoresRevealed })
    .from(eventCompanies)
    .leftJoin(rooms, eq(rooms.id, eventCompanies.roomId))
    .where(eq(eventCompanies.eventId, eventId));
  const seat = new Map(seats.map((s) => [s.id, s]));
  const me = { ...viewer, roomId: viewer.eventCompanyId ? (seat.get(viewer.eventCompanyId)?.roomId ?? null) : null };
  return all.map((entry) => {
    const owner = seat.get(entry.eventCompanyId);
    const visibility = { hidden: true, ownerRoomId: owner?.roomId ?? null, ownerRoomRevealed: owner?.revealed ?? false };
    return maySeeScoreValues(visibility, me, entry.eventCompanyId) ? entry : redactScore(entry);
  });
}
