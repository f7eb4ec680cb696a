// The frames nodes exchange over Redis: every kind survives a round trip, and anything that is
// not one whole frame is refused with MalformedRelayMessage (never half-read).
import { describe, expect, it } from 'vitest';
import { decodeRelay, encodeRelay, MalformedRelayMessage, RelayType, type RelayMessage } from '../../../server/cluster/relay-messages.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

const samples: RelayMessage[] = [
  { type: RelayType.Update, from: 'node-a', seq: 2 ** 40, update: bytes(1, 2, 3) },
  { type: RelayType.Awareness, from: 'ノードB', update: bytes(9), owners: [{ clientId: 2 ** 31, userId: 'user-1' }, { clientId: 7 }] },
  { type: RelayType.SyncRequest, from: 'a', requestId: 7, stateVector: bytes(0) },
  { type: RelayType.SyncReply, from: 'b', to: 'a', requestId: 7, update: bytes(0, 0), awareness: bytes(5, 6), owners: [{ clientId: 1, userId: 'u', node: 'c' }], stateVector: bytes(1, 200, 1, 3), unsavedThrough: 2 ** 35 },
  { type: RelayType.SyncReply, from: 'b', to: 'a', requestId: 8, update: bytes(0, 0), awareness: null, owners: [], stateVector: bytes(0), unsavedThrough: 0 },
  { type: RelayType.Saved, from: 'a', savedThrough: 123_456 },
];

describe('relay messages', () => {
  it('round-trips every kind', () => {
    for (const message of samples) expect(decodeRelay(encodeRelay(message))).toEqual(message);
  });

  it('refuses every truncation, trailing bytes and unknown types', () => {
    for (const message of samples) {
      const encoded = encodeRelay(message);
      // A sync reply from a node before `unsavedThrough` ends after its state vector (see below).
      const legacyEnd = message.type === RelayType.SyncReply ? encodeRelay({ ...message, unsavedThrough: 0 }).length - 1 : -1;
      for (let cut = 0; cut < encoded.length; cut++) {
        if (cut === legacyEnd) continue;
        expect(() => decodeRelay(encoded.slice(0, cut)), `${message.type} cut at ${cut}`).toThrow(MalformedRelayMessage);
      }
      expect(() => decodeRelay(new Uint8Array([...encoded, 0]))).toThrow(MalformedRelayMessage);
    }
    expect(() => decodeRelay(bytes(42, 1, 97))).toThrow(/unknown relay message type 42/);
  });

  it('reads a sync reply from a node that does not send unsavedThrough as "keep no copy"', () => {
    const reply = samples[3] as Extract<RelayMessage, { type: typeof RelayType.SyncReply }>;
    const current = encodeRelay({ ...reply, unsavedThrough: 0 });
    const legacy = current.slice(0, current.length - 1); // without the trailing varuint 0
    expect(decodeRelay(legacy)).toEqual({ ...reply, unsavedThrough: 0 });
  });
});
