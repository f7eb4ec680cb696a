// 持ち帰り (take-home actions): per company and element, with an owner, a due date and a status.
// Open actions of a company's previous session in the series are reviewed at its next session:
// done, carried over (a copy here, the old one marked carried) or dropped.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Static } from 'typebox';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, events, takeHomeActions, users } from '../db/schema.ts';
import type { NewAction, TakeHomeAction, UpdateAction } from '../../shared/schemas/pdca.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import { isEarlierSession } from '../../shared/pdca/carry-over.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { sessionOfEventCompany } from './carry-over.ts';

const ALREADY_REVIEWED = 'このアクションはもう見直し済みです / This action was already reviewed';
const ALREADY_CARRIED = 'このアクションは次の回に引き継ぎ済みです / This action was already carried over';
const NOT_IN_SERIES =
  'eventCompanyId: 引き継げるのは同じシリーズの回だけです / An action can only be carried into a session of the same series';
const NOT_LATER =
  'eventCompanyId: 引き継げるのは、このアクションの回より後の回だけです / An action can only be carried into a later session than its own';

/**
 * At most this many take-home actions per company and session, whether written there or carried
 * in from the session before (2,000 made in 18 s made the list a 1.35 MB answer).
 */
export const MAX_ACTIONS_PER_COMPANY = 200;
export const ACTION_LIMIT =
  `この会社の持ち帰り（アクション）は1回の会につき${MAX_ACTIONS_PER_COMPANY}件までで、上限に達しています / ` +
  `This company has reached the limit of ${MAX_ACTIONS_PER_COMPANY} take-home actions for this session`;

/**
 * Locks the company's participation row (inside a transaction), then refuses with 409 (rule
 * 'action-limit') when it has MAX_ACTIONS_PER_COMPANY actions: two requests at once count one
 * after the other, so neither slips past the limit.
 */
async function requireRoomForAction(db: Db, eventCompanyId: string): Promise<void> {
  const [company] = await db.select({ id: eventCompanies.id }).from(eventCompanies).where(eq(eventCompanies.id, eventCompanyId)).for('no key update');
  if (!company) throw notFound('この会社はこの会に参加していません / No such company in this session');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(takeHomeActions).where(eq(takeHomeActions.eventCompanyId, eventCompanyId));
  if ((row?.n ?? 0) >= MAX_ACTIONS_PER_COMPANY) throw conflict(ACTION_LIMIT, 'action-limit');
}

type ActionRow = typeof takeHomeActions.$inferSelect & { eventId: string; ownerName: string | null; previousOwnerName: string | null };

function toAction(row: ActionRow): TakeHomeAction {
  return {
    id: row.id,
    eventId: row.eventId,
    eventCompanyId: row.eventCompanyId,
    element: row.element as ElementId,
    text: row.text,
    ownerUserId: row.ownerUserId,
    ownerName: row.ownerName,
    dueDate: row.dueDate,
    status: row.status,
    sourceCardId: row.sourceCardId,
    carriedFromActionId: row.carriedFromActionId,
    previousOwnerUserId: row.previousOwnerUserId,
    previousOwnerName: row.previousOwnerName,
    createdAt: row.createdAt.toISOString(),
  };
}

const previousOwners = alias(users, 'previous_owners');

function selectActions(db: Db) {
  return db
    .select({ action: takeHomeActions, eventId: eventCompanies.eventId, ownerName: users.displayName, previousOwnerName: previousOwners.displayName })
    .from(takeHomeActions)
    .innerJoin(eventCompanies, eq(eventCompanies.id, takeHomeActions.eventCompanyId))
    .leftJoin(users, eq(users.id, takeHomeActions.ownerUserId))
    .leftJoin(previousOwners, eq(previousOwners.id, takeHomeActions.previousOwnerUserId));
}

export async function listActions(db: Db, eventCompanyId: string): Promise<TakeHomeAction[]> {
  const rows = await selectActions(db).where(eq(takeHomeActions.eventCompanyId, eventCompanyId)).orderBy(asc(takeHomeActions.createdAt));
  return rows.map((r) => toAction({ ...r.action, eventId: r.eventId, ownerName: r.ownerName, previousOwnerName: r.previousOwnerName }));
}

export async function getAction(db: Db, actionId: string): Promise<TakeHomeAction | null> {
  const [row] = await selectActions(db).where(eq(takeHomeActions.id, actionId));
  return row ? toAction({ ...row.action, eventId: row.eventId, ownerName: row.ownerName, previousOwnerName: row.previousOwnerName }) : null;
}

/** The company's members in this session (who can own its actions). */
export async function companyMembers(db: Db, eventCompanyId: string): Promise<Array<{ userId: string; displayName: string }>> {
  return db
    .select({ userId: eventMembers.userId, displayName: users.displayName })
    .from(eventMembers)
    .innerJoin(users, eq(users.id, eventMembers.userId))
    .where(and(eq(eventMembers.eventCompanyId, eventCompanyId), eq(eventMembers.role, 'participant')))
    .orderBy(asc(eventMembers.createdAt));
}

async function requireOwner(db: Db, eventCompanyId: string, ownerUserId: string | null | undefined): Promise<void> {
  if (!ownerUserId) return;
  const members = await companyMembers(db, eventCompanyId);
  if (!members.some((m) => m.userId === ownerUserId)) throw badRequest('ownerUserId: 担当者はこの会社のメンバーから選んでください / The owner must be a member of this company');
}

export const CARD_ALREADY_ACTION = 'sourceCardId: この気付きはすでにアクションになっています / This insight is already an action';

export async function createAction(db: Db, eventCompanyId: string, createdBy: string, input: Static<typeof NewAction>): Promise<TakeHomeAction> {
  const ownerUserId = input.ownerUserId === undefined ? null : input.ownerUserId;
  await requireOwner(db, eventCompanyId, ownerUserId);
  // 「アクションにする」 pressed twice made the same action twice (both then came up for review).
  if (input.sourceCardId) {
    const [made] = await db
      .select({ id: takeHomeActions.id })
      .from(takeHomeActions)
      .where(and(eq(takeHomeActions.eventCompanyId, eventCompanyId), eq(takeHomeActions.sourceCardId, input.sourceCardId)))
      .limit(1);
    if (made) throw conflict(CARD_ALREADY_ACTION);
  }
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await requireRoomForAction(tx, eventCompanyId);
    await tx.insert(takeHomeActions).values({
      id,
      eventCompanyId,
      element: input.element,
      text: input.text.trim(),
      ownerUserId,
      dueDate: input.dueDate ?? null,
      sourceCardId: input.sourceCardId ?? null,
      createdBy,
    });
  });
  return (await getAction(db, id))!;
}

/**
 * Edits an action. A carried one has its copy in a later session: its status stays (409), or it
 * could be reopened and carried twice, or be done here while open there; checked in the UPDATE
 * itself, so a carry at the same moment cannot slip in between.
 */
export async function updateAction(db: Db, action: TakeHomeAction, input: Static<typeof UpdateAction>): Promise<TakeHomeAction> {
  if (input.status !== undefined && action.status === 'carried') throw conflict(ALREADY_CARRIED);
  if (input.ownerUserId !== undefined) await requireOwner(db, action.eventCompanyId, input.ownerUserId);
  const updated = await db
    .update(takeHomeActions)
    .set({
      ...(input.text !== undefined ? { text: input.text.trim() } : {}),
      // An owner chosen by hand (someone, or 担当未定) is the company's decision: a carried copy no
      // longer waits for its previous owner to join (see assignCarriedActions).
      ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId, previousOwnerUserId: null } : {}),
      ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(takeHomeActions.id, action.id), input.status !== undefined ? ne(takeHomeActions.status, 'carried') : undefined))
    .returning({ id: takeHomeActions.id });
  if (updated.length === 0) throw conflict(ALREADY_CARRIED);
  return (await getAction(db, action.id))!;
}

/**
 * Carries an open action into a later session of its series for the same company (409 for an
 * earlier one, or the same day's session created before it): a copy there, the old one marked
 * carried. The old one is claimed in the transaction (UPDATE … WHERE status = 'open'), so of two
 * requests at once (a double click, two members) one copies and the other gets 409. The copy keeps
 * the text, the due date (a past one too: overdue is what the review is about) and the owner when
 * the owner is a member of the company in that session (who can own its actions); else it is
 * unassigned for now and remembers the previous owner (previousOwnerUserId, shown as 「前回の担当」),
 * and becomes theirs when they join the company in that session (assignCarriedActions). A target
 * company with MAX_ACTIONS_PER_COMPANY actions takes no more (409 'action-limit'; the old one stays open).
 */
export async function carryAction(db: Db, action: TakeHomeAction, toEventCompanyId: string, userId: string): Promise<TakeHomeAction> {
  if (action.status !== 'open') throw conflict(ALREADY_REVIEWED);
  const [from, to] = await Promise.all([action.eventCompanyId, toEventCompanyId].map((id) => sessionOfEventCompany(db, id)));
  if (!to) throw notFound('引き継ぎ先の会社が見つかりません / No such company in that session');
  if (from?.companyId !== to.companyId || toEventCompanyId === action.eventCompanyId) throw badRequest('eventCompanyId: 同じ会社の次の回にだけ引き継げます / Only into the same company’s next session');
  // Forward only, along the series: carried back, the action would come up for review again in
  // the session after it, and could be carried round in circles.
  if (!from.seriesId || from.seriesId !== to.seriesId) throw conflict(NOT_IN_SERIES);
  if (!isEarlierSession(from, to)) throw conflict(NOT_LATER);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    // The copy is one more action of the target company: within its limit, or nothing changes.
    await requireRoomForAction(tx, toEventCompanyId);
    // Only one request gets the row back: the other finds it no longer open (PostgreSQL waits for
    // the first transaction and re-checks the condition; PGlite runs them one after the other).
    const [old] = await tx
      .update(takeHomeActions)
      .set({ status: 'carried', updatedAt: new Date() })
      .where(and(eq(takeHomeActions.id, action.id), eq(takeHomeActions.status, 'open')))
      .returning();
    if (!old) throw conflict(ALREADY_REVIEWED);
    const ownerBefore = old.ownerUserId ?? old.previousOwnerUserId;
    const [owner] = ownerBefore
      ? await tx
          .select({ userId: eventMembers.userId })
          .from(eventMembers)
          .where(and(eq(eventMembers.eventCompanyId, toEventCompanyId), eq(eventMembers.userId, ownerBefore), eq(eventMembers.role, 'participant')))
          .limit(1)
      : [];
    await tx.insert(takeHomeActions).values({
      id,
      eventCompanyId: toEventCompanyId,
      element: old.element,
      text: old.text,
      ownerUserId: owner?.userId ?? null,
      // Carried on again before its owner came back: the one before is still who it waits for.
      previousOwnerUserId: ownerBefore,
      dueDate: old.dueDate,
      carriedFromActionId: old.id,
      createdBy: userId,
    });
  });
  return (await getAction(db, id))!;
}

/**
 * Someone became a participant of a company in a session (`db`: the join's transaction): the
 * actions carried into that company for them (previousOwnerUserId, carried before they joined)
 * and still without an owner become theirs. Returns how many did (the caller tells the company).
 */
export async function assignCarriedActions(db: Db, eventCompanyId: string, userId: string): Promise<number> {
  const assigned = await db
    .update(takeHomeActions)
    .set({ ownerUserId: userId, updatedAt: new Date() })
    .where(and(eq(takeHomeActions.eventCompanyId, eventCompanyId), eq(takeHomeActions.previousOwnerUserId, userId), isNull(takeHomeActions.ownerUserId)))
    .returning({ id: takeHomeActions.id });
  return assigned.length;
}
