// The meetup's shared state in PostgreSQL: phase, agenda and clock, rooms and reveal, banners,
// done marks and help requests. Plain functions taking db (or a transaction).
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { broadcasts, companies, eventCompanies, eventMembers, events, helpRequests, rooms, stepDone, users } from '../db/schema.ts';
import { DEFAULT_AGENDA, type AgendaStep, type ClockState } from '../../shared/meetup/clock.ts';
import type { HelpRequest, MeetupState, Spotlight } from '../../shared/protocol/meetup.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import { notFound } from '../errors.ts';
import { asOneLine } from '../../shared/text/one-line.ts';

/** Banners older than the newest few are not sent any more. */
const BANNERS_SENT = 5;

export async function getMeetupState(db: Db, eventId: string): Promise<MeetupState> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) throw notFound();
  const clock = clockOf(event);
  const roomRows = await db
    .select({ id: rooms.id, name: rooms.name, scoresRevealed: rooms.scoresRevealed })
    .from(rooms)
    .where(eq(rooms.eventId, eventId))
    .orderBy(asc(rooms.createdAt), asc(rooms.name));
  // The latest banners sent, those taken back among them left out (not replaced by older ones).
  const bannerRows = (
    await db
      .select({ id: broadcasts.id, roomId: broadcasts.roomId, text: broadcasts.text, createdAt: broadcasts.createdAt, removedAt: broadcasts.removedAt })
      .from(broadcasts)
      .where(eq(broadcasts.eventId, eventId))
      .orderBy(desc(broadcasts.createdAt))
      .limit(BANNERS_SENT)
  ).filter((row) => row.removedAt === null);
  const done =
    clock.stepIndex === null
      ? []
      : await db
          .select({ userId: stepDone.userId })
          .from(stepDone)
          .where(and(eq(stepDone.eventId, eventId), eq(stepDone.stepIndex, clock.stepIndex)));
  return {
    eventId,
    revision: event.stateRevision,
    kind: event.kind,
    theme: event.theme,
    coveredElements: event.coveredElements as ElementId[],
    scoresHidden: event.scoresHidden,
    elementScoring: event.elementScoring,
    roomMode: event.roomMode,
    phase: event.phase,
    phaseEndsAt: event.phaseEndsAt ? event.phaseEndsAt.getTime() : null,
    spotlight: (event.spotlight ?? null) as Spotlight,
    agenda: agendaOf(event),
    clock,
    rooms: roomRows,
    // A closed session's last messages ("5 minutes left") no longer apply.
    banners: event.status === 'closed' ? [] : bannerRows.reverse().map(({ removedAt: _, ...b }) => ({ ...b, createdAt: b.createdAt.getTime() })),
    done: done.map((d) => d.userId),
  };
}

export function agendaOf(event: { agenda: AgendaStep[] | null }): AgendaStep[] {
  return event.agenda && event.agenda.length > 0 ? event.agenda.map(oneLineStep) : [...DEFAULT_AGENDA];
}

/** A step title stored before titles were one line is read as one (the console sends the agenda back). */
function oneLineStep(step: AgendaStep): AgendaStep {
  return { ...step, title: { ja: asOneLine(step.title.ja), en: asOneLine(step.title.en) } };
}

export function clockOf(event: {
  clockStatus: ClockState['status'];
  clockStepIndex: number | null;
  clockEndsAt: Date | null;
  clockPausedRemainingMs: number | null;
}): ClockState {
  return {
    status: event.clockStatus,
    stepIndex: event.clockStepIndex,
    endsAt: event.clockEndsAt ? event.clockEndsAt.getTime() : null,
    pausedRemainingMs: event.clockPausedRemainingMs,
  };
}

/** The event row locked for a change (one facilitator's change at a time per event). */
export async function lockEvent(db: Db, eventId: string) {
  const [event] = await db.select().from(events).where(eq(events.id, eventId)).for('update');
  if (!event) throw notFound();
  return event;
}

/**
 * Counts a new revision of the live meetup state: called in the transaction of every change of it
 * (clock, phase, settings, rooms, reveal, banners, done marks), and only when something changed,
 * so the number says nothing about what participants do not see (help requests).
 */
export async function bumpStateRevision(db: Db, eventId: string): Promise<void> {
  await db.update(events).set(nextStateRevision()).where(eq(events.id, eventId));
}

/** The `set` of an events update that also changes the live state. */
export function nextStateRevision() {
  return { stateRevision: sql`${events.stateRevision} + 1` };
}

export async function saveClock(db: Db, eventId: string, clock: ClockState): Promise<void> {
  await db
    .update(events)
    .set({
      clockStatus: clock.status,
      clockStepIndex: clock.stepIndex,
      clockEndsAt: clock.endsAt === null ? null : new Date(clock.endsAt),
      clockPausedRemainingMs: clock.pausedRemainingMs === null ? null : Math.round(clock.pausedRemainingMs),
    })
    .where(eq(events.id, eventId));
}

export async function addBanner(db: Db, input: { eventId: string; roomId: string | null; text: string; userId: string }): Promise<void> {
  await db.insert(broadcasts).values({ id: randomUUID(), eventId: input.eventId, roomId: input.roomId, text: input.text, createdBy: input.userId });
}

/** Takes one of the event's banners back; false when it is not there (or was taken back already). */
export async function removeBanner(db: Db, eventId: string, bannerId: string): Promise<boolean> {
  const removed = await db
    .update(broadcasts)
    .set({ removedAt: new Date() })
    .where(and(eq(broadcasts.eventId, eventId), eq(broadcasts.id, bannerId), isNull(broadcasts.removedAt)))
    .returning({ id: broadcasts.id });
  return removed.length > 0;
}

export async function setDone(db: Db, input: { eventId: string; userId: string; stepIndex: number; done: boolean }): Promise<void> {
  if (input.done) {
    await db.insert(stepDone).values({ eventId: input.eventId, userId: input.userId, stepIndex: input.stepIndex }).onConflictDoNothing();
  } else {
    await db
      .delete(stepDone)
      .where(and(eq(stepDone.eventId, input.eventId), eq(stepDone.userId, input.userId), eq(stepDone.stepIndex, input.stepIndex)));
  }
}

/**
 * Open help requests one event holds at most. Every change pushes the whole open list to every
 * facilitator socket, so the list must stay small (a few dozen people ask at most one each).
 */
export const MAX_OPEN_HELP_REQUESTS = 200;

/**
 * What asking for help did: a new request, a new text for the asker's open one, nothing, or
 * refused (the event is full of requests, or was closed meanwhile).
 */
export type HelpAsked = 'added' | 'updated' | 'unchanged' | 'full' | 'closed';

/**
 * One open request per person and event: asking again while one is open replaces its text (an
 * empty one keeps it) and room (it keeps its place in the queue). The event row is locked, so two sockets of one person
 * asking at once cannot both add one, nor two people take the last place under the cap.
 */
export async function askForHelp(db: Db, input: { eventId: string; roomId: string | null; userId: string; text: string }): Promise<HelpAsked> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if ((await lockEvent(t, input.eventId)).status === 'closed') return 'closed';
    const [open] = await t
      .select({ id: helpRequests.id, roomId: helpRequests.roomId, text: helpRequests.text })
      .from(helpRequests)
      .where(and(eq(helpRequests.eventId, input.eventId), eq(helpRequests.userId, input.userId), isNull(helpRequests.handledAt)))
      .orderBy(asc(helpRequests.createdAt))
      .limit(1);
    if (open) {
      // Asking again with nothing typed ("still waiting") keeps what they asked for.
      const text = input.text === '' ? open.text : input.text;
      if (open.text === text && open.roomId === input.roomId) return 'unchanged';
      await t.update(helpRequests).set({ text, roomId: input.roomId }).where(eq(helpRequests.id, open.id));
      return 'updated';
    }
    if ((await countOpenHelpRequests(t, input.eventId)) >= MAX_OPEN_HELP_REQUESTS) return 'full';
    await t.insert(helpRequests).values({ id: randomUUID(), ...input });
    return 'added';
  });
}

async function countOpenHelpRequests(db: Db, eventId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(helpRequests)
    .where(and(eq(helpRequests.eventId, eventId), isNull(helpRequests.handledAt)));
  return row?.n ?? 0;
}

/** Marks a request handled; who asked (and their company there), or null when already handled or unknown. */
export async function handleHelpRequest(db: Db, eventId: string, helpId: string, userId: string): Promise<{ userId: string; eventCompanyId: string | null } | null> {
  const [handled] = await db
    .update(helpRequests)
    .set({ handledAt: new Date(), handledBy: userId })
    .where(and(eq(helpRequests.id, helpId), eq(helpRequests.eventId, eventId), isNull(helpRequests.handledAt)))
    .returning({ userId: helpRequests.userId });
  if (!handled) return null;
  const [member] = await db
    .select({ eventCompanyId: eventMembers.eventCompanyId })
    .from(eventMembers)
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, handled.userId)));
  return { userId: handled.userId, eventCompanyId: member?.eventCompanyId ?? null };
}

/**
 * Open help requests, oldest first, with who asked (and their company). At most the cap, also
 * for an event flooded before there was one (every push carries the whole list).
 */
export async function openHelpRequests(db: Db, eventId: string): Promise<HelpRequest[]> {
  const rows = await db
    .select({
      id: helpRequests.id,
      // Where the asker's company sits now (it may have moved since); a facilitator's, where they asked.
      roomId: sql<string | null>`case when ${eventCompanies.id} is not null then ${eventCompanies.roomId} else ${helpRequests.roomId} end`,
      userId: helpRequests.userId,
      userName: users.displayName,
      companyName: companies.name,
      text: helpRequests.text,
      createdAt: helpRequests.createdAt,
    })
    .from(helpRequests)
    .innerJoin(users, eq(users.id, helpRequests.userId))
    .leftJoin(eventMembers, and(eq(eventMembers.eventId, helpRequests.eventId), eq(eventMembers.userId, helpRequests.userId)))
    .leftJoin(eventCompanies, eq(eventCompanies.id, eventMembers.eventCompanyId))
    .leftJoin(companies, eq(companies.id, eventCompanies.companyId))
    .where(and(eq(helpRequests.eventId, eventId), isNull(helpRequests.handledAt)))
    .orderBy(asc(helpRequests.createdAt))
    .limit(MAX_OPEN_HELP_REQUESTS);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
}

/** The room a member's company sits in (null for facilitators or unseated companies). */
export async function roomOfMember(db: Db, eventCompanyId: string | null): Promise<string | null> {
  if (!eventCompanyId) return null;
  const [row] = await db.select({ roomId: eventCompanies.roomId }).from(eventCompanies).where(eq(eventCompanies.id, eventCompanyId));
  return row?.roomId ?? null;
}
