// Parses a client's awareness update completely before anything is applied, so a bad entry
// half-way cannot leave the first entries applied, and enforces the presence limits.
import * as decoding from 'lib0/decoding';

/** A browser tab has one awareness id per document; a few more cover reloads and reconnects. */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;
/** One presence record (name, colour, selected element): a few hundred bytes in practice. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;
/**
 * The whole message. A connection presents a handful of states, but a stock y-websocket client
 * sends back every presence change it receives: joining a document where 30 people are present,
 * it echoes all 30 states at once. Those echoes are parsed and then ignored (only entries newer
 * than the document's count, at most MAX_AWARENESS_IDS_PER_CONNECTION of them: synced-doc.ts), so
 * a message may carry as many entries as a busy document holds. Its bytes still count against
 * the sender's write budget.
 */
export const MAX_AWARENESS_UPDATE_BYTES = 1024 * 1024;
/** Entries in one message (a 500-person room's presence echoed back, with room to spare). */
export const MAX_AWARENESS_ENTRIES_PER_UPDATE = 2048;

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
    if (count > MAX_AWARENESS_ENTRIES_PER_UPDATE) throw new AwarenessViolation(`awareness update for ${count} clients`);
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
