// 持ち帰り (take-home actions): per company and element, with an owner, a due date and a status.
// Open actions of a company's previous session in the series are reviewed at its next session:
// done, carried over (a copy here, the old one marked carried) or dropped.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, takeHomeActions, users } from '../db/schema.ts';
import type { NewAction, TakeHomeAction, UpdateAction } from '../../shared/schemas/pdca.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';
import { badRequest, conflict, notFound } from '../errors.ts';

function toAction(row: typeof takeHomeActions.$inferSelect & { eventId: string; ownerName: string | null }): TakeHomeAction {
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
    createdAt: row.createdAt.toISOString(),
  };
}

function selectActions(db: Db) {
  return db
    .select({ action: takeHomeActions, eventId: eventCompanies.eventId, ownerName: users.displayName })
    .from(takeHomeActions)
    .innerJoin(eventCompanies, eq(eventCompanies.id, takeHomeActions.eventCompanyId))
    .leftJoin(users, eq(users.id, takeHomeActions.ownerUserId));
}

export async function listActions(db: Db, eventCompanyId: string): Promise<TakeHomeAction[]> {
  const rows = await selectActions(db).where(eq(takeHomeActions.eventCompanyId, eventCompanyId)).orderBy(asc(takeHomeActions.createdAt));
  return rows.map((r) => toAction({ ...r.action, eventId: r.eventId, ownerName: r.ownerName }));
}

export async function getAction(db: Db, actionId: string): Promise<TakeHomeAction | null> {
  const [row] = await selectActions(db).where(eq(takeHomeActions.id, actionId));
  return row ? toAction({ ...row.action, eventId: row.eventId, ownerName: row.ownerName }) : null;
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

export async function createAction(db: Db, eventCompanyId: string, createdBy: string, input: Static<typeof NewAction>): Promise<TakeHomeAction> {
  const ownerUserId = input.ownerUserId === undefined ? null : input.ownerUserId;
  await requireOwner(db, eventCompanyId, ownerUserId);
  const id = randomUUID();
  await db.insert(takeHomeActions).values({
    id,
    eventCompanyId,
    element: input.element,
    text: input.text.trim(),
    ownerUserId,
    dueDate: input.dueDate ?? null,
    sourceCardId: input.sourceCardId ?? null,
    createdBy,
  });
  return (await getAction(db, id))!;
}

export async function updateAction(db: Db, action: TakeHomeAction, input: Static<typeof UpdateAction>): Promise<TakeHomeAction> {
  if (input.ownerUserId !== undefined) await requireOwner(db, action.eventCompanyId, input.ownerUserId);
  await db
    .update(takeHomeActions)
    .set({
      ...(input.text !== undefined ? { text: input.text.trim() } : {}),
      ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId } : {}),
      ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updatedAt: new Date(),
    })
    .where(eq(takeHomeActions.id, action.id));
  return (await getAction(db, action.id))!;
}

/** Carries an open action into a later session of the same company: a copy there, the old one marked carried. */
export async function carryAction(db: Db, action: TakeHomeAction, toEventCompanyId: string, userId: string): Promise<TakeHomeAction> {
  if (action.status !== 'open') throw conflict('このアクションはもう見直し済みです / This action was already reviewed');
  const [from, to] = await Promise.all(
    [action.eventCompanyId, toEventCompanyId].map(async (id) => (await db.select({ companyId: eventCompanies.companyId }).from(eventCompanies).where(eq(eventCompanies.id, id)))[0]),
  );
  if (!to) throw notFound('引き継ぎ先の会社が見つかりません / No such company in that session');
  if (from?.companyId !== to.companyId || toEventCompanyId === action.eventCompanyId) throw badRequest('eventCompanyId: 同じ会社の次の回にだけ引き継げます / Only into the same company’s next session');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.update(takeHomeActions).set({ status: 'carried', updatedAt: new Date() }).where(eq(takeHomeActions.id, action.id));
    await tx.insert(takeHomeActions).values({
      id,
      eventCompanyId: toEventCompanyId,
      element: action.element,
      text: action.text,
      ownerUserId: null,
      dueDate: null,
      carriedFromActionId: action.id,
      createdBy: userId,
    });
  });
  return (await getAction(db, id))!;
}
