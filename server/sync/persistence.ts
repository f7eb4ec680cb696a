// Stores Yjs documents as a snapshot plus a tail of updates.
// Updates are queued and written together every few milliseconds (one INSERT for all documents);
// when a document's tail grows past a threshold it is folded into its snapshot.
import * as Y from 'yjs';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { yjsSnapshots, yjsUpdates } from '../db/schema.ts';

export interface PersistenceOptions {
  /** Longest an update waits in memory before it is written. */
  flushDelayMs?: number;
  /** Compact a document once this many update rows follow its snapshot. */
  compactAfterRows?: number;
  onError?: (err: unknown, context: string) => void;
}

export class YPersistence {
  private readonly pending = new Map<string, Uint8Array[]>();
  /** Updates taken from `pending` by a write that has not finished (or failed) yet. */
  private readonly inFlight = new Map<string, Uint8Array[]>();
  private readonly tailRows = new Map<string, number>();
  private readonly compacting = new Map<string, Promise<void>>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushDelayMs: number;
  private readonly compactAfterRows: number;
  private readonly onError: (err: unknown, context: string) => void;

  constructor(
    private readonly db: Db,
    options: PersistenceOptions = {},
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.compactAfterRows = options.compactAfterRows ?? 500;
    this.onError = options.onError ?? (() => {});
  }

  /** Loads snapshot + every update row not yet folded into it. */
  async load(docName: string): Promise<Y.Doc> {
    const [snapshot] = await this.db.select().from(yjsSnapshots).where(eq(yjsSnapshots.docName, docName));
    const tail = await this.db
      .select({ update: yjsUpdates.update })
      .from(yjsUpdates)
      .where(eq(yjsUpdates.docName, docName))
      .orderBy(asc(yjsUpdates.id));
    const doc = new Y.Doc();
    Y.transact(doc, () => {
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      for (const row of tail) Y.applyUpdate(doc, row.update);
      // Updates queued or being written (e.g. kept after a failed write while the document was
      // unloaded) are not in the database yet; without them the reloaded document would lack them.
      for (const update of this.inFlight.get(docName) ?? []) Y.applyUpdate(doc, update);
      for (const update of this.pending.get(docName) ?? []) Y.applyUpdate(doc, update);
    });
    this.tailRows.set(docName, tail.length);
    return doc;
  }

  enqueue(docName: string, update: Uint8Array): void {
    const queue = this.pending.get(docName);
    if (queue) queue.push(update);
    else this.pending.set(docName, [update]);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushDelayMs);
  }

  /** Writes everything queued so far; resolves when it is in the database. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  /** Forgets per-document bookkeeping once a document is unloaded (after its flush). */
  forget(docName: string): void {
    if (!this.pending.has(docName)) this.tailRows.delete(docName);
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
    await Promise.all(this.compacting.values());
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [docName, updates] of batch) this.inFlight.set(docName, updates);
    // Merging a handful of fresh updates is cheap; long logs are folded by compact() instead.
    const rows = batch.map(([docName, updates]) => ({
      docName,
      update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
    }));
    try {
      await this.db.insert(yjsUpdates).values(rows);
    } catch (err) {
      this.inFlight.clear();
      // Keep the updates (ahead of newer ones) and try again: nothing typed may be lost.
      for (const [docName, updates] of batch) {
        const newer = this.pending.get(docName) ?? [];
        this.pending.set(docName, [...updates, ...newer]);
      }
      this.onError(err, 'writing document updates');
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, Math.max(this.flushDelayMs, 1000));
      return;
    }
    this.inFlight.clear();
    for (const { docName } of rows) {
      const count = (this.tailRows.get(docName) ?? 0) + 1;
      this.tailRows.set(docName, count);
      if (count >= this.compactAfterRows && !this.compacting.has(docName)) {
        const job = this.compact(docName)
          .catch((err) => this.onError(err, `compacting ${docName}`))
          .finally(() => this.compacting.delete(docName));
        this.compacting.set(docName, job);
      }
    }
  }

  /**
   * Folds the tail into the snapshot in one transaction by applying it to a Y.Doc
   * (Y.mergeUpdates over long logs can take exponential time). Deletes exactly the rows it read,
   * so a row committed meanwhile by another node is kept for the next load.
   */
  async compact(docName: string): Promise<void> {
    const folded = await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${docName}))`);
      const [snapshot] = await tx.select().from(yjsSnapshots).where(eq(yjsSnapshots.docName, docName));
      const tail = await tx
        .select({ id: yjsUpdates.id, update: yjsUpdates.update })
        .from(yjsUpdates)
        .where(eq(yjsUpdates.docName, docName))
        .orderBy(asc(yjsUpdates.id));
      if (tail.length === 0) return 0;
      const doc = new Y.Doc();
      Y.transact(doc, () => {
        if (snapshot) Y.applyUpdate(doc, snapshot.state);
        for (const row of tail) Y.applyUpdate(doc, row.update);
      });
      const state = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      const lastUpdateId = tail[tail.length - 1]!.id;
      await tx
        .insert(yjsSnapshots)
        .values({ docName, state, lastUpdateId })
        .onConflictDoUpdate({ target: yjsSnapshots.docName, set: { state, lastUpdateId, updatedAt: new Date() } });
      await tx.delete(yjsUpdates).where(
        inArray(
          yjsUpdates.id,
          tail.map((row) => row.id),
        ),
      );
      return tail.length;
    });
    this.tailRows.set(docName, Math.max(0, (this.tailRows.get(docName) ?? 0) - folded));
  }
}
