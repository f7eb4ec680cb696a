// Parses a client's awareness update completely before anything is applied, so a bad entry
// half-way cannot leave the first entries applied, and enforces the presence limits.
import * as decoding from 'lib0/decoding';

/** A browser tab has one awareness id per document; a few more cover reloads and reconnects. */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;
/** One presence record (name, colour, selected element): a few hundred bytes in practice. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/** The whole message: a handful of states. */
export const MAX_AWARENESS_UPDATE_BYTES = MAX_AWARENESS_IDS_PER_CONNECTION * (MAX_AWARENESS_STATE_BYTES + 32);

export class AwarenessViolation extends Error {}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The parsed state; null removes the client's presence. */
  state: unknown;
}

/** Decodes `count, [clientID, clock, JSON state]*` and checks every entry; throws AwarenessViolation. */
export function parseAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  if (update.byteLength > MAX_AWARENESS_UPDATE_BYTES) throw new AwarenessViolation('awareness update too big');
  const decoder = decoding.createDecoder(update);
  let entries: AwarenessEntry[];
  try {
    const count = decoding.readVarUint(decoder);
    if (count > MAX_AWARENESS_IDS_PER_CONNECTION) throw new AwarenessViolation(`awareness update for ${count} clients`);
    entries = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (Buffer.byteLength(json) > MAX_AWARENESS_STATE_BYTES) throw new AwarenessViolation('awareness state too big');
      entries.push({ clientId, clock, state: JSON.parse(json) as unknown });
    }
  } catch (err) {
    if (err instanceof AwarenessViolation) throw err;
    throw new AwarenessViolation(`awareness update does not decode: ${(err as Error).message}`);
  }
  if (decoder.pos !== update.byteLength) throw new AwarenessViolation('trailing bytes after awareness update');
  return entries;
}
