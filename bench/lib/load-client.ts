// One Yjs client for load, speaking the y-websocket protocol (the reference server, Kizuki) or
// Hocuspocus's (every message prefixed with the document's name, a token message first). A
// receiver has no Y.Doc: it answers the handshake and reports each update's bytes with its arrival
// time, so hundreds of them cost the load process little. A probe has a Y.Doc: it applies what it
// receives and sends its own edits.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

export type Protocol = 'y-websocket' | 'hocuspocus';

const MESSAGE_SYNC = 0;
/** Hocuspocus's message types (its MessageType / AuthMessageType). */
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;
const HOCUSPOCUS_AUTHENTICATED = 2;

export interface LoadClientOptions {
  url: string;
  docName: string;
  protocol: Protocol;
  headers?: Record<string, string>;
  /** A probe's document; absent for a receiver. */
  doc?: Y.Doc;
  /** Every update received (not the handshake's), with its arrival time. */
  onUpdate?: (update: Uint8Array, arrivedAt: number) => void;
  now: () => number;
}

export interface LoadClient {
  synced: Promise<void>;
  close(): void;
}

const REMOTE = Symbol('remote');

export function loadClient(options: LoadClientOptions): LoadClient {
  const { protocol, docName, doc } = options;
  const socket = new WebSocket(options.url, { headers: options.headers, perMessageDeflate: false });
  socket.binaryType = 'nodebuffer';
  const frame = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    if (protocol === 'hocuspocus') encoding.writeVarString(encoder, docName);
    write(encoder);
    return encoding.toUint8Array(encoder);
  };
  const sendSync = (write: (encoder: encoding.Encoder) => void) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(frame((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), write(e))));
  };
  const stateDoc = doc ?? new Y.Doc();
  const startSync = () => sendSync((e) => syncProtocol.writeSyncStep1(e, stateDoc));

  let markSynced!: () => void;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const onLocalUpdate = (update: Uint8Array, origin: unknown) => origin !== REMOTE && sendSync((e) => syncProtocol.writeUpdate(e, update));
  doc?.on('update', onLocalUpdate);

  socket.on('open', () => {
    if (protocol === 'y-websocket') return startSync();
    socket.send(frame((e) => (encoding.writeVarUint(e, HOCUSPOCUS_AUTH), encoding.writeVarUint(e, HOCUSPOCUS_AUTH_TOKEN), encoding.writeVarString(e, 'bench'))));
  });
  socket.on('message', (data: Buffer) => {
    const arrivedAt = options.now();
    const decoder = decoding.createDecoder(data);
    if (protocol === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (protocol === 'hocuspocus' && type === HOCUSPOCUS_AUTH) {
      if (decoding.readVarUint(decoder) === HOCUSPOCUS_AUTHENTICATED) startSync();
      return;
    }
    if (type !== MESSAGE_SYNC) return;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      decoding.readVarUint8Array(decoder);
      sendSync((e) => syncProtocol.writeSyncStep2(e, stateDoc));
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    if (doc) Y.applyUpdate(doc, update, REMOTE);
    if (syncType === syncProtocol.messageYjsSyncStep2) markSynced();
    else if (syncType === syncProtocol.messageYjsUpdate) options.onUpdate?.(update, arrivedAt);
  });
  socket.on('error', () => {});
  return {
    synced,
    close() {
      doc?.off('update', onLocalUpdate);
      socket.terminate();
    },
  };
}
