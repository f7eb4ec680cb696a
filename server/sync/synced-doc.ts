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
  send(message: Uint8Array): void;
  /** Called when a write from a read-only client is dropped. */
  notifyWriteDenied(): void;
}

/** An update carrying no structs and no deletions (what Y.encodeStateAsUpdate gives for nothing new). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

export class ProtocolViolation extends Error {}

/** Awareness states are small presence records; anything bigger is abuse. */
export const MAX_AWARENESS_UPDATE_BYTES = 64 * 1024;

export class SyncedDoc {
  readonly awareness: awarenessProtocol.Awareness;
  /** connection → the awareness client ids it controls (removed when it leaves). */
  private readonly connections = new Map<DocConnection, Set<number>>();

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
    const controlled = this.connections.get(conn);
    this.connections.delete(conn);
    if (controlled && controlled.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
    }
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
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
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
          // The handshake's sync step 2 from a client with nothing new is an empty update; only
          // real edits are worth telling the client about.
          if (!isEmptyUpdate(update)) conn.notifyWriteDenied();
          return;
        }
        Y.applyUpdate(this.doc, update, conn);
        break;
      }
      default:
        throw new ProtocolViolation(`unknown sync step ${step}`);
    }
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    const controlled = this.connections.get(origin as DocConnection);
    if (controlled) {
      for (const id of added) controlled.add(id);
      for (const id of removed) controlled.delete(id);
    }
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
