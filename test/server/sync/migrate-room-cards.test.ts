// Cards written on room boards before each document had one writing party move into the
// document of the company they name, with authorship kept only where it can be verified.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { and, eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { docCards } from '../../../shared/protocol/doc-shapes.ts';
import { cardReactions, cards, yjsUpdates } from '../../../server/db/schema.ts';
import { migrateRoomCards, resetRoomCardsMigration } from '../../../server/sync/migrate-room-cards.ts';

const testServer = serverPerFile();

/** A card as the old client built it on the room board. */
function legacyCard(fields: Record<string, unknown>, reactions: string[] = []): Y.Map<unknown> {
  const card = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) card.set(key, value);
  const r = new Y.Map<boolean>();
  card.set('reactions', r);
  for (const id of reactions) r.set(id, true);
  return card;
}

describe('moving room-board cards to company documents', () => {
  it('moves each card to its company, keeps verifiable authorship and reactions, and runs once', async () => {
    const facilitator = await setupFacilitator(testServer.server.origin);
    const event = await createEvent(facilitator);
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', 'Acme通販');
    const carol = await joinAs(testServer.server.origin, event.joinCode, 'Carol', 'Beta本舗');
    const detail = await facilitator.get(`/api/events/${event.id}`);
    const room = roomDocName(detail.body.rooms[0].id);
    const createdAt = Date.UTC(2026, 9, 1, 10, 0, 0);

    const legacy = new Y.Doc();
    const map = legacy.getMap<Y.Map<unknown>>('cards');
    map.set('c1', legacyCard({ id: 'c1', element: 'customers', text: 'Acme の気付き', authorId: alice.userId, authorName: 'Alice', eventCompanyId: alice.eventCompanyId, companyName: 'Acme通販', createdAt, updatedAt: createdAt }, [carol.userId, crypto.randomUUID()]));
    map.set('c2', legacyCard({ id: 'c2', element: 'brand', text: 'どこの会社でもない', authorId: crypto.randomUUID(), authorName: '偽名', eventCompanyId: crypto.randomUUID(), companyName: '偽社', createdAt: 'yesterday', updatedAt: 0 }));
    map.set('c3', legacyCard({ id: 'c3', element: 'data', text: 42, authorId: alice.userId }));
    await testServer.db.database.db.insert(yjsUpdates).values({ docName: room, update: Y.encodeStateAsUpdate(legacy) });

    await resetRoomCardsMigration(testServer.db.database.db);
    const result = await migrateRoomCards(testServer.db.database.db, testServer.server.app.docs);
    expect(result).toEqual({ skipped: false, moved: 1, kept: 1 });

    const sheetName = sheetDocName(alice.eventCompanyId);
    const sheet = await testServer.server.app.docs.acquire(sheetName);
    expect(docCards(sheet.doc).toJSON()).toEqual({ c1: { element: 'customers', text: 'Acme の気付き' } });
    testServer.server.app.docs.release(sheetName);
    const roomDoc = await testServer.server.app.docs.acquire(room);
    const roomCards = docCards(roomDoc.doc).toJSON();
    expect(Object.keys(roomCards).sort()).toEqual(['c2', 'c3']);
    expect(roomCards.c2).toEqual({ element: 'brand', text: 'どこの会社でもない' });
    testServer.server.app.docs.release(room);

    const db = testServer.db.database.db;
    const [moved] = await db.select().from(cards).where(and(eq(cards.docName, sheetName), eq(cards.cardId, 'c1')));
    expect(moved).toMatchObject({ eventCompanyId: alice.eventCompanyId, authorId: alice.userId, element: 'customers' });
    expect(moved!.createdAt.getTime()).toBe(createdAt);
    const [kept] = await db.select().from(cards).where(and(eq(cards.docName, room), eq(cards.cardId, 'c2')));
    expect(kept).toMatchObject({ eventCompanyId: null, authorId: null });
    expect((await db.select().from(cardReactions).where(eq(cardReactions.cardId, 'c1'))).map((r) => r.userId)).toEqual([carol.userId]);

    expect(await migrateRoomCards(db, testServer.server.app.docs)).toEqual({ skipped: true, moved: 0, kept: 0 });
  });
});
