// Card authorship: watches every completed transaction of sheet and room documents, records in
// PostgreSQL which user's connection created, edited or deleted each card (and when), and tells
// the event's sockets. Clients never write author, company or time.
import fp from 'fastify-plugin';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, rooms } from '../db/schema.ts';
import { parseDocName } from '../../shared/protocol/doc-names.ts';
import { listCardMeta, recordCardChangesPerDocument, type CardChange } from '../domain/cards.ts';
import { touchedCards } from '../sync/card-changes.ts';
import { YConnection } from '../sync/y-connection.ts';
import { migrateRoomCards } from '../sync/migrate-room-cards.ts';
import { tokenBucket } from '../control/socket-limits.ts';

/** Advisory lock key of the room-card migration (any constant bigint unique to this use). */
const ROOM_CARDS_LOCK_KEY = 4_242_002;
/**
 * A document's changes whose write failed are tried this many times in all, a second apart, then
 * given up (those cards show without an author): some rows can never be written.
 */
const MAX_WRITE_ATTEMPTS = 3;
/**
 * Card changes recorded per connection: bursts of `burst`, then `perSecond`. People post a card
 * every few seconds; a client rewriting 500 cards per update ten times a second queued tens of
 * thousands of writes and held the database for a minute. Changes beyond it stay in the document
 * (the card shows), only without an author.
 */
export const CARD_RECORD_LIMIT = { burst: 500, perSecond: 20 };
const RETRY_DELAY_MS = 1000;
/** A document whose authorship keeps failing is logged at most this often (a client can make it fail on every edit). */
const FAILURE_LOG_INTERVAL_MS = 10_000;

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

/**
 * The database's own reason, short: drizzle's message repeats the statement and its parameters,
 * which can be kilobytes of what a client wrote.
 */
function failureReason(err: unknown): { message: string; code?: string } {
  let cause = err;
  for (let depth = 0; depth < 5 && cause instanceof Error && cause.cause !== undefined; depth++) cause = cause.cause;
  const message = String(cause instanceof Error ? cause.message : cause).slice(0, 300);
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}

export default fp(
  async (app) => {
    const owners = new Map<string, Promise<DocOwner | null>>();
    interface Queued {
      change: Omit<CardChange, 'eventId' | 'eventCompanyId'>;
      /** Failed writes so far. */
      attempts: number;
    }
    let queue: Queued[] = [];
    let writing: Promise<void> = Promise.resolve();
    let retryTimer: NodeJS.Timeout | undefined;
    let closing = false;
    const failureLog = new Map<string, { last: number; suppressed: number }>();

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
      const failed = new Map<string, unknown>();
      const changes: CardChange[] = [];
      for (const { change } of batch) {
        if (failed.has(change.docName)) continue;
        try {
          const docOwner = await owner(change.docName);
          if (docOwner) changes.push({ ...change, ...docOwner });
        } catch (err) {
          failed.set(change.docName, err);
        }
      }
      for (const [docName, err] of await recordCardChangesPerDocument(app.db, changes)) failed.set(docName, err);
      if (failed.size > 0) holdBack(batch, failed);
      await announce(changes.filter((change) => !failed.has(change.docName)));
    }

    /** Puts the failed documents' changes back for another attempt, or gives them up after the last. */
    function holdBack(batch: Queued[], failed: Map<string, unknown>): void {
      const retry: Queued[] = [];
      for (const queued of batch) {
        if (failed.has(queued.change.docName) && queued.attempts + 1 < MAX_WRITE_ATTEMPTS) {
          retry.push({ change: queued.change, attempts: queued.attempts + 1 });
        }
      }
      for (const [docName, err] of failed) warnWriteFailed(docName, err);
      // Ahead of newer changes, so each document's changes are still written in order.
      queue = [...retry, ...queue];
      if (retry.length > 0) scheduleRetry();
    }

    function warnWriteFailed(docName: string, err: unknown): void {
      const now = Date.now();
      const state = failureLog.get(docName);
      if (state && now - state.last < FAILURE_LOG_INTERVAL_MS) {
        state.suppressed++;
        return;
      }
      // Documents that stopped failing are forgotten, so the map holds only recent ones.
      for (const [name, entry] of failureLog) if (now - entry.last >= FAILURE_LOG_INTERVAL_MS) failureLog.delete(name);
      failureLog.set(docName, { last: now, suppressed: 0 });
      app.log.error(
        { docName, err: failureReason(err), suppressed: state?.suppressed ?? 0 },
        'could not record card authorship of a document; its changes are retried, then left without an author',
      );
    }

    /** Tells the event's sockets about every card just written (once per card). */
    async function announce(changes: CardChange[]): Promise<void> {
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
        .catch((err) => app.log.error({ err: failureReason(err) }, 'could not announce card changes'));
    }

    function scheduleRetry(): void {
      if (closing || retryTimer) return;
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        schedule();
      }, RETRY_DELAY_MS);
      retryTimer.unref();
    }

    const recordBudgets = new WeakMap<YConnection, { take(): boolean }>();
    /** Spends one card change from the connection's budget (see CARD_RECORD_LIMIT). */
    function mayRecord(connection: YConnection): boolean {
      let budget = recordBudgets.get(connection);
      if (!budget) {
        budget = tokenBucket(CARD_RECORD_LIMIT.burst, CARD_RECORD_LIMIT.perSecond / 1000);
        recordBudgets.set(connection, budget);
      }
      return budget.take();
    }

    app.syncObservers.add((docName, doc, transaction) => {
      // Only what a signed-in user's connection sent is authored; server-made changes
      // (migrations) record their own authorship.
      const origin = transaction.origin;
      if (!(origin instanceof YConnection)) return undefined;
      const touched = touchedCards(doc, transaction).filter(() => mayRecord(origin));
      if (touched.length === 0) return undefined;
      const at = new Date();
      return () => {
        for (const card of touched) queue.push({ change: { docName, ...card, userId: origin.owner.userId, at }, attempts: 0 });
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
      // One last attempt for changes waiting to be retried; none after it.
      closing = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      if (queue.length > 0) schedule();
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
