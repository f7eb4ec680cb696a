// The frames Kizuki nodes exchange over Redis pub/sub about live Yjs documents. Binary (lib0
// encoding, as y-websocket's own messages): a document channel carries updates, presence and the
// catch-up handshake of a node that loads the document; the nodes channel carries "saved up to".
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { PresenceOwner } from '../sync/synced-doc.ts';

export const RelayType = {
  /** A change made on `from`, stored there as its update number `seq`. */
  Update: 0,
  /** Presence changed by `from`'s connections, with the user behind each id. */
  Awareness: 1,
  /** `from` loaded (or lost track of) the document: everyone holding it answers with what `from` lacks. */
  SyncRequest: 2,
  /**
   * The answer to one SyncRequest: the update `to` lacks, everyone's presence, and the answerer's
   * own state vector (so that after a Redis restart `to` can send back what the answerer lacks),
   * and `unsavedThrough`: the answerer's last update number when it answered. The update may carry
   * edits the answerer has not saved yet, so `to` keeps it as a copy until the answerer says it
   * has saved that far (0: keep nothing; nodes before this field send none).
   */
  SyncReply: 3,
  /** Every update `from` numbered up to `savedThrough` is in the database. */
  Saved: 4,
} as const;
type RelayTypes = typeof RelayType;


export type RelayMessage =
  | { type: RelayTypes['Update']; from: string; seq: number; update: Uint8Array }
  | { type: RelayTypes['Awareness']; from: string; update: Uint8Array; owners: PresenceOwner[] }
  | { type: RelayTypes['SyncRequest']; from: string; requestId: number; stateVector: Uint8Array }
  | { type: RelayTypes['SyncReply']; from: string; to: string; requestId: number; update: Uint8Array; awareness: Uint8Array | null; owners: PresenceOwner[]; stateVector: Uint8Array; unsavedThrough: number }
  | { type: RelayTypes['Saved']; from: string; savedThrough: number };

export function encodeRelay(message: RelayMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, message.type);
  encoding.writeVarString(encoder, message.from);
  switch (message.type) {
    case RelayType.Update:
      encoding.writeVarUint(encoder, message.seq);
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case RelayType.Awareness:
      encoding.writeVarUint8Array(encoder, message.update);
      writeOwners(encoder, message.owners);
      break;
    case RelayType.SyncRequest:
      encoding.writeVarUint(encoder, message.requestId);
      encoding.writeVarUint8Array(encoder, message.stateVector);
      break;
    case RelayType.SyncReply:
      encoding.writeVarString(encoder, message.to);
      encoding.writeVarUint(encoder, message.requestId);
      encoding.writeVarUint8Array(encoder, message.update);
      encoding.writeVarUint8Array(encoder, message.awareness ?? new Uint8Array(0));
      writeOwners(encoder, message.owners);
      encoding.writeVarUint8Array(encoder, message.stateVector);
      encoding.writeVarUint(encoder, message.unsavedThrough);
      break;
    case RelayType.Saved:
      encoding.writeVarUint(encoder, message.savedThrough);
      break;
  }
  return encoding.toUint8Array(encoder);
}

export class MalformedRelayMessage extends Error {}

/** count, then per owner: client id, user id ('' = unknown), node ('' = the sender). */
function writeOwners(encoder: encoding.Encoder, owners: PresenceOwner[]): void {
  encoding.writeVarUint(encoder, owners.length);
  for (const { clientId, userId, node } of owners) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarString(encoder, userId ?? '');
    encoding.writeVarString(encoder, node ?? '');
  }
}

function readOwners(decoder: decoding.Decoder): PresenceOwner[] {
  const count = decoding.readVarUint(decoder);
  const owners: PresenceOwner[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const userId = decoding.readVarString(decoder);
    const node = decoding.readVarString(decoder);
    owners.push({ clientId, ...(userId ? { userId } : {}), ...(node ? { node } : {}) });
  }
  return owners;
}

/** Throws MalformedRelayMessage for anything that is not one whole frame. */
export function decodeRelay(data: Uint8Array): RelayMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    const from = decoding.readVarString(decoder);
    let message: RelayMessage;
    switch (type) {
      case RelayType.Update:
        message = { type, from, seq: decoding.readVarUint(decoder), update: decoding.readVarUint8Array(decoder) };
        break;
      case RelayType.Awareness:
        message = { type, from, update: decoding.readVarUint8Array(decoder), owners: readOwners(decoder) };
        break;
      case RelayType.SyncRequest:
        message = { type, from, requestId: decoding.readVarUint(decoder), stateVector: decoding.readVarUint8Array(decoder) };
        break;
      case RelayType.SyncReply: {
        const to = decoding.readVarString(decoder);
        const requestId = decoding.readVarUint(decoder);
        const update = decoding.readVarUint8Array(decoder);
        const awareness = decoding.readVarUint8Array(decoder);
        const owners = readOwners(decoder);
        const stateVector = decoding.readVarUint8Array(decoder);
        const unsavedThrough = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : 0;
        message = { type, from, to, requestId, update, awareness: awareness.length > 0 ? awareness : null, owners, stateVector, unsavedThrough };
        break;
      }
      case RelayType.Saved:
        message = { type, from, savedThrough: decoding.readVarUint(decoder) };
        break;
      default:
        throw new MalformedRelayMessage(`unknown relay message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new MalformedRelayMessage('trailing bytes after a relay message');
    return message;
  } catch (err) {
    if (err instanceof MalformedRelayMessage) throw err;
    throw new MalformedRelayMessage(`relay message cut short: ${(err as Error).message}`);
  }
}
