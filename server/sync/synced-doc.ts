// One live document: the Y.Doc, its awareness, and the connections editing it.
// Applies incoming messages with the connection's right and fans changes out to the others.
// Nothing a client sends is applied before it has been checked in full; if applying still fails
// half-way, what the failed update did is neither sent nor stored, and the document is reloaded
// from storage (which holds exactly the updates that were forwarded).
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType, SyncStep, encodeAwareness, encodeSyncStep1, encodeSyncUpdate } from './y-messages.ts';
import { frameForMany } from './ws-frame.ts';
import { checkUpdate, countNewDeletions, InvalidUpdate, MAX_NEW_DELETIONS_PER_UPDATE, MAX_ROOT_TYPES, NEW_DELETION_COST_BYTES } from './update-check.ts';
import { AwarenessViolation, MAX_AWARENESS_IDS_PER_CONNECTION, parseAwarenessUpdate } from './awareness-check.ts';
import { tokenBucket } from '../control/socket-limits.ts';
import { isElementId } from '../../shared/jcrm/elements.ts';
import { isPresenceColor } from '../../shared/protocol/presence.ts';

/** What a document needs from a connection; YConnection implements it, tests may fake it. */
export interface DocConnection {
  readonly readOnly: boolean;
  /**
   * The signed-in user behind the connection; their reconnect may take over their awareness ids,
   * and the presence they announce must name them (displayName, when known, as it is) and their
   * company (eventCompanyId, when known; null for facilitators and observers).
   */
  readonly owner?: { userId: string; displayName?: string; eventCompanyId?: string | null };
  /**
   * Sends one message; `frame`, when given, is its WebSocket frame built once for every receiver
   * of a fan-out (server/sync/ws-frame.ts).
   */
  send(message: Uint8Array, frame?: Buffer): void;
  /** Called when a write is dropped: the client may only read, or the document is full. */
  notifyWriteDenied(why?: WriteDenied): void;
  /** The connection sent something it must not (malformed, over a limit): close it. */
  reject(err: Error): void;
  /** What the connection's last update cost besides its bytes (new deletions), spent from its sender's write budget. */
  charge?(bytes: number): void;
}

/**
 * The origin of changes that came from the same document on another node (server/cluster/):
 * fanned out to this node's connections, but neither stored nor relayed again here.
 */
export const FROM_OTHER_NODE = Symbol('another Kizuki node');

/** Stands for another node when its updates wait in the held queue during a reload. */
const OTHER_NODE_OWNER: DocConnection = {
  readOnly: true,
  send() {},
  notifyWriteDenied() {},
  reject() {},
};

/**
 * Who holds a presence id: the signed-in user (so the same person may take the id over after
 * moving nodes) and, for an id of another node's client, that node (absent: this node, or in a
 * relay message its sender). A node that dies takes its ids' presence with it.
 */
export interface PresenceOwner {
  clientId: number;
  userId?: string;
  node?: string;
}

/**
 * Owns awareness ids that another node's clients use: no connection here can change them, except
 * one of the same user (the client moved here, e.g. after its node died, keeping its id).
 */
class RemoteOwner implements DocConnection {
  readonly readOnly = true;
  readonly owner: { userId: string } | undefined;
  constructor(
    readonly node: string,
    userId: string | undefined,
  ) {
    this.owner = userId === undefined ? undefined : { userId };
  }
  send(): void {}
  notifyWriteDenied(): void {}
  reject(): void {}
}

export interface SyncedDocHooks {
  /** Every change that is now part of the document: store it (origin FROM_OTHER_NODE: stored there). */
  onUpdate(update: Uint8Array, origin: unknown): void;
  /** Presence changed by this node's connections (to relay to other nodes), with the ids' users. */
  onLocalAwareness?(update: Uint8Array, owners: PresenceOwner[]): void;
  /** Reads the document again from storage (after an apply failed half-way). */
  reload(): Promise<Y.Doc>;
  /**
   * Called after every transaction that completed (never for a failed apply); `origin` is the
   * connection whose update it was. Used to record who wrote what (card authorship).
   */
  onTransaction?(doc: Y.Doc, transaction: Y.Transaction): (() => void) | undefined;
  /** Reloading failed: the document cannot be served any more. */
  onBroken?(err: unknown): void;
}

/**
 * Whether applying `update` would add content the document does not have yet: some client's
 * structs reach past the document's clock for that client. Delete sets are ignored on purpose: a
 * client's sync step 2 always carries its whole delete set, so a read-only client of any document
 * with a deletion would otherwise look like it was writing on every connect.
 * (parseUpdateMeta rather than encodeStateVectorFromUpdate: the latter reports nothing for a
 * client whose structs do not start at clock 0, i.e. for every incremental edit.)
 */
function addsStructs(doc: Y.Doc, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update);
  if (to.size === 0) return false;
  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of to) if (clock > (known.get(client) ?? 0)) return true;
  return false;
}

export type WriteDenied = 'read-only' | 'document-full';

/**
 * The most a document may hold, encoded: a company's worksheet or a room's cards are a few KB to
 * a few hundred KB; without a cap one client could grow a document every reader must load.
 */
export const MAX_DOC_BYTES = 4 * 1024 * 1024;
/**
 * A document found full is measured again at most this often: a client writing to a document just
 * under the cap would otherwise make every tiny update re-encode all of it (~80 ms at 4 MiB).
 */
export const FULL_DOC_MEASURE_INTERVAL_MS = 1_000;
/** Departed connections' presence ids remembered per document (oldest forgotten first). */
const MAX_DEPARTED_PRESENCE_IDS = 5_000;

/**
 * Whether a presence state may be shown as this connection's. The board shows a presence by its
 * `user.id` (and name): one that has an id must carry the connection's own user id and name, so
 * nobody appears as someone else, and a company it names must be the user's own (the console
 * counts a room's people by company). Other states (a stock client's cursor, `user: { name }`)
 * are shown as no one's and pass.
 */
function presenceNamesOwner(state: unknown, conn: DocConnection): boolean {
  if (conn.owner === undefined || state === null || typeof state !== 'object') return true;
  const user = (state as { user?: unknown }).user;
  if (user === null || typeof user !== 'object') return true;
  const { id, name, eventCompanyId, color, element } = user as { id?: unknown; name?: unknown; eventCompanyId?: unknown; color?: unknown; element?: unknown };
  // What boards put into a style attribute and look up by id: a colour that is not #hex, or an
  // element that is not one, is refused here for every client, with or without an id (attacker
  // round 10; the review).
  if (color !== undefined && !isPresenceColor(color)) return false;
  if (element !== undefined && element !== null && !isElementId(element)) return false;
  if (!('id' in user)) return true;
  const { owner } = conn;
  const companyMatches = owner.eventCompanyId === undefined || (eventCompanyId ?? null) === owner.eventCompanyId;
  return id === owner.userId && (owner.displayName === undefined || name === owner.displayName) && companyMatches;
}

function sameUser(a: DocConnection, b: DocConnection): boolean {
  return a.owner !== undefined && b.owner !== undefined && a.owner.userId === b.owner.userId;
}

export class ProtocolViolation extends Error {}

/**
 * Requests for the whole document or everyone's presence (sync step 1, awareness query) per
 * connection: bursts of `burst`, refilled at one per `refillMs`. A client sends one of each when it
 * connects; each answer can be megabytes encoded anew, so a flood of 4-byte requests would stall
 * the server and everyone on it.
 */
export const FULL_STATE_REQUEST_LIMIT = { burst: 8, refillMs: 2_000 };

/** Messages held while the document reloads after a failed apply (then replayed in order). */
const MAX_HELD_MESSAGES = 10_000;

type Held =
  | { conn: DocConnection; message: Uint8Array }
  | { conn: DocConnection; join: true }
  | { conn: typeof OTHER_NODE_OWNER; remoteUpdate: Uint8Array };

export class SyncedDoc {
  readonly awareness: awarenessProtocol.Awareness;
  private current: Y.Doc;
  /** connection → the awareness client ids it owns (their states are removed when it leaves). */
  private readonly connections = new Map<DocConnection, Set<number>>();
  /** awareness client id → the connection that used it first; only that one may change its state. */
  private readonly awarenessOwners = new Map<number, DocConnection>();
  /**
   * awareness client id → the user whose connection used it and left. A stock client keeps its id
   * across reconnects, so nobody else may take it over meanwhile (their presence would be refused).
   */
  private readonly departedPresence = new Map<number, string>();
  /** The document's encoded size when last measured (-1: not yet), and what updates added since. */
  private measuredBytes = -1;
  private bytesSinceMeasured = 0;
  private measuredAt = 0;
  /** How many times the document's size was measured by encoding it (tests watch it). */
  sizeMeasurements = 0;
  /** While a client's update is being applied: what it caused, released only if it succeeds. */
  private deferred: Array<() => void> | null = null;
  /** Set while the document reloads; messages wait in `held`. */
  private reloading: Promise<void> | null = null;
  private held: Held[] = [];
  private broken = false;
  private destroyed = false;
  /**
   * The first update of a turn of the event loop goes out at once (a quiet room waits for
   * nothing). Updates after it in the same turn are held and go out together at the turn's end
   * (setImmediate: after every message read in this turn), merged into one frame per connection,
   * so a busy room sends each listener two frames per turn rather than one per writer's keystroke.
   */
  private outgoing: Array<{ update: Uint8Array; origin: unknown }> = [];
  private fanOutScheduled = false;
  /** How many times a failed apply made this document reload (reported by tests and /healthz). */
  reloads = 0;

  constructor(
    readonly name: string,
    doc: Y.Doc,
    private readonly hooks: SyncedDocHooks,
  ) {
    // Awareness only needs a client id of its own; bound to a separate doc so that replacing the
    // content document (reload) keeps everyone's presence.
    // A fixed guid: Y.Doc would otherwise draw a random uuid (~0.1 ms each, felt in a reconnect storm).
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc({ guid: `${name}#awareness` }));
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.current = doc;
    this.bind(doc);
  }

  get doc(): Y.Doc {
    return this.current;
  }

  /** Resolves when no reload is running (tests and tools wait on it). */
  async whenReady(): Promise<void> {
    while (this.reloading) await this.reloading;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts the sync handshake: our state vector, then everyone's presence. */
  addConnection(conn: DocConnection): void {
    if (this.reloading) {
      this.hold({ conn, join: true });
      return;
    }
    this.connections.set(conn, new Set());
    conn.send(encodeSyncStep1(this.current));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) conn.send(encodeAwareness(this.awareness, states));
  }

  removeConnection(conn: DocConnection): void {
    this.held = this.held.filter((h) => h.conn !== conn);
    const owned = this.connections.get(conn);
    this.connections.delete(conn);
    if (!owned || owned.size === 0) return;
    const released: number[] = [];
    for (const id of owned) {
      if (this.awarenessOwners.get(id) !== conn) continue;
      this.awarenessOwners.delete(id);
      released.push(id);
      if (conn.owner) this.rememberDeparted(id, conn.owner.userId);
    }
    const present = [...owned].filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, present, null);
    this.forgetClocks(released);
  }

  /**
   * Ids whose clocks (awareness.meta) go once their removal went out. y-protocols keeps a clock for
   * every id it ever saw while the document stays loaded (82,536 after 20,634 reconnects); a stock
   * client draws a new id per page load. Nothing needs them: who may take a departed id back is
   * departedPresence, and an echoed removal of an absent id is not newer (isNewerPresence).
   */
  private readonly clocksToForget = new Set<number>();
  private forgetScheduled = false;

  private forgetClocks(ids: number[]): void {
    if (ids.length === 0) return;
    for (const id of ids) this.clocksToForget.add(id);
    if (this.forgetScheduled) return;
    this.forgetScheduled = true;
    // After this turn's presence went out (sendHeldAwareness, scheduled before this): encoding a
    // removal reads its clock.
    setImmediate(this.forgetClocksNow);
  }

  private readonly forgetClocksNow = (): void => {
    this.forgetScheduled = false;
    if (this.destroyed) return;
    const later: number[] = [];
    for (const id of this.clocksToForget) {
      // Back meanwhile (its clock matters again), or still waiting to be sent.
      if (this.awarenessOwners.has(id) || this.awareness.getStates().has(id)) continue;
      if (this.awarenessChanged.has(id)) later.push(id);
      else this.awareness.meta.delete(id);
    }
    this.clocksToForget.clear();
    this.forgetClocks(later);
  };

  private readonly fullStateRequests = new WeakMap<DocConnection, { take(): boolean }>();

  /** Spends from the connection's budget of full-state requests; over it, the connection is refused. */
  private takeFullStateRequest(conn: DocConnection): void {
    let budget = this.fullStateRequests.get(conn);
    if (!budget) {
      budget = tokenBucket(FULL_STATE_REQUEST_LIMIT.burst, 1 / FULL_STATE_REQUEST_LIMIT.refillMs);
      this.fullStateRequests.set(conn, budget);
    }
    if (!budget.take()) throw new ProtocolViolation('too many requests for the whole document or presence');
  }

  /** Applies one message; throws ProtocolViolation, InvalidUpdate, AwarenessViolation or a decoding error on bad input. */
  handleMessage(conn: DocConnection, message: Uint8Array): void {
    if (this.reloading) {
      this.hold({ conn, message });
      return;
    }
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        this.handleSync(conn, decoder);
        break;
      case MessageType.Awareness:
        this.applyAwareness(conn, decoding.readVarUint8Array(decoder));
        break;
      case MessageType.QueryAwareness:
        this.takeFullStateRequest(conn);
        conn.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        break;
      case MessageType.Auth:
        // Only the server speaks auth messages; a client sending one is ignored.
        break;
      default:
        throw new ProtocolViolation(`unknown message type ${type}`);
    }
  }

  /** Applies a change relayed from this document on another node (checked like a client's). */
  applyRemoteUpdate(update: Uint8Array): void {
    if (this.reloading) {
      this.hold({ conn: OTHER_NODE_OWNER, remoteUpdate: update });
      return;
    }
    this.applyChecked(update, FROM_OTHER_NODE);
  }

  /**
   * Applies presence relayed from another node; its ids stay that node's (and their user's, when
   * `owners` names them). Ids a connection here owns are left alone: that client moved here.
   */
  applyRemoteAwareness(update: Uint8Array, owners: Array<PresenceOwner & { node: string }>): void {
    const entries = parseAwarenessUpdate(update);
    const byId = new Map(owners.map((o) => [o.clientId, o]));
    for (const { clientId } of entries) {
      const owner = this.awarenessOwners.get(clientId);
      if (owner !== undefined && !(owner instanceof RemoteOwner)) return;
    }
    for (const { clientId } of entries) {
      const named = byId.get(clientId);
      const current = this.awarenessOwners.get(clientId);
      // A relayed answer may carry a third node's ids without naming it: keep what we know.
      if (named || !current) this.awarenessOwners.set(clientId, new RemoteOwner(named?.node ?? '', named?.userId));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_OTHER_NODE);
  }

  /** A node is gone (it stopped without saying so): its clients' presence goes with it. */
  dropNode(node: string): void {
    const gone: number[] = [];
    for (const [id, owner] of this.awarenessOwners) if (owner instanceof RemoteOwner && owner.node === node) gone.push(id);
    const present = gone.filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, present, FROM_OTHER_NODE);
    for (const id of gone) this.awarenessOwners.delete(id);
  }

  /** Everyone's presence as one awareness update, with who holds each id (for another node that just loaded the document). */
  encodeAllAwareness(): { update: Uint8Array; owners: PresenceOwner[] } | null {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length === 0) return null;
    return { update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids), owners: ids.map((id) => this.ownerOf(id)) };
  }

  /** Who holds a presence id: a connection here (node undefined) or another node. */
  private ownerOf(clientId: number): PresenceOwner {
    const owner = this.awarenessOwners.get(clientId);
    if (owner instanceof RemoteOwner) return { clientId, node: owner.node || undefined, userId: owner.owner?.userId };
    return { clientId, userId: owner?.owner?.userId };
  }

  /** Applies an update the server itself made (migrations); same checks and fan-out as a client's. */
  applyServerUpdate(update: Uint8Array, origin: unknown = null): void {
    this.applyChecked(update, origin);
  }

  destroy(): void {
    this.destroyed = true;
    this.outgoing = [];
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.current.destroy();
  }

  private bind(doc: Y.Doc): void {
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (doc !== this.current) return;
      const effect = this.hooks.onTransaction?.(doc, transaction);
      if (effect) this.afterApply(effect);
    });
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (doc !== this.current) return;
      this.afterApply(() => {
        this.hooks.onUpdate(update, origin);
        if (this.fanOutScheduled) {
          this.outgoing.push({ update, origin });
          return;
        }
        this.fanOutScheduled = true;
        setImmediate(this.fanOut);
        this.send([{ update, origin }]);
      });
    });
  }

  /** Sends the updates held back in this turn. */
  private readonly fanOut = (): void => {
    this.fanOutScheduled = false;
    const batch = this.outgoing;
    this.outgoing = [];
    this.send(batch);
  };

  /** Everyone gets the updates merged into one frame, a writer all but its own. */
  private send(batch: Array<{ update: Uint8Array; origin: unknown }>): void {
    if (this.destroyed || batch.length === 0 || this.connections.size === 0) return;
    const merged = (items: typeof batch) => (items.length === 1 ? items[0]!.update : Y.mergeUpdates(items.map((i) => i.update)));
    const toEveryone = encodeSyncUpdate(merged(batch));
    const frame = frameForMany(toEveryone, this.connections.size);
    const writers = new Set(batch.map((i) => i.origin));
    for (const conn of this.connections.keys()) {
      if (!writers.has(conn)) {
        conn.send(toEveryone, frame);
        continue;
      }
      const others = batch.filter((i) => i.origin !== conn);
      if (others.length > 0) conn.send(encodeSyncUpdate(merged(others)));
    }
  }

  private afterApply(effect: () => void): void {
    if (this.deferred) this.deferred.push(effect);
    else effect();
  }

  private handleSync(conn: DocConnection, decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    switch (step) {
      case SyncStep.Step1: {
        this.takeFullStateRequest(conn);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.readSyncStep1(decoder, encoder, this.current);
        if (decoder.pos !== decoder.arr.byteLength) throw new ProtocolViolation('trailing bytes after a sync message');
        conn.send(encoding.toUint8Array(encoder));
        break;
      }
      case SyncStep.Step2:
      case SyncStep.Update: {
        const update = decoding.readVarUint8Array(decoder);
        if (decoder.pos !== decoder.arr.byteLength) throw new ProtocolViolation('trailing bytes after a sync message');
        if (conn.readOnly) {
          // The handshake's sync step 2 of a client with nothing new carries no new structs (but
          // possibly a delete set); only real edits are worth telling the client about.
          if (addsStructs(this.current, update)) conn.notifyWriteDenied('read-only');
          return;
        }
        if (!this.hasRoomFor(update)) {
          conn.notifyWriteDenied('document-full');
          return;
        }
        this.applyChecked(update, conn);
        break;
      }
      default:
        throw new ProtocolViolation(`unknown sync step ${step}`);
    }
  }

  /**
   * Applies an update that decoded in full. Its effects (fan-out, storage, authorship) are held
   * back until Y.applyUpdate returns: if it throws half-way, they are dropped and the document is
   * reloaded from storage, so no client and no row ever sees the partial state.
   */
  private applyChecked(update: Uint8Array, origin: unknown): void {
    const { rootNames, deleteSet } = checkUpdate(update, origin === FROM_OTHER_NODE ? { maxTypes: Infinity } : {});
    let roots = this.current.share.size;
    for (const name of rootNames) if (!this.current.share.has(name)) roots++;
    if (roots > MAX_ROOT_TYPES) throw new InvalidUpdate(`the document would have more than ${MAX_ROOT_TYPES} root types`);
    // Limited for a client of this node; another node checked its client's update already (and
    // may have merged several), and the server's own updates (migrations) are its own.
    const client = this.connections.has(origin as DocConnection) ? (origin as DocConnection) : undefined;
    const deletions = countNewDeletions(this.current, deleteSet, client ? MAX_NEW_DELETIONS_PER_UPDATE : Infinity);
    if (client && deletions > MAX_NEW_DELETIONS_PER_UPDATE) {
      throw new InvalidUpdate(`update deletes more than ${MAX_NEW_DELETIONS_PER_UPDATE} separate ranges`);
    }
    const extraCost = deletions * NEW_DELETION_COST_BYTES;
    if (extraCost > 0) client?.charge?.(extraCost);
    const effects: Array<() => void> = [];
    this.deferred = effects;
    const { store } = this.current;
    const completeBefore = store.pendingStructs === null && store.pendingDs === null;
    try {
      Y.applyUpdate(this.current, update, origin);
    } catch (err) {
      this.deferred = null;
      this.startReload();
      throw new InvalidUpdate(`update could not be applied: ${(err as Error).message}`);
    }
    this.deferred = null;
    this.bytesSinceMeasured += update.byteLength + extraCost;
    for (const effect of effects) effect();
    if (origin !== FROM_OTHER_NODE && completeBefore && (store.pendingStructs !== null || store.pendingDs !== null)) {
      // Part of the update builds on changes this document does not have (a client only knows
      // what we sent it and what it wrote). Yjs would keep that part and decode it again with
      // every later update (a 1.7 MB planted delete set: 100 ms per keystroke for everyone).
      // What could be applied is applied and kept; the rest is dropped and the client
      // reconnects, resending whatever it really has in its sync step 2.
      store.pendingStructs = null;
      store.pendingDs = null;
      throw new ProtocolViolation('update builds on changes this document does not have');
    }
  }

  /**
   * Whether the document stays within MAX_DOC_BYTES with this update. Counted from the update
   * sizes; measured exactly (deletions shrink a document, updates overlap) only when the count
   * says it may not, and once per load before the first client write.
   */
  private hasRoomFor(update: Uint8Array): boolean {
    const fits = () => this.measuredBytes + this.bytesSinceMeasured + update.byteLength <= MAX_DOC_BYTES;
    if (this.measuredBytes >= 0 && fits()) return true;
    if (this.measuredBytes >= 0 && Date.now() - this.measuredAt < FULL_DOC_MEASURE_INTERVAL_MS) return false;
    this.measuredBytes = Y.encodeStateAsUpdate(this.current).byteLength;
    this.bytesSinceMeasured = 0;
    this.measuredAt = Date.now();
    this.sizeMeasurements++;
    return fits();
  }

  private rememberDeparted(clientId: number, userId: string): void {
    this.departedPresence.delete(clientId);
    this.departedPresence.set(clientId, userId);
    if (this.departedPresence.size > MAX_DEPARTED_PRESENCE_IDS) this.departedPresence.delete(this.departedPresence.keys().next().value!);
  }

  private hold(item: Held): void {
    if (this.held.length >= MAX_HELD_MESSAGES) {
      item.conn.reject(new ProtocolViolation('too many messages while the document reloads'));
      return;
    }
    this.held.push(item);
  }

  private startReload(): void {
    if (this.reloading || this.broken) return;
    this.reloads++;
    this.reloading = this.hooks.reload().then(
      (fresh) => {
        const old = this.current;
        this.current = fresh;
        this.measuredBytes = -1;
        this.bind(fresh);
        old.destroy();
        this.reloading = null;
        this.replayHeld();
      },
      (err: unknown) => {
        this.broken = true;
        this.reloading = null;
        this.held = [];
        this.hooks.onBroken?.(err);
      },
    );
  }

  private replayHeld(): void {
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) {
      const item = held[i]!;
      if (this.reloading) {
        // Another failed apply started a new reload: keep the rest for after it.
        this.held.push(...held.slice(i));
        return;
      }
      if ('join' in item) {
        this.addConnection(item.conn);
        continue;
      }
      if ('remoteUpdate' in item) {
        try {
          this.applyRemoteUpdate(item.remoteUpdate);
        } catch {
          // Not applicable here either: the reload it starts brings the stored state.
        }
        continue;
      }
      if (!this.connections.has(item.conn)) continue;
      try {
        this.handleMessage(item.conn, item.message);
      } catch (err) {
        item.conn.reject(err as Error);
      }
    }
  }

  /**
   * Applies a client's awareness update (parsed and checked in full first) unless it touches a
   * client id owned by another connection (or the server's own): then the whole message is
   * dropped, so nobody can overwrite or remove someone else's presence. The first connection to
   * use an id owns it until it leaves; one connection may own only a few ids.
   *
   * Only entries newer than what the document knows count: a stock y-websocket client sends back
   * every presence change it receives, others' included. Those echoes change nothing, so they
   * must not claim anything either: an echoed removal of someone who left would otherwise make
   * the echoing client the owner of that person's id (refusing them when they come back, and
   * after four departures closing the echoing client for presenting too many ids).
   */
  private applyAwareness(conn: DocConnection, update: Uint8Array): void {
    const owned = this.connections.get(conn);
    if (!owned) return;
    const entries = parseAwarenessUpdate(update).filter((entry) => this.isNewerPresence(entry));
    if (entries.length === 0) return;
    // Echoes of others' presence are gone; what is left is this connection's own, a few ids at most.
    if (entries.length > MAX_AWARENESS_IDS_PER_CONNECTION) throw new AwarenessViolation(`awareness update for ${entries.length} clients`);
    if (!entries.every((e) => presenceNamesOwner(e.state, conn))) return;
    const ids = entries.map((e) => e.clientId);
    for (const id of ids) {
      if (id === this.awareness.clientID) return;
      const owner = this.awarenessOwners.get(id);
      if (owner !== undefined && owner !== conn && !sameUser(owner, conn)) return;
      const departed = this.departedPresence.get(id);
      if (owner === undefined && departed !== undefined && departed !== conn.owner?.userId) return;
    }
    const newIds = new Set(ids.filter((id) => !owned.has(id)));
    if (owned.size + newIds.size > MAX_AWARENESS_IDS_PER_CONNECTION) {
      throw new AwarenessViolation(`a connection may present at most ${MAX_AWARENESS_IDS_PER_CONNECTION} awareness ids`);
    }
    // A reconnect of the same person (old socket not yet noticed as dead) takes the ids over.
    for (const id of ids) {
      const previous = this.awarenessOwners.get(id);
      if (previous !== undefined && previous !== conn) this.connections.get(previous)?.delete(id);
      this.awarenessOwners.set(id, conn);
      this.departedPresence.delete(id);
      owned.add(id);
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
  }

  /** Whether y-protocols would apply this entry: a later clock, or a removal at the same one. */
  private isNewerPresence({ clientId, clock, state }: { clientId: number; clock: number; state: unknown }): boolean {
    // Removing what is not there changes nothing (an echo, its clock possibly forgotten).
    if (state === null && !this.awareness.getStates().has(clientId)) return false;
    const known = this.awareness.meta.get(clientId)?.clock ?? 0;
    return known < clock || (known === clock && state === null && this.awareness.getStates().has(clientId));
  }

  /**
   * Presence goes out like updates: the first change of a turn at once, the ids changed after it in
   * the same turn as one message per connection at the turn's end (their latest states). A room
   * of 40 moving their cursors, or a client flooding presence, then costs each listener at most
   * two frames per turn instead of one per message read.
   */
  private awarenessScheduled = false;
  /** Ids changed in this turn after its first change: to everyone, and (local ones) to other nodes. */
  private readonly awarenessChanged = new Set<number>();
  private readonly awarenessChangedHere = new Set<number>();

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    if (origin === FROM_OTHER_NODE) {
      for (const id of removed) if (this.awarenessOwners.get(id) instanceof RemoteOwner) this.awarenessOwners.delete(id);
    }
    const local = origin !== FROM_OTHER_NODE;
    if (this.awarenessScheduled) {
      for (const id of changed) this.awarenessChanged.add(id);
      if (local) for (const id of changed) this.awarenessChangedHere.add(id);
      return;
    }
    this.awarenessScheduled = true;
    setImmediate(this.sendHeldAwareness);
    this.sendAwareness(changed, local ? changed : []);
  };

  private readonly sendHeldAwareness = (): void => {
    this.awarenessScheduled = false;
    const changed = [...this.awarenessChanged];
    const changedHere = [...this.awarenessChangedHere];
    this.awarenessChanged.clear();
    this.awarenessChangedHere.clear();
    if (this.destroyed || changed.length === 0) return;
    this.sendAwareness(changed, changedHere);
  };

  /** The ids' current states (a removed id as its removal) to every connection, and the local ones to other nodes. */
  private sendAwareness(changed: number[], changedHere: number[]): void {
    if (this.connections.size > 0) {
      const message = encodeAwareness(this.awareness, changed);
      const frame = frameForMany(message, this.connections.size);
      for (const conn of this.connections.keys()) conn.send(message, frame);
    }
    if (changedHere.length > 0 && this.hooks.onLocalAwareness) {
      this.hooks.onLocalAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changedHere), changedHere.map((id) => this.ownerOf(id)));
    }
  }
}
