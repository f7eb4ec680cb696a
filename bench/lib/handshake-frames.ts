// The y-websocket handshake for an empty document, as ready-made frames: sync step 1 (an empty
// state vector) and sync step 2 (an empty update). Light load clients and the floor server send
// them without a Y.Doc of their own.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

export const MESSAGE_SYNC = 0;
const empty = new Y.Doc();
const frame = (write: (encoder: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return Buffer.from(encoding.toUint8Array(encoder));
};
export const EMPTY_STEP1 = frame((e) => syncProtocol.writeSyncStep1(e, empty));
export const EMPTY_STEP2 = frame((e) => syncProtocol.writeSyncStep2(e, empty));
