// The closing countdown's end in PostgreSQL: which events are counting down, and moving one whose
// countdown ran out to the plenary. Idempotent under the event row lock, so the timer, a lazy
// check on load and another node can all try: exactly one of them changes the row.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { broadcasts, events } from '../db/schema.ts';
import { clockAtPlenary, isExpiredClosing } from '../../shared/meetup/phase.ts';
import { agendaOf, bumpStateRevision, clockOf, lockEvent, saveClock } from './meetup.ts';

type LockedEvent = Awaited<ReturnType<typeof lockEvent>>;

/** Events in the closing countdown, with when it ends (server epoch ms). */
export async function closingEvents(db: Db): Promise<Array<{ eventId: string; endsAt: number }>> {
  const rows = await db.select({ id: events.id, endsAt: events.phaseEndsAt }).from(events).where(eq(events.phase, 'closing'));
  // A closing row without an end time (should not happen) ends at once rather than never.
  return rows.map((r) => ({ eventId: r.id, endsAt: r.endsAt?.getTime() ?? 0 }));
}

export type SettleResult =
  /** Moved to the plenary now. */
  | { settled: true }
  /** Still counting down (until endsAt), or not closing at all (endsAt null). */
  | { settled: false; endsAt: number | null };

/** Moves the event to the plenary if its closing countdown has run out at `now`. */
export async function settleClosing(db: Db, eventId: string, now: number): Promise<SettleResult> {
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx as unknown as Db, eventId);
    const clock = { phase: event.phase, phaseEndsAt: event.phase === 'closing' ? (event.phaseEndsAt?.getTime() ?? 0) : null };
    if (!isExpiredClosing(clock, now)) return { settled: false, endsAt: clock.phaseEndsAt };
    await enterPlenary(tx as unknown as Db, event, now);
    await bumpStateRevision(tx as unknown as Db, eventId);
    return { settled: true };
  });
}

/**
 * Moves a locked event (its row as read under the lock) to the plenary: the phase, and the agenda
 * with it, so the clock no longer counts down a breakout step (clockAtPlenary: the 全体共有 step
 * starts, or the step clock stops). Leaving the plenary changes no clock: see phase:set.
 * The banners sent until then are taken back: 「あと5分」 or a note to one room was for the breakout,
 * and would otherwise stay on every board through the plenary until the facilitator found it.
 */
export async function enterPlenary(db: Db, event: LockedEvent, now: number): Promise<void> {
  await db.update(events).set({ phase: 'plenary', phaseEndsAt: null }).where(eq(events.id, event.id));
  await db
    .update(broadcasts)
    .set({ removedAt: new Date(now) })
    .where(and(eq(broadcasts.eventId, event.id), isNull(broadcasts.removedAt)));
  const clock = clockOf(event);
  const next = clockAtPlenary(agendaOf(event), clock, now);
  if (next !== clock) await saveClock(db, event.id, next);
}
