// Events, the companies taking part, breakout rooms, and join codes.
import { randomUUID, getRandomValues } from 'node:crypto';
import { and, asc, countDistinct, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { assessments, companies, eventCompanies, eventMembers, events, rooms, series } from '../db/schema.ts';
import { generateJoinCode } from '../../shared/jcrm/join-code.ts';
import { companyNameForm } from '../../shared/text/company-name.ts';
import { withoutInvisible } from '../../shared/text/invisible.ts';
import { TEXT_LIMITS, type EventDetail, type EventSummary, type NewEvent } from '../../shared/schemas/api.ts';
import type { Membership } from '../access/membership.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { companyRole } from '../access/company-access.ts';
import { defaultRoomName, roomForNewCompany } from '../../shared/meetup/room-name.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import { bumpStateRevision, nextStateRevision } from './meetup.ts';

export const DEFAULT_ROOM_NAME = defaultRoomName(1);

/**
 * At most this many companies take part in one session, and participants (and observers;
 * facilitators are not counted). Far above a meetup (30–40 people) and above the benchmarks' one
 * session of 1,000 signed-in clients in 334 companies; what one address may add through the join
 * code is capped lower (server/security/new-company-limit.ts): 110 companies made in seconds from
 * one client broke every board, which opens one worksheet per company of its room.
 */
export const MAX_COMPANIES_PER_EVENT = 500;
export const MAX_MEMBERS_PER_EVENT = 2_000;

export const COMPANY_LIMIT =
  `この会に参加できる会社は${MAX_COMPANIES_PER_EVENT}社までで、上限に達しています。参加している会社を選ぶか、ファシリテーターに相談してください / ` +
  `This session has reached its limit of ${MAX_COMPANIES_PER_EVENT} companies; pick a company already taking part, or ask the facilitator`;
export const MEMBER_LIMIT =
  `この会の参加者は${MAX_MEMBERS_PER_EVENT}人までで、上限に達しています。ファシリテーターに相談してください / ` +
  `This session has reached its limit of ${MAX_MEMBERS_PER_EVENT} participants; ask the facilitator`;

/**
 * Locks the event's row for a change of who takes part (inside a transaction): joins, added
 * companies and approved requests of one event then count and insert one at a time, so two at
 * once cannot both take the last place. FOR NO KEY UPDATE: it waits for (and holds off) the
 * meetup's changes, which lock the row FOR UPDATE, but not the inserts elsewhere that merely
 * reference the event.
 */
export async function lockEventRow(db: Db, eventId: string): Promise<{ status: 'open' | 'closed' }> {
  const [event] = await db.select({ status: events.status }).from(events).where(eq(events.id, eventId)).for('no key update');
  if (!event) throw notFound();
  return event;
}

/** 409 (rule 'member-limit') when the session has MAX_MEMBERS_PER_EVENT participants and observers; call under lockEventRow. */
export async function requireRoomForMember(db: Db, eventId: string): Promise<void> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(eventMembers)
    .where(and(eq(eventMembers.eventId, eventId), ne(eventMembers.role, 'facilitator')));
  if ((row?.n ?? 0) >= MAX_MEMBERS_PER_EVENT) throw conflict(MEMBER_LIMIT, 'member-limit');
}

export async function createEvent(db: Db, userId: string, input: NewEvent): Promise<EventSummary> {
  const kind = input.kind ?? 'study';
  const theme = input.theme?.trim() || null;
  const event = {
    id: randomUUID(),
    title: input.title.trim(),
    date: input.date,
    createdBy: userId,
    joinCode: newJoinCode(),
    kind,
    theme,
    coveredElements: input.coveredElements ?? [],
    seriesId: input.seriesId ?? null,
    // In a meetup, companies that do not know each other score; each sees only its own until
    // the facilitator reveals (a study session among friends shows them at once).
    scoresHidden: kind === 'meetup',
  };
  await db.transaction(async (tx) => {
    await tx.insert(events).values(event);
    await tx.insert(eventMembers).values({ id: randomUUID(), eventId: event.id, userId, role: 'facilitator' });
    // Every event starts with one room, so companies that join land on a board straight away;
    // for online meetups the facilitator adds rooms and moves companies.
    await tx.insert(rooms).values({ id: randomUUID(), eventId: event.id, name: DEFAULT_ROOM_NAME });
  });
  const [inSeries] = event.seriesId ? await db.select({ id: series.id, title: series.title }).from(series).where(eq(series.id, event.seriesId)) : [];
  return { id: event.id, title: event.title, date: event.date, status: 'open', role: 'facilitator', series: inSeries ?? null, companies: 0 };
}

export async function listEventsOf(db: Db, userId: string): Promise<EventSummary[]> {
  const rows = await db
    .select({
      id: events.id,
      title: events.title,
      date: events.date,
      status: events.status,
      role: eventMembers.role,
      seriesId: series.id,
      seriesTitle: series.title,
      companies: sql<number>`(select count(*) from ${eventCompanies} where ${eventCompanies.eventId} = ${events.id})::int`,
    })
    .from(eventMembers)
    .innerJoin(events, eq(events.id, eventMembers.eventId))
    .leftJoin(series, eq(series.id, events.seriesId))
    .where(eq(eventMembers.userId, userId))
    .orderBy(desc(events.date), desc(events.createdAt));
  return rows.map(({ seriesId, seriesTitle, ...event }) => ({
    ...event,
    series: seriesId && seriesTitle !== null ? { id: seriesId, title: seriesTitle } : null,
    companies: Number(event.companies),
  }));
}

export async function getEventDetail(db: Db, eventId: string, member: Membership): Promise<EventDetail> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) throw notFound();
  return {
    id: event.id,
    title: event.title,
    date: event.date,
    status: event.status,
    role: member.role,
    myEventCompanyId: member.eventCompanyId,
    // A closed session keeps its code only so that joining with it says the session has ended.
    joinCode: member.role === 'facilitator' && event.status === 'open' ? event.joinCode : null,
    companiesLocked: event.companiesLocked,
    companies: await listEventCompanies(db, eventId),
    kind: event.kind,
    theme: event.theme,
    coveredElements: event.coveredElements as EventDetail['coveredElements'],
    series: event.seriesId ? ((await db.select({ id: series.id, title: series.title }).from(series).where(eq(series.id, event.seriesId)))[0] ?? null) : null,
    rooms: await listRooms(db, eventId),
  };
}

/** The session's rooms in the order they were made. */
export async function listRooms(db: Db, eventId: string): Promise<Array<{ id: string; name: string }>> {
  return db.select({ id: rooms.id, name: rooms.name }).from(rooms).where(eq(rooms.eventId, eventId)).orderBy(asc(rooms.createdAt), asc(rooms.name));
}

export async function eventTitle(db: Db, eventId: string): Promise<string | null> {
  return (await eventHeading(db, eventId))?.title ?? null;
}

/** The title and the covered elements (the theme) of an event, for its downloads. */
export async function eventHeading(db: Db, eventId: string): Promise<{ title: string; coveredElements: ElementId[] } | null> {
  const [row] = await db.select({ title: events.title, coveredElements: events.coveredElements }).from(events).where(eq(events.id, eventId));
  return row ? { title: row.title, coveredElements: row.coveredElements as ElementId[] } : null;
}

/** Closes the event: read-only, join code revoked, and its meetup clock stopped (no overtime counting on). */
export async function isEventClosed(db: Db, eventId: string): Promise<boolean> {
  const [row] = await db.select({ status: events.status }).from(events).where(eq(events.id, eventId));
  return row?.status === 'closed';
}

export async function closeEvent(db: Db, eventId: string): Promise<void> {
  await db
    .update(events)
    .set({ status: 'closed', closedAt: new Date(), clockStatus: 'idle', clockStepIndex: null, clockEndsAt: null, clockPausedRemainingMs: null, ...nextStateRevision() })
    .where(eq(events.id, eventId));
}

export async function listEventCompanies(db: Db, eventId: string) {
  const source = alias(eventCompanies, 'source');
  const sourceEvent = alias(events, 'source_event');
  const rows = await db
    .select({
      id: eventCompanies.id,
      companyId: companies.id,
      name: companies.name,
      roomId: eventCompanies.roomId,
      carriedEventId: sourceEvent.id,
      carriedTitle: sourceEvent.title,
      carriedDate: sourceEvent.date,
    })
    .from(eventCompanies)
    .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
    .leftJoin(source, eq(source.id, eventCompanies.carriedFrom))
    .leftJoin(sourceEvent, eq(sourceEvent.id, source.eventId))
    .where(eq(eventCompanies.eventId, eventId))
    .orderBy(asc(eventCompanies.createdAt), asc(companies.name));
  return rows.map(({ carriedEventId, carriedTitle, carriedDate, ...company }) => ({
    ...company,
    carriedFrom: carriedEventId ? { eventId: carriedEventId, title: carriedTitle!, date: carriedDate! } : null,
  }));
}

/**
 * How a company name is stored: its one form (companyNameForm: "ＡＢＣ商事 " is "ABC商事"), unless
 * that form is longer than names may be (NFKC writes ㈱ as (株)): then as typed, trimmed, without
 * invisible characters all the same.
 */
function storedCompanyName(name: string): string {
  const form = companyNameForm(name);
  return [...form].length <= TEXT_LIMITS.companyName ? form : withoutInvisible(name).trim();
}

/** A name that is nothing once normalised (invisible characters alone): the text rules refuse it at the edge; this is the net. */
function requireVisibleName(name: string, field: string): void {
  if (companyNameForm(name) === '') throw badRequest(`${field}: 会社名を入力してください（見えない文字だけでは登録できません） / Enter a company name (invisible characters alone do not count)`);
}

/**
 * A company named `name`: case-insensitive, in the stored form or as typed (a name kept as it was
 * by migration 0005 because its form clashed with another company's name).
 */
function companyNamed(name: string) {
  return sql`(lower(${companies.name}) = lower(${storedCompanyName(name)}) or lower(${companies.name}) = lower(${name.trim()}))`;
}

/**
 * The company named `name`, the one whose stored name is the typed name's form first. Inside a
 * transaction its row stays locked FOR KEY SHARE: a refusal deleting the company meanwhile
 * (dropUnusedCompany) waits for this one, or has deleted it already and it is not found.
 */
async function companyByName(db: Db, name: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(companyNamed(name))
    .orderBy(sql`${companies.name} = ${storedCompanyName(name)} desc`, asc(companies.id))
    .limit(1)
    .for('key share');
  return row;
}

/** Finds a company by name (case-insensitive, any width) or creates it; companies are reused across events. */
export async function findOrCreateCompany(db: Db, name: string): Promise<string> {
  requireVisibleName(name, 'name');
  const existing = await companyByName(db, name);
  if (existing) return existing.id;
  await db.insert(companies).values({ id: randomUUID(), name: storedCompanyName(name) }).onConflictDoNothing();
  return (await companyByName(db, name))!.id;
}

export const COMPANY_NAME_ELSEWHERE =
  'companyName: この会社名は別の会で登録されています。同じ会社なら、ファシリテーターにこの会への追加を依頼してください。別の会社なら、区別できる名前（部署名や所在地など）にしてください / ' +
  'This company name is registered from another session. If it is your company, ask the facilitator to add it to this session; otherwise use a name that tells it apart (e.g. add a department or city)';

/**
 * The company a participant names when joining. A company's history (worksheets, assessments,
 * actions) is visible to its members in any event, so a typed name may only reach an existing
 * company the joiner can vouch for: one already in this event, one from an earlier session of the
 * event's series (the facilitator's carry-over scope), one the joiner spoke for before, or one
 * not yet in any event (a colleague creating it this moment). Any other existing company is
 * refused (409): only a facilitator adds it (POST /api/events/:id/companies). A new name creates
 * the company.
 */
export async function companyForParticipant(
  db: Db,
  eventId: string,
  name: string,
  returningUserId: string | null,
): Promise<{ id: string; created: boolean }> {
  requireVisibleName(name, 'companyName');
  const existing = await companyByName(db, name);
  // `created`: this join made the company (a join that then waits for approval makes it too, and
  // the caller counts it against the address's new companies).
  if (!existing) return { id: await findOrCreateCompany(db, name), created: true };
  if (await participantMayUse(db, eventId, existing.id, returningUserId)) return { id: existing.id, created: false };
  throw conflict(COMPANY_NAME_ELSEWHERE);
}

async function participantMayUse(db: Db, eventId: string, companyId: string, returningUserId: string | null): Promise<boolean> {
  const [event] = await db.select({ seriesId: events.seriesId }).from(events).where(eq(events.id, eventId));
  const takesPart = await db
    .select({ eventId: eventCompanies.eventId, seriesId: events.seriesId })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .where(eq(eventCompanies.companyId, companyId));
  if (takesPart.length === 0) return true;
  if (takesPart.some((p) => p.eventId === eventId || (event?.seriesId && p.seriesId === event.seriesId))) return true;
  return returningUserId !== null && (await companyRole(db, returningUserId, companyId)) === 'member';
}

/**
 * Adds a company to an event (idempotent: an existing participation is returned). A new company
 * is seated in the room with the fewest companies (roomForNewCompany) until the facilitator moves
 * it; where participants choose their room (self-select), it waits unseated, so its people are
 * asked to choose.
 */
export async function addCompanyToEvent(db: Db, eventId: string, companyId: string): Promise<string> {
  return (await joinCompanyToEvent(db, eventId, companyId)).id;
}

async function seatForNewCompany(db: Db, eventId: string): Promise<string | null> {
  const [event] = await db.select({ roomMode: events.roomMode }).from(events).where(eq(events.id, eventId));
  if (event?.roomMode === 'self-select') return null;
  // One after the other: `db` is often the join's transaction, which runs one query at a time.
  const eventRooms = await db.select({ id: rooms.id, name: rooms.name }).from(rooms).where(eq(rooms.eventId, eventId));
  if (eventRooms.length === 0) return null;
  const seated = await db
    .select({ roomId: eventCompanies.roomId, n: sql<number>`count(*)::int` })
    .from(eventCompanies)
    .where(and(eq(eventCompanies.eventId, eventId), isNotNull(eventCompanies.roomId)))
    .groupBy(eventCompanies.roomId);
  const count = new Map(seated.map((r) => [r.roomId, Number(r.n)]));
  return roomForNewCompany(eventRooms.map((r) => ({ ...r, seated: count.get(r.id) ?? 0 })));
}

/**
 * addCompanyToEvent, also saying whether the company is new to the event (then its worksheet may
 * carry over). Call it inside a transaction: it locks the event's row, and a company new to the
 * event past MAX_COMPANIES_PER_EVENT is refused (409, rule 'company-limit').
 */
export async function joinCompanyToEvent(db: Db, eventId: string, companyId: string): Promise<{ id: string; created: boolean }> {
  // The event's row first, then the company's (FOR KEY SHARE, as companyByName: not deleted under
  // this join by dropUnusedCompany, which takes them in the same order).
  await lockEventRow(db, eventId);
  const [company] = await db.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId)).for('key share');
  if (!company) throw badRequest('companyId: 会社が見つかりません / no such company');
  const [already] = await db
    .select({ id: eventCompanies.id })
    .from(eventCompanies)
    .where(and(eq(eventCompanies.eventId, eventId), eq(eventCompanies.companyId, companyId)));
  if (already) return { id: already.id, created: false };
  const [taking] = await db.select({ n: sql<number>`count(*)::int` }).from(eventCompanies).where(eq(eventCompanies.eventId, eventId));
  if ((taking?.n ?? 0) >= MAX_COMPANIES_PER_EVENT) throw conflict(COMPANY_LIMIT, 'company-limit');
  const inserted = await db
    .insert(eventCompanies)
    .values({ id: randomUUID(), eventId, companyId, roomId: await seatForNewCompany(db, eventId) })
    .onConflictDoNothing()
    .returning({ id: eventCompanies.id });
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const [row] = await db
    .select({ id: eventCompanies.id })
    .from(eventCompanies)
    .where(and(eq(eventCompanies.eventId, eventId), eq(eventCompanies.companyId, companyId)));
  return { id: row!.id, created: false };
}

/**
 * How many sessions other than `eventId` the company has history in: it takes part in them, or
 * has assessments filed under them. A facilitator who adds such a company to their session (by
 * name) links that history to it: its members' worksheets, assessments and actions from there.
 */
export async function otherSessionsOfCompany(db: Db, companyId: string, eventId: string): Promise<number> {
  const [taking, assessed] = await Promise.all([
    db
      .selectDistinct({ eventId: eventCompanies.eventId })
      .from(eventCompanies)
      .where(and(eq(eventCompanies.companyId, companyId), ne(eventCompanies.eventId, eventId))),
    db
      .selectDistinct({ eventId: assessments.eventId })
      .from(assessments)
      .where(and(eq(assessments.companyId, companyId), isNotNull(assessments.eventId), ne(assessments.eventId, eventId))),
  ]);
  return new Set([...taking, ...assessed].map((row) => row.eventId)).size;
}

/** The event's participation of the company with this name (case-insensitive, any width), without creating anything. */
export async function findEventCompanyByName(db: Db, eventId: string, name: string) {
  const [row] = await db
    .select({ id: eventCompanies.id, companyId: eventCompanies.companyId })
    .from(eventCompanies)
    .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
    .where(and(eq(eventCompanies.eventId, eventId), companyNamed(name)));
  return row ?? null;
}

export async function findEventCompany(db: Db, eventId: string, eventCompanyId: string) {
  const [row] = await db
    .select()
    .from(eventCompanies)
    .where(and(eq(eventCompanies.id, eventCompanyId), eq(eventCompanies.eventId, eventId)));
  return row ?? null;
}

/**
 * Renames a company. Companies are shared across events (found again by name), so one used by
 * any other event is refused: a facilitator must not rename what other events show. The caller
 * has checked that the company takes part in its own event, so "another event" means "more than
 * one event". Keeping the exact current name is a no-op and always allowed.
 */
export async function renameCompany(db: Db, companyId: string, name: string): Promise<void> {
  requireVisibleName(name, 'name');
  const stored = storedCompanyName(name);
  const [current] = await db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId)).for('update');
  if (!current) throw notFound('会社が見つかりません / No such company');
  if (current.name === stored || current.name === name.trim()) return;
  const [usage] = await db
    .select({ events: countDistinct(eventCompanies.eventId) })
    .from(eventCompanies)
    .where(eq(eventCompanies.companyId, companyId));
  if ((usage?.events ?? 0) > 1) {
    throw conflict(
      'この会社は他の会にも参加しているため、名前を変更できません / This company also takes part in other sessions, so it cannot be renamed here',
    );
  }
  const [clash] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(and(companyNamed(name), ne(companies.id, companyId)));
  if (clash) throw badRequest('name: 同じ名前の会社が既にあります / another company already has this name');
  await db.update(companies).set({ name: stored }).where(eq(companies.id, companyId));
}

export async function seatCompany(db: Db, eventId: string, eventCompanyId: string, roomId: string | null): Promise<void> {
  if (roomId) {
    const [room] = await db.select({ id: rooms.id }).from(rooms).where(and(eq(rooms.id, roomId), eq(rooms.eventId, eventId)));
    if (!room) throw badRequest('roomId: この会のルームではありません / not a room of this session');
  }
  await db.update(eventCompanies).set({ roomId }).where(eq(eventCompanies.id, eventCompanyId));
}

/** `createdAt` orders rooms; rooms made together (a split) pass increasing times to keep their order. */
export async function createRoom(db: Db, eventId: string, name: string, createdAt = new Date()) {
  const room = { id: randomUUID(), eventId, name: name.trim(), createdAt };
  await db.insert(rooms).values(room);
  // The rooms are part of the live meetup state.
  await bumpStateRevision(db, eventId);
  return { id: room.id, name: room.name };
}

export async function rotateJoinCode(db: Db, eventId: string): Promise<string> {
  const joinCode = newJoinCode();
  await db.update(events).set({ joinCode }).where(eq(events.id, eventId));
  return joinCode;
}

export async function revokeJoinCode(db: Db, eventId: string): Promise<void> {
  await db.update(events).set({ joinCode: null }).where(eq(events.id, eventId));
}

/** The session a join code opens, open or closed (a closed one is told apart from an unknown code). */
export async function findEventByJoinCode(db: Db, joinCode: string) {
  const [event] = await db
    .select({ id: events.id, title: events.title, date: events.date, companiesLocked: events.companiesLocked, status: events.status })
    .from(events)
    .where(eq(events.joinCode, joinCode));
  return event ?? null;
}

function newJoinCode(): string {
  return generateJoinCode((bytes) => getRandomValues(bytes));
}

/**
 * Makes an account a facilitator of the event. True when added; false when it already was one.
 * Someone who takes part as a participant cannot also facilitate the same event (409).
 */
export async function addFacilitator(db: Db, eventId: string, userId: string): Promise<boolean> {
  const [existing] = await db
    .select({ role: eventMembers.role })
    .from(eventMembers)
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)));
  if (existing?.role === 'facilitator') return false;
  if (existing) throw conflict('この人はこの会に参加者として参加しています / This person takes part in this session as a participant');
  await db.insert(eventMembers).values({ id: randomUUID(), eventId, userId, role: 'facilitator' }).onConflictDoNothing();
  return true;
}
