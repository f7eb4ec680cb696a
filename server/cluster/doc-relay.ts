// Keeps every live Yjs document in step across Kizuki nodes through Redis pub/sub.
//
// - A change made on a node (by its clients or the server) is stored by that node only, and
//   published on the document's channel; the other nodes holding the document apply it and fan it
//   out to their own clients. Presence travels the same way.
// - A node that loads a document subscribes first, reads the database, then asks the nodes that
//   hold it for what it lacks (their unsaved edits) and waits for every one of them (how many:
//   Redis' NUMSUB), briefly; so a client here sees an edit made elsewhere a moment ago.
// - Every node keeps a copy of the updates others sent it until their author says they are saved
//   ("saved through" on the nodes channel). If the author dies first (its heartbeat key expires),
//   the copies are stored here: nothing acknowledged to a client is lost with a node. A catch-up
//   answer is such a copy too: it may carry edits its sender has not saved yet.
// - After Redis comes back (a restart loses pub/sub messages), every node asks again for each of
//   its documents, and sends each answerer what that one lacks in turn (the answerer's own
//   request may have gone out before this node had subscribed again), so all of them converge.
import * as Y from 'yjs';
import type { Redis } from 'ioredis';
import type { DocReplica } from '../sync/doc-registry.ts';
import { FROM_OTHER_NODE, type PresenceOwner, type SyncedDoc } from '../sync/synced-doc.ts';
import { checkUpdate } from '../sync/update-check.ts';
import { decodeRelay, encodeRelay, RelayType, type RelayMessage } from './relay-messages.ts';

export interface RelayLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DocRelayOptions {
  nodeId: string;
  /** Publishes and reads keys. */
  pub: Redis;
  /** Subscribed connection (Redis allows nothing else on it). */
  sub: Redis;
  /** Where copies of a dead node's updates are stored; `enqueuedTotal` is this node's last update number. */
  store: { enqueue(docName: string, update: Uint8Array): number; readonly enqueuedTotal: number };
  log: RelayLogger;
  prefix?: string;
  /** Longest a loading document waits for the other nodes' answers. */
  catchUpTimeoutMs?: number;
  /** How often this node says it is alive (its key lives heartbeatMs × 4). */
  heartbeatMs?: number;
}

interface LiveEntry {
  subscribed: Promise<void>;
  /** The live document once bound; messages arriving before wait in `held`. */
  doc?: SyncedDoc;
  held: RelayMessage[];
}

interface PendingCatchUp {
  docName: string;
  expected: number;
  replies: Array<Extract<RelayMessage, { type: typeof RelayType.SyncReply }>>;
  done: () => void;
}

interface Backup {
  seq: number;
  docName: string;
  update: Uint8Array;
  at: number;
}

/** An update with no structs and no deletions (what encodeStateAsUpdate gives when nothing is missing). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}

/** Resolves with the promise's value, or with `fallback` after `ms` (Redis may be away). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

export class DocRelay implements DocReplica {
  readonly nodeId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly catchUpTimeoutMs: number;
  private readonly heartbeatMs: number;
  private readonly entries = new Map<string, LiveEntry>();
  private readonly catchUps = new Map<number, PendingCatchUp>();
  private readonly backups = new Map<string, Backup[]>();
  /** Consecutive heartbeat checks that found a node's key missing. */
  private readonly missing = new Map<string, number>();
  /** Nodes whose clients' presence is shown here: dropped when the node is gone. */
  private readonly presenceNodes = new Set<string>();
  /** This turn's local updates per document, published together (merged) once per turn. */
  private readonly outgoing = new Map<string, { updates: Uint8Array[]; seq: number }>();
  private publishScheduled = false;
  private nextRequestId = 1;
  /** The last "saved through" announced; repeated with every heartbeat (an announcement can be lost). */
  private savedThrough = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private everReady = false;
  private stopped = false;
  /** Counters for /healthz and tests. */
  readonly stats = { published: 0, received: 0, takenOver: 0, resyncs: 0 };

  constructor(private readonly options: DocRelayOptions) {
    this.nodeId = options.nodeId;
    this.pub = options.pub;
    this.sub = options.sub;
    this.prefix = options.prefix ?? 'kizuki';
    this.catchUpTimeoutMs = options.catchUpTimeoutMs ?? 300;
    this.heartbeatMs = options.heartbeatMs ?? 1000;
  }

  /** Subscribes to the nodes channel and starts the heartbeat. */
  async start(): Promise<void> {
    this.sub.on('messageBuffer', this.onMessage);
    this.sub.on('ready', this.onSubscriberReady);
    await this.sub.subscribe(this.nodesChannel);
    this.everReady = true;
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Stops the heartbeat and says goodbye (the key goes at once: nobody waits for it to expire). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.sub.off('messageBuffer', this.onMessage);
    this.sub.off('ready', this.onSubscriberReady);
    await within(this.pub.del(this.nodeKey(this.nodeId)), 500, 0);
  }

  /** Copies of other nodes' updates not yet confirmed saved (tests, /healthz). */
  get backupCount(): number {
    let count = 0;
    for (const list of this.backups.values()) count += list.length;
    return count;
  }

  // ------------------------------------------------------------------ DocReplica

  open(docName: string): Promise<void> {
    const existing = this.entries.get(docName);
    if (existing) return existing.subscribed;
    // If Redis is away the subscription completes when it returns (and the resync then catches up).
    const subscribed = within(this.sub.subscribe(this.docChannel(docName)).then(() => undefined), 1000, undefined);
    this.entries.set(docName, { subscribed, held: [] });
    return subscribed;
  }

  async catchUp(docName: string, doc: Y.Doc): Promise<void> {
    const channel = this.docChannel(docName);
    const numsub = await within(this.pub.pubsub('NUMSUB', channel) as Promise<unknown[]>, this.catchUpTimeoutMs, [channel, 0]);
    const others = Number(numsub[1] ?? 0) - 1;
    if (others <= 0) return;
    const requestId = this.nextRequestId++;
    const pending: PendingCatchUp = { docName, expected: others, replies: [], done: () => {} };
    const answered = new Promise<void>((resolve) => (pending.done = resolve));
    this.catchUps.set(requestId, pending);
    this.publish(channel, { type: RelayType.SyncRequest, from: this.nodeId, requestId, stateVector: Y.encodeStateVector(doc) });
    await within(answered, this.catchUpTimeoutMs, undefined);
    this.catchUps.delete(requestId);
    const entry = this.entries.get(docName);
    for (const reply of pending.replies) {
      try {
        checkUpdate(reply.update, { maxTypes: Infinity });
        Y.applyUpdate(doc, reply.update, FROM_OTHER_NODE);
        this.keepReplyCopy(docName, reply);
      } catch (err) {
        this.options.log.error({ err, docName, from: reply.from }, 'another node sent a catch-up update that does not apply');
      }
      if (reply.awareness && entry) entry.held.push({ type: RelayType.Awareness, from: reply.from, update: reply.awareness, owners: reply.owners });
    }
  }

  bind(docName: string, doc: SyncedDoc): void {
    const entry = this.entries.get(docName);
    if (!entry) return;
    entry.doc = doc;
    const held = entry.held;
    entry.held = [];
    for (const message of held) this.applyToDoc(docName, doc, message);
  }

  publishUpdate(docName: string, update: Uint8Array, seq: number): void {
    const pending = this.outgoing.get(docName);
    if (pending) {
      pending.updates.push(update);
      pending.seq = seq;
    } else {
      this.outgoing.set(docName, { updates: [update], seq });
    }
    if (!this.publishScheduled) {
      this.publishScheduled = true;
      setImmediate(this.publishOutgoing);
    }
  }

  /** One message per document per turn; its number is the last update's (saved-through covers all). */
  private readonly publishOutgoing = (): void => {
    this.publishScheduled = false;
    for (const [docName, { updates, seq }] of this.outgoing) {
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      this.publish(this.docChannel(docName), { type: RelayType.Update, from: this.nodeId, seq, update });
    }
    this.outgoing.clear();
  };

  publishAwareness(docName: string, update: Uint8Array, owners: PresenceOwner[]): void {
    this.publish(this.docChannel(docName), { type: RelayType.Awareness, from: this.nodeId, update, owners });
  }

  async close(docName: string): Promise<void> {
    if (!this.entries.delete(docName)) return;
    await within(this.sub.unsubscribe(this.docChannel(docName)).then(() => undefined), 1000, undefined);
  }

  /** Tells the others that every update this node numbered up to `savedThrough` is stored. */
  announceSaved(savedThrough: number): void {
    this.savedThrough = savedThrough;
    this.publish(this.nodesChannel, { type: RelayType.Saved, from: this.nodeId, savedThrough });
  }

  // ------------------------------------------------------------------ receiving

  private readonly onMessage = (channelBuffer: Buffer, data: Buffer): void => {
    const channel = channelBuffer.toString();
    // The subscriber connection also carries other channels (domain events).
    if (channel !== this.nodesChannel && !channel.startsWith(this.docPrefix)) return;
    let message: RelayMessage;
    try {
      message = decodeRelay(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.options.log.warn({ err, channel }, 'ignored a malformed message from another node');
      return;
    }
    if (message.from === this.nodeId) return;
    this.stats.received++;
    if (channel === this.nodesChannel) {
      if (message.type === RelayType.Saved) this.dropBackups(message.from, message.savedThrough);
      return;
    }
    const docName = channel.slice(this.docPrefix.length);
    const entry = this.entries.get(docName);
    if (!entry) return;
    switch (message.type) {
      case RelayType.Update:
        this.keepBackup(message.from, { seq: message.seq, docName, update: message.update, at: Date.now() });
        if (entry.doc) this.applyToDoc(docName, entry.doc, message);
        else entry.held.push(message);
        break;
      case RelayType.Awareness:
        if (entry.doc) this.applyToDoc(docName, entry.doc, message);
        else entry.held.push(message);
        break;
      case RelayType.SyncRequest:
        this.answer(docName, entry, message);
        break;
      case RelayType.SyncReply: {
        if (message.to !== this.nodeId) return;
        const pending = this.catchUps.get(message.requestId);
        if (pending) {
          pending.replies.push(message);
          if (pending.replies.length >= pending.expected) pending.done();
        } else if (entry.doc) {
          // The answer to a resync after Redis came back.
          this.applyToDoc(docName, entry.doc, { type: RelayType.Update, from: message.from, seq: 0, update: message.update });
          this.keepReplyCopy(docName, message);
          if (message.awareness) this.applyToDoc(docName, entry.doc, { type: RelayType.Awareness, from: message.from, update: message.awareness, owners: message.owners });
          this.sendWhatTheyLack(docName, entry.doc, message.stateVector);
        }
        break;
      }
    }
  };

  /**
   * After a Redis restart the answerer's own resync request may have gone out before this node had
   * subscribed again, and was then lost: send it what it lacks (and the delete set, which state
   * vectors do not show). Every node applies it; applying what one has is harmless.
   */
  private sendWhatTheyLack(docName: string, doc: SyncedDoc, theirStateVector: Uint8Array): void {
    let update: Uint8Array;
    try {
      update = Y.encodeStateAsUpdate(doc.doc, theirStateVector);
    } catch (err) {
      this.options.log.warn({ err, docName }, 'could not send another node what it lacks after a resync');
      return;
    }
    // Seq 0: stored by this node already; the receivers' backup of it goes at our next "saved".
    if (!isEmptyUpdate(update)) this.publish(this.docChannel(docName), { type: RelayType.Update, from: this.nodeId, seq: 0, update });
  }

  private answer(docName: string, entry: LiveEntry, request: Extract<RelayMessage, { type: typeof RelayType.SyncRequest }>): void {
    let update: Uint8Array;
    let awareness: Uint8Array | null = null;
    let stateVector: Uint8Array;
    let owners: PresenceOwner[] = [];
    try {
      // Still loading here: nothing unsaved to offer, but answer so the asker need not wait.
      const doc = entry.doc?.doc ?? new Y.Doc();
      update = Y.encodeStateAsUpdate(doc, request.stateVector);
      stateVector = Y.encodeStateVector(doc);
      const presence = entry.doc?.encodeAllAwareness() ?? null;
      awareness = presence?.update ?? null;
      owners = presence?.owners ?? [];
    } catch (err) {
      this.options.log.warn({ err, docName, from: request.from }, 'could not answer another node\'s catch-up request');
      return;
    }
    const unsavedThrough = this.options.store.enqueuedTotal;
    this.publish(this.docChannel(docName), { type: RelayType.SyncReply, from: this.nodeId, to: request.from, requestId: request.requestId, update, awareness, owners, stateVector, unsavedThrough });
  }

  private applyToDoc(docName: string, doc: SyncedDoc, message: RelayMessage): void {
    try {
      if (message.type === RelayType.Update) doc.applyRemoteUpdate(message.update);
      else if (message.type === RelayType.Awareness) {
        // An owner without a node is the sender's own; the sender is alive, so it is known here.
        const owners = message.owners.map((o) => ({ ...o, node: o.node ?? message.from }));
        for (const { node } of owners) this.presenceNodes.add(node);
        doc.applyRemoteAwareness(message.update, owners);
      }
    } catch (err) {
      this.options.log.error({ err, docName, from: message.from }, 'a change from another node could not be applied');
    }
  }

  /** After a reconnect: pub/sub lost whatever was sent meanwhile, so ask again for every document. */
  private readonly onSubscriberReady = (): void => {
    if (!this.everReady || this.stopped) return;
    this.stats.resyncs++;
    for (const [docName, entry] of this.entries) {
      if (!entry.doc) continue;
      this.publish(this.docChannel(docName), {
        type: RelayType.SyncRequest,
        from: this.nodeId,
        requestId: this.nextRequestId++,
        stateVector: Y.encodeStateVector(entry.doc.doc),
      });
    }
  };

  // ------------------------------------------------------------------ backups of others' updates

  private keepBackup(node: string, backup: Backup): void {
    const list = this.backups.get(node);
    if (list) list.push(backup);
    else this.backups.set(node, [backup]);
  }

  /**
   * A catch-up answer may hold edits its sender has not saved (made before this node subscribed,
   * so never relayed here as updates): kept like a relayed update, numbered with the sender's last
   * update number at the time, until the sender says it saved that far.
   */
  private keepReplyCopy(docName: string, reply: Extract<RelayMessage, { type: typeof RelayType.SyncReply }>): void {
    if (reply.unsavedThrough === 0 || isEmptyUpdate(reply.update)) return;
    this.keepBackup(reply.from, { seq: reply.unsavedThrough, docName, update: reply.update, at: Date.now() });
  }

  private dropBackups(node: string, savedThrough: number): void {
    const list = this.backups.get(node);
    if (!list) return;
    const rest = list.filter((b) => b.seq > savedThrough);
    if (rest.length === 0) this.backups.delete(node);
    else this.backups.set(node, rest);
    this.missing.delete(node);
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    await within(this.pub.set(this.nodeKey(this.nodeId), '1', 'PX', this.heartbeatMs * 4), this.heartbeatMs, null);
    // Pub/sub drops messages while a subscriber reconnects: say it again, so nobody keeps copies
    // (or later stores them again) only because one announcement went missing.
    if (this.savedThrough > 0) this.publish(this.nodesChannel, { type: RelayType.Saved, from: this.nodeId, savedThrough: this.savedThrough });
    const staleBefore = Date.now() - this.heartbeatMs * 2;
    // Nodes that may have died: those we hold unsaved copies for, and those whose presence we show.
    const suspects = new Set([...this.backups].filter(([, list]) => list.length > 0 && list[0]!.at <= staleBefore).map(([node]) => node));
    for (const node of this.presenceNodes) if (node !== this.nodeId) suspects.add(node);
    for (const node of suspects) {
      // -1: Redis did not answer; only a definite "gone", twice in a row, counts.
      const exists = await within(this.pub.exists(this.nodeKey(node)), this.heartbeatMs, -1);
      if (exists !== 0) {
        this.missing.delete(node);
        continue;
      }
      const strikes = (this.missing.get(node) ?? 0) + 1;
      this.missing.set(node, strikes);
      if (strikes >= 2) {
        this.takeOver(node);
        this.dropPresence(node);
      }
    }
  }

  /** The node is gone: its clients' presence (cursors, names) leaves every document here at once. */
  private dropPresence(node: string): void {
    if (!this.presenceNodes.delete(node)) return;
    for (const entry of this.entries.values()) entry.doc?.dropNode(node);
  }

  /** The author died before saving these: store them here (applying one twice is harmless). */
  private takeOver(node: string): void {
    const list = this.backups.get(node) ?? [];
    this.backups.delete(node);
    this.missing.delete(node);
    for (const backup of list) this.options.store.enqueue(backup.docName, backup.update);
    this.stats.takenOver += list.length;
    if (list.length > 0) this.options.log.warn({ node, updates: list.length }, 'a node stopped before saving its last edits; saved them here');
  }

  // ------------------------------------------------------------------ plumbing

  private publish(channel: string, message: RelayMessage): void {
    this.stats.published++;
    this.pub.publish(channel, Buffer.from(encodeRelay(message))).catch((err: unknown) => {
      // Redis away: the resync after it returns brings the others up to date.
      if (!this.stopped) this.options.log.warn({ err, channel }, 'could not publish to the other nodes');
    });
  }

  private get docPrefix(): string {
    return `${this.prefix}:doc:`;
  }

  private docChannel(docName: string): string {
    return this.docPrefix + docName;
  }

  private get nodesChannel(): string {
    return `${this.prefix}:nodes`;
  }

  private nodeKey(node: string): string {
    return `${this.prefix}:node:${node}`;
  }
}
