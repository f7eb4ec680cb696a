// One live document: the Y.Doc, its awareness, and the connections editing it.
// Applies incoming messages with the connection's right and fans changes out to the others.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType, SyncStep, encodeAwareness, encodeSyncStep1, encodeSyncUpdate } from './y-messages.ts';

/** What a document needs from a connection; YConnection implements it, tests may fake it. */
export interface DocConnection {
  readonly readOnly: boolean;
  /** The signed-in user behind the connection; their reconnect may take over their awareness ids. */
  readonly owner?: { userId: string };
  send(message: Uint8Array): void;
  /** Called when a write from a read-only client is dropped. */
  notifyWriteDenied(): void;
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

/** The client ids an awareness update touches (format: count, then [clientID, clock, JSON state]*). */
function awarenessClientIds(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state
  }
  return ids;
}

function sameUser(a: DocConnection, b: DocConnection): boolean {
  return a.owner !== undefined && b.owner !== undefined && a.owner.userId === b.owner.userId;
}

export class ProtocolViolation extends Error {}

/** Awareness states are small presence records; anything bigger is abuse. */
export const MAX_AWARENESS_UPDATE_BYTES = 64 * 1024;

export class SyncedDoc {
  readonly awareness: awarenessProtocol.Awareness;
  /** connection → the awareness client ids it owns (their states are removed when it leaves). */
  private readonly connections = new Map<DocConnection, Set<number>>();
  /** awareness client id → the connection that used it first; only that one may change its state. */
  private readonly awarenessOwners = new Map<number, DocConnection>();

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    onUpdate: (update: Uint8Array) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      onUpdate(update);
      const message = encodeSyncUpdate(update);
      for (const conn of this.connections.keys()) if (conn !== origin) conn.send(message);
    });
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts the sync handshake: our state vector, then everyone's presence. */
  addConnection(conn: DocConnection): void {
    this.connections.set(conn, new Set());
    conn.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) conn.send(encodeAwareness(this.awareness, states));
  }

  removeConnection(conn: DocConnection): void {
    const owned = this.connections.get(conn);
    this.connections.delete(conn);
    if (!owned || owned.size === 0) return;
    for (const id of owned) if (this.awarenessOwners.get(id) === conn) this.awarenessOwners.delete(id);
    const present = [...owned].filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, present, null);
  }

  /** Applies one message; throws ProtocolViolation (or a decoding error) on malformed input. */
  handleMessage(conn: DocConnection, message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync:
        this.handleSync(conn, decoder);
        break;
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder);
        if (update.byteLength > MAX_AWARENESS_UPDATE_BYTES) throw new ProtocolViolation('awareness update too big');
        this.applyAwareness(conn, update);
        break;
      }
      case MessageType.QueryAwareness:
        conn.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        break;
      case MessageType.Auth:
        // Only the server speaks auth messages; a client sending one is ignored.
        break;
      default:
        throw new ProtocolViolation(`unknown message type ${type}`);
    }
  }

  private handleSync(conn: DocConnection, decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    switch (step) {
      case SyncStep.Step1: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.readSyncStep1(decoder, encoder, this.doc);
        conn.send(encoding.toUint8Array(encoder));
        break;
      }
      case SyncStep.Step2:
      case SyncStep.Update: {
        const update = decoding.readVarUint8Array(decoder);
        if (conn.readOnly) {
          // The handshake's sync step 2 of a client with nothing new carries no new structs (but
          // possibly a delete set); only real edits are worth telling the client about.
          if (addsStructs(this.doc, update)) conn.notifyWriteDenied();
          return;
        }
        Y.applyUpdate(this.doc, update, conn);
        break;
      }
      default:
        throw new ProtocolViolation(`unknown sync step ${step}`);
    }
  }

  /**
   * Applies a client's awareness update unless it touches a client id owned by another connection
   * (or the server's own): then the whole message is dropped, so nobody can overwrite or remove
   * someone else's presence. The first connection to use an id owns it until it leaves.
   */
  private applyAwareness(conn: DocConnection, update: Uint8Array): void {
    const owned = this.connections.get(conn);
    if (!owned) return;
    const ids = awarenessClientIds(update);
    for (const id of ids) {
      if (id === this.awareness.clientID) return;
      const owner = this.awarenessOwners.get(id);
      if (owner !== undefined && owner !== conn && !sameUser(owner, conn)) return;
    }
    // A reconnect of the same person (old socket not yet noticed as dead) takes the ids over.
    for (const id of ids) {
      const previous = this.awarenessOwners.get(id);
      if (previous !== undefined && previous !== conn) this.connections.get(previous)?.delete(id);
    }
    // Claimed before applying: a state applied just before a bad entry makes applying throw is
    // still removed when this connection leaves.
    for (const id of ids) {
      this.awarenessOwners.set(id, conn);
      owned.add(id);
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const message = encodeAwareness(this.awareness, changed);
    for (const conn of this.connections.keys()) conn.send(message);
  };

  destroy(): void {
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
