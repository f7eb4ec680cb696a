// Keeps each live document in memory exactly once: loaded on first connection (concurrent
// connections wait for the same load), unloaded after the last one leaves and its updates are saved.
import type * as Y from 'yjs';
import { FROM_OTHER_NODE, SyncedDoc, type PresenceOwner } from './synced-doc.ts';
import type { CloseResult, YPersistence } from './persistence.ts';

/**
 * Keeps a live document in step with the same document on other nodes (server/cluster/doc-relay.ts).
 * Without one (a single node), every method is simply not called.
 */
export interface DocReplica {
  /** Before loading: start receiving the document's changes from other nodes (held until bind). */
  open(docName: string): Promise<void>;
  /** Brings a freshly loaded document up to what the other nodes hold but may not have saved yet. */
  catchUp(docName: string, doc: Y.Doc): Promise<void>;
  /** The document is live: apply what was held, then every change from the others as it comes. */
  bind(docName: string, doc: SyncedDoc): void;
  /** A change made on this node, stored here as update number `seq`: send it to the others. */
  publishUpdate(docName: string, update: Uint8Array, seq: number): void;
  /** Presence changed by this node's connections. */
  publishAwareness(docName: string, update: Uint8Array, owners: PresenceOwner[]): void;
  /** The document left memory: stop receiving its changes. */
  close(docName: string): Promise<void>;
}

export interface DocRegistryOptions {
  /** How long an unused document stays in memory (a quick reconnect then needs no reload). */
  unloadAfterMs?: number;
  /** Sees every completed transaction of every document (e.g. to record card authorship). */
  onTransaction?: (docName: string, doc: Y.Doc, transaction: Y.Transaction) => (() => void) | undefined;
  /** A live document could not be reloaded after a failed apply; its connections are closed. */
  onBroken?: (docName: string, err: unknown) => void;
  /** Multi-node operation: the same documents live on other nodes too. */
  replica?: DocReplica;
}

interface Entry {
  ready: Promise<SyncedDoc>;
  doc?: SyncedDoc;
  unloadTimer?: NodeJS.Timeout;
}

export class DocRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Documents being saved and dropped; a new connection waits for that before reloading. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly unloadAfterMs: number;

  constructor(
    private readonly persistence: YPersistence,
    private readonly options: DocRegistryOptions = {},
  ) {
    this.unloadAfterMs = options.unloadAfterMs ?? 10_000;
  }

  /** Documents in memory right now (reported by bench:sync). */
  get loadedCount(): number {
    return this.entries.size;
  }

  /** Updates not in the database yet; after closeAll(), what a failed last write left unsaved. */
  get unsaved(): number {
    return this.persistence.unsaved;
  }

  /** Stored rows that could not be applied and were set aside. */
  quarantinedCount(): Promise<number> {
    return this.persistence.quarantinedCount();
  }

  /** The live document, loading it if needed. Pair every call with release(). */
  async acquire(docName: string): Promise<SyncedDoc> {
    for (;;) {
      const saving = this.unloading.get(docName);
      if (saving) {
        await saving;
        continue;
      }
      const existing = this.entries.get(docName);
      if (existing) {
        clearTimeout(existing.unloadTimer);
        existing.unloadTimer = undefined;
        return existing.ready;
      }
      const replica = this.options.replica;
      const entry: Entry = {
        ready: this.loadFresh(docName).then((ydoc) => {
          const onTransaction = this.options.onTransaction;
          const doc = new SyncedDoc(docName, ydoc, {
            onUpdate: (update, origin) => {
              // Another node's change is stored (and relayed) by that node.
              if (origin === FROM_OTHER_NODE) return;
              const seq = this.persistence.enqueue(docName, update);
              replica?.publishUpdate(docName, update, seq);
            },
            onLocalAwareness: replica && ((update, owners) => replica.publishAwareness(docName, update, owners)),
            reload: () => this.loadFresh(docName),
            onTransaction: onTransaction && ((d, tr) => onTransaction(docName, d, tr)),
            onBroken: (err) => {
              // Drop it from memory: the next connection loads it afresh.
              if (this.entries.get(docName) === entry) this.entries.delete(docName);
              void replica?.close(docName);
              this.options.onBroken?.(docName, err);
            },
          });
          entry.doc = doc;
          replica?.bind(docName, doc);
          return doc;
        }),
      };
      this.entries.set(docName, entry);
      entry.ready.catch(() => {
        this.entries.delete(docName);
        void replica?.close(docName);
      });
      return entry.ready;
    }
  }

  /**
   * The stored document plus, with other nodes, what they hold and have not saved yet. Their
   * changes are received from before the read on, so nothing falls between the two.
   */
  private async loadFresh(docName: string): Promise<Y.Doc> {
    const replica = this.options.replica;
    if (replica) await replica.open(docName);
    const doc = await this.persistence.load(docName);
    if (replica) await replica.catchUp(docName, doc);
    return doc;
  }

  /** Call when a connection acquired earlier has left the document. */
  release(docName: string): void {
    const entry = this.entries.get(docName);
    if (!entry?.doc || entry.doc.connectionCount > 0) return;
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = setTimeout(() => void this.unload(docName), this.unloadAfterMs);
  }

  /** The document if it is in memory right now (no load). */
  peek(docName: string): SyncedDoc | undefined {
    return this.entries.get(docName)?.doc;
  }

  private unload(docName: string): Promise<void> {
    const entry = this.entries.get(docName);
    if (!entry?.doc || entry.doc.connectionCount > 0) return Promise.resolve();
    this.entries.delete(docName);
    const doc = entry.doc;
    // The flush may start a compaction of this document; a reload must not race it (it would read
    // the rows it is folding, and the bookkeeping reset below would be overwritten when it ends).
    const saving = this.persistence
      .flush()
      .then(() => this.persistence.settled(docName))
      .then(() => this.options.replica?.close(docName))
      .catch(() => {})
      .finally(() => {
        doc.destroy();
        this.persistence.forget(docName);
        this.unloading.delete(docName);
      });
    this.unloading.set(docName, saving);
    return saving;
  }

  /**
   * Saves everything and drops all documents (shutdown). Connections must be closed first.
   * Never rejects; resolves with how many updates could not be saved (see YPersistence.close):
   * above 0 the caller should log it and exit non-zero.
   */
  async closeAll(): Promise<CloseResult> {
    for (const entry of this.entries.values()) clearTimeout(entry.unloadTimer);
    await Promise.allSettled([...this.entries.values()].map((e) => e.ready));
    const result = await this.persistence.close();
    for (const entry of this.entries.values()) entry.doc?.destroy();
    this.entries.clear();
    await Promise.allSettled(this.unloading.values());
    return result;
  }
}
