// Card authorship: watches every completed transaction of sheet and room documents, records in
// PostgreSQL which user's connection created, edited or deleted each card (and when), and tells
// the event's sockets. Clients never write author, company or time.
import fp from 'fastify-plugin';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, rooms } from '../db/schema.ts';
import { parseDocName } from '../../shared/protocol/doc-names.ts';
import { listCardMeta, recordCardChanges, type CardChange } from '../domain/cards.ts';
import { touchedCards } from '../sync/card-changes.ts';
import { YConnection } from '../sync/y-connection.ts';
import { migrateRoomCards } from '../sync/migrate-room-cards.ts';

/** Advisory lock key of the room-card migration (any constant bigint unique to this use). */
const ROOM_CARDS_LOCK_KEY = 4_242_002;

interface DocOwner {
  eventId: string;
  eventCompanyId: string | null;
}

/** Which event (and company) a document belongs to; null for names that are not one of ours. */
async function ownerOf(db: Db, docName: string): Promise<DocOwner | null> {
  const ref = parseDocName(docName);
  if (!ref) return null;
  if (ref.kind === 'sheet') {
    const [row] = await db.select({ eventId: eventCompanies.eventId }).from(eventCompanies).where(eq(eventCompanies.id, ref.eventCompanyId));
    return row ? { eventId: row.eventId, eventCompanyId: ref.eventCompanyId } : null;
  }
  const [row] = await db.select({ eventId: rooms.eventId }).from(rooms).where(eq(rooms.id, ref.roomId));
  return row ? { eventId: row.eventId, eventCompanyId: null } : null;
}

export default fp(
  async (app) => {
    const owners = new Map<string, Promise<DocOwner | null>>();
    type Pending = Omit<CardChange, 'eventId' | 'eventCompanyId'>;
    let queue: Pending[] = [];
    let writing: Promise<void> = Promise.resolve();

    function owner(docName: string): Promise<DocOwner | null> {
      let found = owners.get(docName);
      if (!found) {
        found = ownerOf(app.db, docName);
        owners.set(docName, found);
        // A failed lookup is retried next time; documents are few, so the cache stays small.
        found.catch(() => owners.delete(docName));
      }
      return found;
    }

    async function writeQueued(): Promise<void> {
      const batch = queue;
      queue = [];
      if (batch.length === 0) return;
      const changes: CardChange[] = [];
      for (const change of batch) {
        const docOwner = await owner(change.docName);
        if (docOwner) changes.push({ ...change, ...docOwner });
      }
      await recordCardChanges(app.db, changes);
      const seen = new Set<string>();
      for (const change of changes) {
        const key = `${change.docName}/${change.cardId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const [meta] = await listCardMeta(app.db, change.eventId, { docName: change.docName, cardId: change.cardId });
        if (meta) await app.domain.publish({ type: 'card.changed', eventId: change.eventId, card: meta });
      }
    }

    function schedule(): void {
      writing = writing
        .then(writeQueued)
        .catch((err) => app.log.error({ err }, 'could not record card authorship'));
    }

    app.syncObservers.add((docName, doc, transaction) => {
      // Only what a signed-in user's connection sent is authored; server-made changes
      // (migrations) record their own authorship.
      const origin = transaction.origin;
      if (!(origin instanceof YConnection)) return undefined;
      const touched = touchedCards(doc, transaction);
      if (touched.length === 0) return undefined;
      const at = new Date();
      return () => {
        for (const card of touched) queue.push({ docName, ...card, userId: origin.owner.userId, at });
        schedule();
      };
    });

    app.decorate('cardAuthorship', { settled: () => writing });
    // Cards written on room boards before documents had one writing party move to their company.
    app.addHook('onReady', async () => {
      try {
        // Nodes starting together take turns; the second finds the migration done.
        const result = await app.database.exclusively(ROOM_CARDS_LOCK_KEY, () => migrateRoomCards(app.db, app.docs));
        if (!result.skipped && result.moved + result.kept > 0) app.log.info(result, 'moved room-board cards to company documents');
      } catch (err) {
        app.log.error({ err }, 'could not move room-board cards to company documents; will retry at the next start');
      }
    });
    app.addHook('preClose', async () => {
      await writing;
    });
  },
  { name: 'cards', dependencies: ['database', 'yjs-sync', 'domain'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    cardAuthorship: { settled(): Promise<void> };
  }
}
