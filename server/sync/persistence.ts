// Stores Yjs documents as a snapshot plus a tail of updates.
// Updates are queued and written together every few milliseconds (one INSERT for all documents);
// when a document's tail grows past a threshold it is folded into its snapshot.
import * as Y from 'yjs';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { yjsQuarantine, yjsSnapshots, yjsUpdates } from '../db/schema.ts';
import { TickBatcher } from '../db/tick-batcher.ts';
import { anyOf } from '../db/any-of.ts';

/** A stored row that could not be applied when its document loaded; moved to yjs_quarantine. */
export interface QuarantinedRow {
  docName: string;
  source: 'update' | 'snapshot';
  reason: string;
}

/** One piece of a document being loaded: a stored row or an update not written yet. */
interface LoadSource {
  data: Uint8Array;
  row?: { source: 'snapshot' } | { source: 'update'; id: number };
}

/**
 * Applies the sources in order inside one transaction. A source that throws is left out and the
 * document is built again from scratch without it (a failed apply can leave part of itself
 * behind), so one bad row never keeps the rest of a document from loading.
 */
function buildDoc(docName: string, sources: LoadSource[]): { doc: Y.Doc; bad: Array<{ source: LoadSource; reason: string }> } {
  const bad = new Map<LoadSource, string>();
  for (;;) {
    // guid = the name: no random uuid to draw for every load (~0.1 ms each, felt in a reconnect storm).
    const doc = new Y.Doc({ guid: docName });
    let current: LoadSource | undefined;
    try {
      Y.transact(doc, () => {
        for (const source of sources) {
          if (bad.has(source)) continue;
          current = source;
          Y.applyUpdate(doc, source.data);
        }
      });
      return { doc, bad: [...bad].map(([source, reason]) => ({ source, reason })) };
    } catch (err) {
      doc.destroy();
      if (!current || bad.has(current)) throw err;
      bad.set(current, (err as Error).message || String(err));
    }
  }
}

export interface PersistenceOptions {
  /** Longest an update waits in memory before it is written. */
  flushDelayMs?: number;
  /** Compact a document once this many update rows follow its snapshot. */
  compactAfterRows?: number;
  onError?: (err: unknown, context: string) => void;
  /** A row was moved out of the way because it could not be applied. */
  onQuarantine?: (row: QuarantinedRow) => void;
  /**
   * Every update enqueued up to this count (see `enqueuedTotal`) is now in the database. Other
   * nodes keep a copy of what this node sent them until they hear this (server/cluster/).
   */
  onSaved?: (savedThrough: number) => void;
}

/** What close() reports: how many updates never reached the database (0 = everything is saved). */
export interface CloseResult {
  unsaved: number;
}

export class YPersistence {
  private readonly pending = new Map<string, Uint8Array[]>();
  /** Updates taken from `pending` by a write that has not finished (or failed) yet. */
  private readonly inFlight = new Map<string, Uint8Array[]>();
  private readonly tailRows = new Map<string, number>();
  private readonly compacting = new Map<string, Promise<void>>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** The chain of writes; never rejects (errors go to onError), so callers may `void flush()`. */
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly flushDelayMs: number;
  private readonly compactAfterRows: number;
  private readonly reportError: (err: unknown, context: string) => void;
  private readonly reportQuarantine: (row: QuarantinedRow) => void;
  private readonly onSaved: (savedThrough: number) => void;
  /** Tail rows (id order) and snapshots of many documents per query, for loads arriving together. */
  private readonly tails: TickBatcher<string, Array<{ id: number; update: Uint8Array }>>;
  private readonly snapshots: TickBatcher<string, { state: Uint8Array }>;
  /** How many updates enqueue() has accepted since start (numbers them for `savedThrough`). */
  private enqueued = 0;
  /** Every update numbered up to this is in the database. */
  private saved = 0;

  constructor(
    private readonly db: Db,
    options: PersistenceOptions = {},
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.compactAfterRows = options.compactAfterRows ?? 500;
    const onError = options.onError ?? (() => {});
    this.reportQuarantine = options.onQuarantine ?? (() => {});
    this.onSaved = options.onSaved ?? (() => {});
    // Two loads out at once, so one huge document's tail does not hold up every other document's.
    this.tails = new TickBatcher(async (names) => {
      const byDoc = new Map<string, Array<{ id: number; update: Uint8Array }>>();
      for (const { docName, ...row } of await this.prepared().tails.execute({ names })) {
        const list = byDoc.get(docName);
        if (list) list.push(row);
        else byDoc.set(docName, [row]);
      }
      return byDoc;
    }, 100, 2);
    this.snapshots = new TickBatcher(async (names) => new Map((await this.prepared().snapshots.execute({ names })).map((r) => [r.docName, { state: r.state }])), 100, 2);
    // A throwing error handler must not turn into a rejected write chain either.
    this.reportError = (err, context) => {
      try {
        onError(err, context);
      } catch {
        // nothing sensible left to do
      }
    };
  }

  /** The load queries, prepared once at first use: one SQL text whatever the batch size (server/db/any-of.ts). */
  private preparedQueries?: ReturnType<YPersistence['prepareLoadQueries']>;
  private prepared() {
    return (this.preparedQueries ??= this.prepareLoadQueries());
  }
  private prepareLoadQueries() {
    return {
      tails: this.db
        .select({ docName: yjsUpdates.docName, id: yjsUpdates.id, update: yjsUpdates.update })
        .from(yjsUpdates)
        .where(anyOf(yjsUpdates.docName, 'names'))
        .orderBy(asc(yjsUpdates.id))
        .prepare('kizuki_tails'),
      snapshots: this.db.select({ docName: yjsSnapshots.docName, state: yjsSnapshots.state }).from(yjsSnapshots).where(anyOf(yjsSnapshots.docName, 'names')).prepare('kizuki_snapshots'),
    };
  }

  /** Updates accepted by enqueue() that are not in the database yet (queued, being written, or failed). */
  get unsaved(): number {
    let count = 0;
    for (const updates of this.pending.values()) count += updates.length;
    for (const updates of this.inFlight.values()) count += updates.length;
    return count;
  }

  /** Updates accepted since start; the number of the last one enqueued. */
  get enqueuedTotal(): number {
    return this.enqueued;
  }

  /** Every update numbered up to this (by `enqueuedTotal` at its enqueue) is in the database. */
  get savedThrough(): number {
    return this.saved;
  }

  /** Loads snapshot + every update row not yet folded into it. */
  async load(docName: string): Promise<Y.Doc> {
    // Updates not in the database yet (e.g. kept after a failed write while the document was
    // unloaded). Taken before reading, as well as after: a write finishing while we read moves them
    // out of these maps, possibly after our tail query already ran.
    const unwrittenBefore = this.unwritten(docName);
    // The tail BEFORE the snapshot: a compaction committing between the two reads then only folds
    // rows we already have into the snapshot we read next (applying an update twice is harmless).
    // In the other order (READ COMMITTED, two statements) we could read the old snapshot and then a
    // tail whose rows the compaction had just deleted.
    // Documents loading in the same turn (a reconnect storm) share these two queries.
    const tail = (await this.tails.get(docName)) ?? [];
    const snapshot = await this.snapshots.get(docName);
    const sources: LoadSource[] = [
      ...(snapshot ? [{ data: snapshot.state, row: { source: 'snapshot' as const } }] : []),
      ...tail.map((row) => ({ data: row.update, row: { source: 'update' as const, id: row.id } })),
      ...unwrittenBefore.map((data) => ({ data })),
      ...this.unwritten(docName).map((data) => ({ data })),
    ];
    const { doc, bad } = buildDoc(docName, sources);
    for (const { source, reason } of bad) await this.quarantine(docName, source, reason);
    this.tailRows.set(docName, tail.length);
    // A long tail (a restored database, a document nobody wrote to since) is folded now rather
    // than at its next write, so the next load is quick too.
    if (tail.length >= this.compactAfterRows) this.startCompaction(docName);
    return doc;
  }

  /** Rows in quarantine (reported by /healthz). */
  async quarantinedCount(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(yjsQuarantine);
    return Number(row?.n ?? 0);
  }

  /**
   * Moves a row that cannot be applied out of the load path, keeping its bytes for inspection.
   * An update not written yet is dropped from the queue instead. Failures are reported, not thrown:
   * the document has loaded without the row either way.
   */
  private async quarantine(docName: string, source: LoadSource, reason: string): Promise<void> {
    const kind = source.row?.source ?? 'update';
    this.reportQuarantine({ docName, source: kind, reason });
    const row = source.row;
    if (!row) {
      for (const queue of [this.pending.get(docName), this.inFlight.get(docName)]) {
        const index = queue?.indexOf(source.data) ?? -1;
        if (queue && index >= 0) queue.splice(index, 1);
      }
      return;
    }
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(yjsQuarantine).values({ docName, source: kind, data: source.data, reason });
        if (row.source === 'update') await tx.delete(yjsUpdates).where(eq(yjsUpdates.id, row.id));
        else await tx.delete(yjsSnapshots).where(eq(yjsSnapshots.docName, docName));
      });
    } catch (err) {
      this.reportError(err, `quarantining a row of ${docName}`);
    }
  }

  /** Queues an update for the next write; returns its number (see `savedThrough`). */
  enqueue(docName: string, update: Uint8Array): number {
    const queue = this.pending.get(docName);
    if (queue) queue.push(update);
    else this.pending.set(docName, [update]);
    this.scheduleFlush(this.flushDelayMs);
    return ++this.enqueued;
  }

  /**
   * Writes everything queued so far. Never rejects: resolves once the write has been attempted;
   * updates whose write failed stay queued (see `unsaved`), are retried, and the failure goes to onError.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.writePending())
      .catch((err) => this.reportError(err, 'writing document updates'));
    return this.flushing;
  }

  /** Resolves when no compaction of this document is running (one started by a flush included). Never rejects. */
  settled(docName: string): Promise<void> {
    return this.compacting.get(docName) ?? Promise.resolve();
  }

  /** Forgets per-document bookkeeping once a document is unloaded (after its flush and compaction). */
  forget(docName: string): void {
    if (!this.pending.has(docName) && !this.inFlight.has(docName) && !this.compacting.has(docName)) {
      this.tailRows.delete(docName);
    }
  }

  /**
   * Shutdown: writes everything queued (one last attempt, no retries afterwards) and waits for
   * running compactions. Never rejects. Resolves with `unsaved`, the number of updates that are
   * still not in the database because the last write failed: anything above 0 means edits are
   * lost when the process exits, so the caller should log it and exit with a non-zero status.
   */
  async close(): Promise<CloseResult> {
    this.closed = true;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
    await Promise.all(this.compacting.values());
    return { unsaved: this.unsaved };
  }

  private scheduleFlush(delayMs: number): void {
    if (this.closed) return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Updates for this document not in the database yet, oldest first. */
  private unwritten(docName: string): Uint8Array[] {
    return [...(this.inFlight.get(docName) ?? []), ...(this.pending.get(docName) ?? [])];
  }

  /**
   * One INSERT for a flush's rows, whatever their number: they go in as two arrays (unnest), so
   * the statement stays two parameters instead of drizzle building three per row on every flush
   * (a busy server flushes 20 times a second; that building was ~12 % of its CPU in 200 rooms).
   */
  private async insertRows(rows: Array<{ docName: string; update: Uint8Array }>): Promise<void> {
    const names = rows.map((r) => r.docName);
    // The column's own conversion (schema.ts's bytea type), as drizzle's insert applied it.
    const updates = rows.map((r) => yjsUpdates.update.mapToDriverValue(r.update));
    await this.db.execute(sql`insert into ${yjsUpdates} (${sql.identifier(yjsUpdates.docName.name)}, ${sql.identifier(yjsUpdates.update.name)}) select * from unnest(${sql.param(names)}::text[], ${sql.param(updates)}::bytea[])`);
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    // Everything enqueued so far is in this batch (earlier failures were put back into pending).
    const cutoff = this.enqueued;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [docName, updates] of batch) this.inFlight.set(docName, updates);
    const rows: Array<{ docName: string; update: Uint8Array }> = [];
    const failed: string[] = [];
    for (const [docName, updates] of batch) {
      try {
        // Merging a handful of fresh updates is cheap; long logs are folded by compact() instead.
        rows.push({ docName, update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates) });
      } catch (err) {
        this.reportError(err, `merging updates of ${docName}`);
        failed.push(docName);
      }
    }
    const written: string[] = [];
    if (rows.length > 0) {
      try {
        await this.insertRows(rows);
        written.push(...rows.map((row) => row.docName));
      } catch (err) {
        this.reportError(err, 'writing document updates');
        if (rows.length === 1) {
          failed.push(rows[0]!.docName);
        } else {
          // One bad row fails the whole INSERT: write the documents one by one, so it holds back
          // only its own document.
          for (const row of rows) {
            try {
              await this.insertRows([row]);
              written.push(row.docName);
            } catch (rowErr) {
              this.reportError(rowErr, `writing updates of ${row.docName}`);
              failed.push(row.docName);
            }
          }
        }
      }
    }
    for (const docName of written) this.inFlight.delete(docName);
    if (failed.length > 0) {
      // Keep the updates (ahead of newer ones) and try again: nothing typed may be lost.
      for (const docName of failed) {
        const updates = this.inFlight.get(docName) ?? [];
        this.inFlight.delete(docName);
        this.pending.set(docName, [...updates, ...(this.pending.get(docName) ?? [])]);
      }
      this.scheduleFlush(Math.max(this.flushDelayMs, 1000));
    } else if (cutoff > this.saved) {
      this.saved = cutoff;
      try {
        this.onSaved(cutoff);
      } catch (err) {
        this.reportError(err, 'reporting saved updates');
      }
    }
    for (const docName of written) {
      const count = (this.tailRows.get(docName) ?? 0) + 1;
      this.tailRows.set(docName, count);
      if (count >= this.compactAfterRows) this.startCompaction(docName);
    }
  }

  private startCompaction(docName: string): void {
    if (this.compacting.has(docName) || this.closed) return;
    const job = this.compact(docName)
      .catch((err) => this.reportError(err, `compacting ${docName}`))
      .finally(() => this.compacting.delete(docName));
    this.compacting.set(docName, job);
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
      const { doc, bad } = buildDoc(docName, [
        ...(snapshot ? [{ data: snapshot.state, row: { source: 'snapshot' as const } }] : []),
        ...tail.map((row) => ({ data: row.update, row: { source: 'update' as const, id: row.id } })),
      ]);
      // Rows that cannot be applied are kept in quarantine (they are deleted below with the rest).
      for (const { source, reason } of bad) {
        const kind = source.row?.source ?? 'update';
        this.reportQuarantine({ docName, source: kind, reason });
        await tx.insert(yjsQuarantine).values({ docName, source: kind, data: source.data, reason });
      }
      const state = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      const lastUpdateId = tail[tail.length - 1]!.id;
      await tx
        .insert(yjsSnapshots)
        .values({ docName, state, lastUpdateId })
        .onConflictDoUpdate({ target: yjsSnapshots.docName, set: { state, lastUpdateId, updatedAt: new Date() } });
      // One array parameter, not one parameter per row: PostgreSQL takes at most 65,535
      // parameters, and a tail can be longer than that (a restored or long-neglected document).
      const ids = `{${tail.map((row) => row.id).join(',')}}`;
      await tx.delete(yjsUpdates).where(sql`${yjsUpdates.id} = any(${ids}::bigint[])`);
      return tail.length;
    });
    this.tailRows.set(docName, Math.max(0, (this.tailRows.get(docName) ?? 0) - folded));
  }
}
