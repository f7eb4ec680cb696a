// 気付き card authorship and 共感 reactions. A card's content lives in the Yjs document of the
// party that owns it; who wrote it and when is recorded here from the connection that sent it,
// so no client can claim another author, company or time.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { cardReactions, cards, companies, eventCompanies, eventMembers, users } from '../db/schema.ts';
import type { CardMeta } from '../../shared/protocol/control-events.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';

/** One card seen changing in a document transaction. */
export interface CardChange {
  docName: string;
  cardId: string;
  eventId: string;
  /** The document's company (null for a facilitators' room document). */
  eventCompanyId: string | null;
  /** The element the card is on now; null when it was deleted or is unreadable. */
  element: ElementId | null;
  exists: boolean;
  /** The signed-in user whose connection sent the update. */
  userId: string;
  at: Date;
}

/**
 * Records a batch of card changes in order. A new card gets its author and creation time; later
 * changes only move updated_at/updated_by (and deleted_at): the author is never rewritten.
 */
export async function recordCardChanges(db: Db, changes: CardChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.transaction(async (tx) => {
    for (const change of changes) {
      const key = and(eq(cards.docName, change.docName), eq(cards.cardId, change.cardId));
      if (!change.exists) {
        await tx.update(cards).set({ deletedAt: change.at, updatedAt: change.at, updatedBy: change.userId }).where(key);
        continue;
      }
      await tx
        .insert(cards)
        .values({
          docName: change.docName,
          cardId: change.cardId,
          eventId: change.eventId,
          eventCompanyId: change.eventCompanyId,
          element: change.element ?? 'philosophy',
          authorId: change.userId,
          createdAt: change.at,
          updatedAt: change.at,
          updatedBy: change.userId,
        })
        .onConflictDoUpdate({
          target: [cards.docName, cards.cardId],
          set: {
            updatedAt: change.at,
            updatedBy: change.userId,
            deletedAt: null,
            ...(change.element ? { element: change.element } : {}),
          },
        });
    }
  });
}

/**
 * Records changes of several documents: in one transaction, or, when that fails, one transaction
 * per document, so a row that cannot be written holds back only its own document's changes.
 * Resolves with the documents that could not be written, and why.
 */
export async function recordCardChangesPerDocument(db: Db, changes: CardChange[]): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  try {
    await recordCardChanges(db, changes);
    return failed;
  } catch (err) {
    const byDocument = groupByDocument(changes);
    if (byDocument.size === 1) return failed.set(changes[0]!.docName, err);
    for (const [docName, docChanges] of byDocument) {
      try {
        await recordCardChanges(db, docChanges);
      } catch (docErr) {
        failed.set(docName, docErr);
      }
    }
    return failed;
  }
}

/** Each document's changes, in their order (Map.groupBy needs Node 21). */
function groupByDocument(changes: CardChange[]): Map<string, CardChange[]> {
  const groups = new Map<string, CardChange[]>();
  for (const change of changes) {
    const group = groups.get(change.docName);
    if (group) group.push(change);
    else groups.set(change.docName, [change]);
  }
  return groups;
}

const authorMember = alias(eventMembers, 'author_member');
const authorSeat = alias(eventCompanies, 'author_seat');
const authorCompany = alias(companies, 'author_company');

/** Every card of the event (deleted ones included, flagged), oldest first, with reactions. */
export async function listCardMeta(db: Db, eventId: string, where?: { docName: string; cardId: string }): Promise<CardMeta[]> {
  const rows = await db
    .select({
      docName: cards.docName,
      cardId: cards.cardId,
      eventCompanyId: cards.eventCompanyId,
      element: cards.element,
      authorId: cards.authorId,
      authorName: users.displayName,
      companyName: authorCompany.name,
      createdAt: cards.createdAt,
      updatedAt: cards.updatedAt,
      deletedAt: cards.deletedAt,
      reactions: sql<string[] | null>`(select array_agg(${cardReactions.userId}::text order by ${cardReactions.createdAt})
        from ${cardReactions} where ${cardReactions.docName} = ${cards.docName} and ${cardReactions.cardId} = ${cards.cardId})`,
    })
    .from(cards)
    .leftJoin(users, eq(users.id, cards.authorId))
    .leftJoin(authorMember, and(eq(authorMember.eventId, cards.eventId), eq(authorMember.userId, cards.authorId)))
    .leftJoin(authorSeat, eq(authorSeat.id, authorMember.eventCompanyId))
    .leftJoin(authorCompany, eq(authorCompany.id, authorSeat.companyId))
    .where(
      and(
        eq(cards.eventId, eventId),
        where ? and(eq(cards.docName, where.docName), eq(cards.cardId, where.cardId)) : undefined,
      ),
    )
    .orderBy(asc(cards.createdAt), asc(cards.cardId));
  return rows.map((row) => ({
    docName: row.docName,
    cardId: row.cardId,
    eventCompanyId: row.eventCompanyId,
    element: row.element as ElementId,
    authorId: row.authorId,
    authorName: row.authorName,
    companyName: row.companyName,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    deleted: row.deletedAt !== null,
    reactions: parseTextArray(row.reactions),
  }));
}

/** A live (not deleted) card of this event, or null. */
export async function findLiveCard(db: Db, eventId: string, docName: string, cardId: string) {
  const [row] = await db
    .select({ docName: cards.docName })
    .from(cards)
    .where(and(eq(cards.eventId, eventId), eq(cards.docName, docName), eq(cards.cardId, cardId), isNull(cards.deletedAt)));
  return row ?? null;
}

/** Adds or removes one person's 共感; returns the card's reactions afterwards. */
export async function setReaction(
  db: Db,
  input: { eventId: string; docName: string; cardId: string; userId: string; on: boolean },
): Promise<string[]> {
  const { eventId, docName, cardId, userId } = input;
  if (input.on) {
    await db.insert(cardReactions).values({ eventId, docName, cardId, userId }).onConflictDoNothing();
  } else {
    await db
      .delete(cardReactions)
      .where(and(eq(cardReactions.docName, docName), eq(cardReactions.cardId, cardId), eq(cardReactions.userId, userId)));
  }
  const rows = await db
    .select({ userId: cardReactions.userId })
    .from(cardReactions)
    .where(and(eq(cardReactions.docName, docName), eq(cardReactions.cardId, cardId)))
    .orderBy(asc(cardReactions.createdAt));
  return rows.map((r) => r.userId);
}

/** pg returns text[] as an array; PGlite may too, or as the '{a,b}' literal. */
function parseTextArray(value: string[] | string | null): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter((v) => v.length > 0);
}
