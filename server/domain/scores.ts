// Self-assessment scores: the current value per company × element, and every change kept in
// score_history so a company can follow its scores across sessions (PDCA).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, scoreHistory as scoreHistoryTable, scores, users } from '../db/schema.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import type { ScoreValue } from '../../shared/jcrm/scoring.ts';
import type { ScoreEntry, ScoreHistoryEntry } from '../../shared/protocol/control-events.ts';

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
