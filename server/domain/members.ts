// The company boundary: who is in which company, removing members, locking an event's companies,
// per-company invite codes, and join requests that wait for a facilitator's approval.
import { randomUUID, getRandomValues } from 'node:crypto';
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { assessments, companies, eventCompanies, eventMembers, events, joinRequests, users } from '../db/schema.ts';
import { generateInviteCode } from '../../shared/jcrm/invite-code.ts';
import type { Membership } from '../access/membership.ts';
import type { EventMembers, Member, PendingJoinRequest } from '../../shared/schemas/members.ts';
import { conflict, notFound } from '../errors.ts';
import { isUniqueViolation } from './users.ts';
import { assignCarriedActions } from './actions.ts';
import { joinCompanyToEvent, lockEventRow, otherSessionsOfCompany, requireRoomForMember } from './events.ts';
import { companyRole } from '../access/company-access.ts';
import { personNameKey } from '../../shared/text/company-name.ts';

export const REQUEST_NOT_FOUND = '参加申請が見つかりません / No such join request';

/**
 * Members per company. Facilitators see every company (with its invite code) and the members who
 * speak for no company; a participant sees only their own company's members.
 */
export async function listMembers(db: Db, eventId: string, viewer: Membership): Promise<EventMembers> {
  const [event] = await db.select({ companiesLocked: events.companiesLocked }).from(events).where(eq(events.id, eventId));
  if (!event) throw notFound();
  const facilitator = viewer.role === 'facilitator';
  const own = viewer.eventCompanyId;
  const companyRows =
    !facilitator && !own
      ? []
      : await db
          .select({ id: eventCompanies.id, name: companies.name, inviteCode: eventCompanies.inviteCode })
          .from(eventCompanies)
          .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
          .where(facilitator ? eq(eventCompanies.eventId, eventId) : and(eq(eventCompanies.eventId, eventId), eq(eventCompanies.id, own!)))
          .orderBy(asc(eventCompanies.createdAt), asc(companies.name));
  const memberRows = await db
    .select({
      userId: eventMembers.userId,
      displayName: users.displayName,
      role: eventMembers.role,
      eventCompanyId: eventMembers.eventCompanyId,
      createdAt: eventMembers.createdAt,
    })
    .from(eventMembers)
    .innerJoin(users, eq(users.id, eventMembers.userId))
    .where(eq(eventMembers.eventId, eventId))
    .orderBy(asc(eventMembers.createdAt), asc(users.displayName));
  const toMember = (row: (typeof memberRows)[number]): Member => ({
    userId: row.userId,
    displayName: row.displayName,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  });
  return {
    companiesLocked: event.companiesLocked,
    companies: companyRows.map((c) => ({
      id: c.id,
      name: c.name,
      inviteCode: facilitator ? c.inviteCode : null,
      members: memberRows.filter((m) => m.eventCompanyId === c.id).map(toMember),
    })),
    others: facilitator ? memberRows.filter((m) => m.eventCompanyId === null).map(toMember) : [],
  };
}

/**
 * Removes a participant or observer from the event (never a facilitator: an event must keep the
 * people who run it). Returns what the removed membership was, for closing its connections.
 */
export async function removeMember(db: Db, eventId: string, userId: string) {
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select({ role: eventMembers.role, eventCompanyId: eventMembers.eventCompanyId, roomId: eventCompanies.roomId })
      .from(eventMembers)
      .leftJoin(eventCompanies, eq(eventCompanies.id, eventMembers.eventCompanyId))
      .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)))
      .for('update', { of: eventMembers });
    if (!member) throw notFound('この会のメンバーではありません / Not a member of this session');
    if (member.role === 'facilitator') throw conflict('ファシリテーターは外せません / Facilitators cannot be removed');
    await tx.delete(eventMembers).where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)));
    return { eventCompanyId: member.eventCompanyId, roomId: member.roomId ?? null };
  });
}

export async function setCompaniesLocked(db: Db, eventId: string, locked: boolean): Promise<void> {
  await db.update(events).set({ companiesLocked: locked }).where(eq(events.id, eventId));
}

/** A new invite code for the company (the old one stops working). */
export async function rotateInviteCode(db: Db, eventCompanyId: string): Promise<string> {
  // 31^12 codes: a clash is practically impossible, but the column is unique, so try again on one.
  for (let attempt = 0; ; attempt++) {
    const inviteCode = generateInviteCode((bytes) => getRandomValues(bytes));
    try {
      await db.update(eventCompanies).set({ inviteCode }).where(eq(eventCompanies.id, eventCompanyId));
      return inviteCode;
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

export async function revokeInviteCode(db: Db, eventCompanyId: string): Promise<void> {
  await db.update(eventCompanies).set({ inviteCode: null }).where(eq(eventCompanies.id, eventCompanyId));
}

/** The open event and company a company invite code joins, or null. */
/** The session and company an invite code opens, open or closed. */
export async function findEventByInviteCode(db: Db, inviteCode: string) {
  const [row] = await db
    .select({
      id: events.id,
      title: events.title,
      date: events.date,
      companiesLocked: events.companiesLocked,
      status: events.status,
      eventCompanyId: eventCompanies.id,
      companyId: eventCompanies.companyId,
      companyName: companies.name,
    })
    .from(eventCompanies)
    .innerJoin(events, eq(events.id, eventCompanies.eventId))
    .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
    .where(eq(eventCompanies.inviteCode, inviteCode));
  return row ?? null;
}

/**
 * Pending join requests one event holds at most. Each is a person waiting for a facilitator, and
 * the facilitator's list carries them all: without a cap, a script asking 500 times (each a new
 * participant) made a list nobody could work through. A locked session of a few dozen people
 * never comes near it.
 */
export const MAX_PENDING_JOIN_REQUESTS = 200;

export const TOO_MANY_JOIN_REQUESTS =
  `この会には承認待ちの参加申請が多すぎます（最大${MAX_PENDING_JOIN_REQUESTS}件）。ファシリテーターに相談してください / ` +
  `This session has too many join requests waiting for approval (at most ${MAX_PENDING_JOIN_REQUESTS}); ask the facilitator`;

/**
 * Asks to join a company of a locked event, or the first claim of a company with history elsewhere
 * (claimNeedsApproval): one request per person and event. Asking again
 * (another company, or after a refusal or a removal) makes the same request pending again, under a
 * new id unless it still waits for the same company: the facilitator approves or refuses a request
 * by the id they saw beside a company, so a request switched to another company meanwhile (a
 * stranger asking for an unknown company, then for a returning one with history) must not be the
 * one their click lets in (the old id is 404 then, and the list refetches).
 * The request names the company (`companyId`), which need not take part in the event yet: it
 * becomes part of the session only when the request is approved (decideRequest), so a waiting or
 * refused claim shows nowhere but in the facilitator's list of requests.
 * A 409 (rule 'join-request-limit') when MAX_PENDING_JOIN_REQUESTS others are waiting; call under
 * lockEventRow so that two requests cannot both take the last place.
 */
export async function requestToJoin(db: Db, eventId: string, companyId: string, userId: string, sameNameConfirmed = false): Promise<string> {
  // The company this person's request named until now (asking again for another company lets go of it).
  const [before] = await db
    .select({ companyId: joinRequests.companyId })
    .from(joinRequests)
    .where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.userId, userId)))
    .for('update');
  const [pending] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(joinRequests)
    .where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.status, 'pending'), ne(joinRequests.userId, userId)));
  if ((pending?.n ?? 0) >= MAX_PENDING_JOIN_REQUESTS) throw conflict(TOO_MANY_JOIN_REQUESTS, 'join-request-limit');
  const id = randomUUID();
  const [row] = await db
    .insert(joinRequests)
    .values({ id, eventId, companyId, userId, sameNameConfirmed })
    .onConflictDoUpdate({
      target: [joinRequests.eventId, joinRequests.userId],
      set: {
        // SET reads the row as it was: the same id only while it waits for this very company.
        id: sql`CASE WHEN ${joinRequests.status} = 'pending' AND ${joinRequests.companyId} = ${companyId} THEN ${joinRequests.id} ELSE ${id} END`,
        companyId,
        sameNameConfirmed,
        status: 'pending',
        createdAt: sql`now()`,
        decidedAt: null,
        decidedBy: null,
      },
    })
    .returning({ id: joinRequests.id });
  if (before?.companyId && before.companyId !== companyId) await dropUnusedCompany(db, before.companyId);
  return row!.id;
}

/**
 * Deletes the company when nothing holds it any more: no session it takes part in, no assessment,
 * no join request waiting for it or approved (refused requests let go of it: their company_id
 * becomes null). Such a company was made by a join that waited, under a name the requester typed,
 * and would otherwise stay behind for ever, listed nowhere (and holding its name). Call it in the
 * transaction that let go of the company (a refusal, a request asked again for another company or
 * made moot) and under the event's row lock.
 * Concurrency: the company's row is locked first (FOR UPDATE), and what holds it is read after that
 * in statements of their own, so a join that named it meanwhile (its lookup by name and the
 * foreign keys take FOR KEY SHARE) is either seen once it commits — the company stays — or waits
 * for this one and finds the company gone (then it makes a new one of that name).
 */
export async function dropUnusedCompany(db: Db, companyId: string): Promise<boolean> {
  const [locked] = await db.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId)).for('update');
  if (!locked) return false;
  const [inEvent] = await db.select({ id: eventCompanies.id }).from(eventCompanies).where(eq(eventCompanies.companyId, companyId)).limit(1);
  if (inEvent) return false;
  const [assessed] = await db.select({ id: assessments.id }).from(assessments).where(eq(assessments.companyId, companyId)).limit(1);
  if (assessed) return false;
  const [asked] = await db
    .select({ id: joinRequests.id })
    .from(joinRequests)
    .where(and(eq(joinRequests.companyId, companyId), ne(joinRequests.status, 'rejected')))
    .limit(1);
  if (asked) return false;
  await db.update(joinRequests).set({ companyId: null }).where(eq(joinRequests.companyId, companyId));
  await db.delete(companies).where(eq(companies.id, companyId));
  return true;
}

/** Whether anyone takes part for the company in its session yet. */
export async function hasMembers(db: Db, eventCompanyId: string): Promise<boolean> {
  const [member] = await db.select({ id: eventMembers.id }).from(eventMembers).where(eq(eventMembers.eventCompanyId, eventCompanyId)).limit(1);
  return member !== undefined;
}

/**
 * Whether joining this company of the event with the session's join code waits for a
 * facilitator: the company brings history from other sessions (worksheets, assessments, actions,
 * which its members see in every session), nobody speaks for it in this session yet, and the
 * joiner is not one of its members coming back from their browser. Otherwise whoever first typed
 * a returning company's name (a stranger with the next session's code) would take over its
 * history. Once someone of the company is in, colleagues join as in any open session.
 */
export async function claimNeedsApproval(db: Db, eventId: string, claim: CompanyClaim, returningUserId: string | null): Promise<boolean> {
  // Most joins are colleagues of someone already here: one query decides them.
  if (claim.eventCompanyId !== null && (await hasMembers(db, claim.eventCompanyId))) return false;
  if (returningUserId !== null && (await companyRole(db, returningUserId, claim.companyId)) === 'member') return false;
  return (await otherSessionsOfCompany(db, claim.companyId, eventId)) > 0;
}

/** The company a join names: the company, and its participation in the event if it takes part yet. */
export interface CompanyClaim {
  companyId: string;
  eventCompanyId: string | null;
}

/** A request's company as taking part in the request's event; null (left join) until it does. */
const requestedEventCompany = and(eq(eventCompanies.eventId, joinRequests.eventId), eq(eventCompanies.companyId, joinRequests.companyId));

/**
 * This person's request to join the event is waiting or was refused: whatever they ask next waits
 * for a facilitator too (asking again makes the request pending, so a refusal alone would not stay
 * on record).
 */
export async function hasUndecidedOrRefusedRequest(db: Db, eventId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: joinRequests.id })
    .from(joinRequests)
    .where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.userId, userId), ne(joinRequests.status, 'approved')))
    .limit(1);
  return row !== undefined;
}

/**
 * The user became a member some other way (an invite, the lock lifted): their request is moot, and
 * so is a company only it named (dropUnusedCompany).
 */
export async function dropPendingRequest(db: Db, eventId: string, userId: string): Promise<boolean> {
  const dropped = await db
    .delete(joinRequests)
    .where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.userId, userId), eq(joinRequests.status, 'pending')))
    .returning({ id: joinRequests.id, companyId: joinRequests.companyId });
  for (const { companyId } of dropped) if (companyId) await dropUnusedCompany(db, companyId);
  return dropped.length > 0;
}

export async function listPendingRequests(db: Db, eventId: string): Promise<PendingJoinRequest[]> {
  const rows = await db
    .select({
      id: joinRequests.id,
      userId: joinRequests.userId,
      displayName: users.displayName,
      eventCompanyId: eventCompanies.id,
      companyName: companies.name,
      createdAt: joinRequests.createdAt,
    })
    .from(joinRequests)
    .innerJoin(users, eq(users.id, joinRequests.userId))
    .innerJoin(companies, eq(companies.id, joinRequests.companyId))
    .leftJoin(eventCompanies, requestedEventCompany)
    .where(and(eq(joinRequests.eventId, eventId), eq(joinRequests.status, 'pending')))
    .orderBy(asc(joinRequests.createdAt))
    // Also for an event flooded before there was a cap.
    .limit(MAX_PENDING_JOIN_REQUESTS);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** The requester's own view of a request; null when it is not theirs (or does not exist). */
export async function findOwnRequest(db: Db, requestId: string, userId: string) {
  const [row] = await db
    .select({
      id: joinRequests.id,
      status: joinRequests.status,
      eventId: joinRequests.eventId,
      eventCompanyId: eventCompanies.id,
      // Null for a refused request whose company went with the refusal (dropUnusedCompany).
      companyName: companies.name,
    })
    .from(joinRequests)
    .leftJoin(companies, eq(companies.id, joinRequests.companyId))
    .leftJoin(eventCompanies, requestedEventCompany)
    .where(and(eq(joinRequests.id, requestId), eq(joinRequests.userId, userId)));
  return row ?? null;
}

/**
 * Approves or rejects a pending request in one transaction; approval makes the membership, and
 * brings the company into the session if it does not take part yet (a refusal leaves nothing). A
 * request already decided is a 409 (two facilitators clicking at once: the second one hears so).
 * Approving into a session that has MAX_MEMBERS_PER_EVENT participants, or a company into one that
 * has MAX_COMPANIES_PER_EVENT companies, is a 409 ('member-limit', 'company-limit'; the request
 * stays pending).
 */
export async function decideRequest(db: Db, eventId: string, requestId: string, decidedBy: string, approve: boolean) {
  return db.transaction(async (tx) => {
    // Under the event's lock either way, as joins are: a refusal may delete the company it named
    // (dropUnusedCompany), which the same person asking again must not be naming at that moment.
    await lockEventRow(tx, eventId);
    if (approve) await requireRoomForMember(tx, eventId);
    const [request] = await tx
      .update(joinRequests)
      .set({ status: approve ? 'approved' : 'rejected', decidedAt: new Date(), decidedBy })
      .where(and(eq(joinRequests.id, requestId), eq(joinRequests.eventId, eventId), eq(joinRequests.status, 'pending')))
      .returning({ userId: joinRequests.userId, companyId: joinRequests.companyId, sameNameConfirmed: joinRequests.sameNameConfirmed });
    if (!request) {
      const [exists] = await tx
        .select({ id: joinRequests.id })
        .from(joinRequests)
        .where(and(eq(joinRequests.id, requestId), eq(joinRequests.eventId, eventId)));
      if (!exists) throw notFound(REQUEST_NOT_FOUND);
      throw conflict('この参加申請は既に処理されています / This join request was already decided');
    }
    const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, request.userId));
    const displayName = user?.displayName ?? '';
    if (!approve) {
      // A company only this request named (a new name) goes with the refusal: it is in no session.
      if (request.companyId) await dropUnusedCompany(tx as unknown as Db, request.companyId);
      return { userId: request.userId, eventCompanyId: null, joined: false, firstOfCompany: false, assignedActions: 0, displayName };
    }
    const companyId = request.companyId!; // a pending request names its company
    // Already a member some other way (their pending request is dropped then, so hardly ever):
    // nothing to let in, and no company to bring in for nobody.
    const [already] = await tx
      .select({ eventCompanyId: eventMembers.eventCompanyId })
      .from(eventMembers)
      .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, request.userId)));
    if (already) return { userId: request.userId, eventCompanyId: already.eventCompanyId, joined: false, firstOfCompany: false, assignedActions: 0, displayName };
    // The rule a join follows (409 'same-name', unless the requester said to join anyway): someone
    // of this name already speaks for the company here. The facilitator hears so and the request
    // stays pending (as on a full session): refuse it, or have the person ask again under a name
    // that tells the two apart.
    const [taking] = await tx
      .select({ id: eventCompanies.id })
      .from(eventCompanies)
      .where(and(eq(eventCompanies.eventId, eventId), eq(eventCompanies.companyId, companyId)));
    const namesake = taking && !request.sameNameConfirmed ? await memberNamed(tx as unknown as Db, taking.id, displayName, request.userId) : null;
    if (namesake) throw conflict(sameNameOnApproval(displayName, namesake), 'same-name');
    // Approved: the company takes part from now on (seated as any company new to the session).
    const eventCompanyId = (await joinCompanyToEvent(tx as unknown as Db, eventId, companyId)).id;
    // The company's first person here (decided under the event's lock, as a join decides it): its
    // last worksheet in the series carries over once this commits.
    const firstOfCompany = !(await hasMembers(tx as unknown as Db, eventCompanyId));
    await tx.insert(eventMembers).values({ id: randomUUID(), eventId, userId: request.userId, eventCompanyId, role: 'participant' });
    // Actions carried into the company for this person before they were let in become theirs.
    const assignedActions = await assignCarriedActions(tx as unknown as Db, eventCompanyId, request.userId);
    return { userId: request.userId, eventCompanyId, joined: true, firstOfCompany, assignedActions, displayName };
  });
}

/** Invisible characters a database-side name comparison drops (the common ones of shared/text/invisible.ts). */
const SQL_INVISIBLE = '[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]';
/** personNameKey() as SQL, close enough to narrow the candidates (the exact key confirms them). */
const sqlPersonNameKey = (column: typeof users.displayName) =>
  sql`lower(btrim(regexp_replace(regexp_replace(normalize(${column}, NFKC), ${SQL_INVISIBLE}, '', 'g'), ${'\\s+'}, ' ', 'g')))`;

/**
 * The display name of a member of the company (other than `exceptUserId`) whose name is
 * `displayName` but for width, case and spaces (personNameKey); null when there is none. A join
 * (409 'same-name' unless confirmed) and an approval (409 'same-name') ask it.
 */
export async function memberNamed(db: Db, eventCompanyId: string, displayName: string, exceptUserId: string | null): Promise<string | null> {
  const key = personNameKey(displayName);
  // Compared in the database (NFKC, the common invisible characters, spaces, case), so a
  // company of hundreds does not ship every member to every join (the cost benchmark's 500 joins
  // into one company peaked 20 MB higher); what it finds is confirmed with the exact key here.
  const rows = await db
    .select({ userId: eventMembers.userId, displayName: users.displayName })
    .from(eventMembers)
    .innerJoin(users, eq(users.id, eventMembers.userId))
    .where(and(eq(eventMembers.eventCompanyId, eventCompanyId), sql`${sqlPersonNameKey(users.displayName)} = ${key}`));
  return rows.find((row) => row.userId !== exceptUserId && personNameKey(row.displayName) === key)?.displayName ?? null;
}

/** Approving would put a second member of this name into the company (the facilitator reads it). */
const sameNameOnApproval = (requester: string, namesake: string) =>
  `この会社には既に「${namesake}」さんが参加しているため、「${requester}」さんを承認できません。同じ人の別の端末なら申請を却下してください。別の人なら、区別できるお名前（例：${requester}（営業部））で申請し直してもらってください / ` +
  `“${namesake}” already takes part for this company, so “${requester}” cannot be approved under that name. If it is the same person on another device, reject the request; if it is someone else, ask them to request again under a name that tells the two apart (e.g. “${requester} (Sales)”)`;

/** The company a participant spoke for most recently, in any session (null: none yet). */
export async function lastCompanyOf(db: Db, userId: string): Promise<{ companyId: string; name: string } | null> {
  const [row] = await db
    .select({ companyId: companies.id, name: companies.name })
    .from(eventMembers)
    .innerJoin(eventCompanies, eq(eventCompanies.id, eventMembers.eventCompanyId))
    .innerJoin(companies, eq(companies.id, eventCompanies.companyId))
    .where(eq(eventMembers.userId, userId))
    .orderBy(desc(eventMembers.createdAt))
    .limit(1);
  return row ?? null;
}
