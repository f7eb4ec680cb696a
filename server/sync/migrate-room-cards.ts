// One-off data migration: 気付き cards used to live on the room board (room:<id>), written by
// every company in the room with author fields the client chose. Each card moves into the
// document of the company it names (if that company is in the event), its authorship is recorded
// in PostgreSQL from what can be verified (the author must be a member of the event), its 共感
// reactions become rows, and the room document keeps only cards that belong to no company.
import * as Y from 'yjs';
import { eq, like, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cardReactions, cards, dataMigrations, eventCompanies, eventMembers, rooms, yjsSnapshots, yjsUpdates } from '../db/schema.ts';
import { cardElement, docCards, newCard } from '../../shared/protocol/doc-shapes.ts';
import { parseDocName, sheetDocName } from '../../shared/protocol/doc-names.ts';
import type { DocRegistry } from './doc-registry.ts';

export const ROOM_CARDS_MIGRATION = '2026-11-room-cards-to-company-documents';

/** Fields the old room-board card carried besides element and text. */
const LEGACY_FIELDS = ['id', 'authorId', 'authorName', 'eventCompanyId', 'companyName', 'createdAt', 'updatedAt', 'reactions'];

export interface MigrationResult {
  skipped: boolean;
  moved: number;
  kept: number;
}

export async function migrateRoomCards(db: Db, docs: DocRegistry): Promise<MigrationResult> {
  const [done] = await db.select().from(dataMigrations).where(eq(dataMigrations.name, ROOM_CARDS_MIGRATION));
  if (done) return { skipped: true, moved: 0, kept: 0 };
  const names = await db
    .selectDistinct({ docName: yjsSnapshots.docName })
    .from(yjsSnapshots)
    .where(like(yjsSnapshots.docName, 'room:%'))
    .union(db.selectDistinct({ docName: yjsUpdates.docName }).from(yjsUpdates).where(like(yjsUpdates.docName, 'room:%')));
  const result: MigrationResult = { skipped: false, moved: 0, kept: 0 };
  for (const { docName } of names) {
    const ref = parseDocName(docName);
    if (ref?.kind !== 'room') continue;
    const [room] = await db.select({ eventId: rooms.eventId }).from(rooms).where(eq(rooms.id, ref.roomId));
    if (!room) continue;
    const counts = await migrateRoom(db, docs, docName, room.eventId);
    result.moved += counts.moved;
    result.kept += counts.kept;
  }
  await db.insert(dataMigrations).values({ name: ROOM_CARDS_MIGRATION }).onConflictDoNothing();
  return result;
}

async function migrateRoom(db: Db, docs: DocRegistry, docName: string, eventId: string): Promise<{ moved: number; kept: number }> {
  const companies = new Set(
    (await db.select({ id: eventCompanies.id }).from(eventCompanies).where(eq(eventCompanies.eventId, eventId))).map((r) => r.id),
  );
  const members = new Set(
    (await db.select({ userId: eventMembers.userId }).from(eventMembers).where(eq(eventMembers.eventId, eventId))).map((r) => r.userId),
  );
  const live = await docs.acquire(docName);
  try {
    const roomCards = docCards(live.doc);
    const moved: string[] = [];
    const kept: string[] = [];
    for (const [cardId, value] of roomCards.entries()) {
      if (!(value instanceof Y.Map) || !value.has('authorId')) continue;
      const element = cardElement(value);
      const text = value.get('text');
      if (!element || typeof text !== 'string') continue; // unreadable stays as it is (shown as such)
      const claimed = value.get('eventCompanyId');
      const target = typeof claimed === 'string' && companies.has(claimed) ? claimed : null;
      const author = value.get('authorId');
      const authorId = typeof author === 'string' && members.has(author) ? author : null;
      const created = value.get('createdAt');
      const createdAt = typeof created === 'number' && Number.isFinite(created) ? new Date(created) : new Date();
      const reactionsMap = value.get('reactions');
      const reactions = reactionsMap instanceof Y.Map ? [...reactionsMap.keys()].filter((id) => members.has(id)) : [];
      const home = target ? sheetDocName(target) : docName;
      if (target) {
        const sheet = await docs.acquire(home);
        try {
          const scratch = new Y.Doc();
          docCards(scratch).set(cardId, newCard({ element, text }));
          sheet.applyServerUpdate(Y.encodeStateAsUpdate(scratch), 'migration');
          scratch.destroy();
        } finally {
          docs.release(home);
        }
      }
      await db.transaction(async (tx) => {
        await tx
          .insert(cards)
          .values({ docName: home, cardId, eventId, eventCompanyId: target, element, authorId, createdAt, updatedAt: createdAt, updatedBy: authorId })
          .onConflictDoNothing();
        for (const userId of reactions) {
          await tx.insert(cardReactions).values({ docName: home, cardId, eventId, userId, createdAt }).onConflictDoNothing();
        }
      });
      (target ? moved : kept).push(cardId);
    }
    if (moved.length > 0 || kept.length > 0) {
      live.doc.transact(() => {
        for (const cardId of moved) roomCards.delete(cardId);
        for (const cardId of kept) {
          const card = roomCards.get(cardId) as Y.Map<unknown>;
          for (const field of LEGACY_FIELDS) card.delete(field);
        }
      }, 'migration');
    }
    return { moved: moved.length, kept: kept.length };
  } finally {
    docs.release(docName);
  }
}

/** For tests: forget that the migration ran. */
export async function resetRoomCardsMigration(db: Db): Promise<void> {
  await db.delete(dataMigrations).where(sql`${dataMigrations.name} = ${ROOM_CARDS_MIGRATION}`);
}
