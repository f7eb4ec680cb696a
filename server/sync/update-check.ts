// Checks a Yjs update in full before it may touch a live document. Y.applyUpdate integrates
// structs one by one, so an update that fails half-way would leave the first half in the
// document (and in every client and row that hears of it): decode everything first.
import * as Y from 'yjs';

export class InvalidUpdate extends Error {}

/**
 * Throws InvalidUpdate unless the update decodes completely (every struct and the delete set)
 * and holds nothing that decodes but corrupts a document: empty structs or empty delete ranges.
 */
export function checkUpdate(update: Uint8Array): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    throw new InvalidUpdate(`update does not decode: ${(err as Error).message}`);
  }
  for (const struct of decoded.structs) {
    if (!(struct.length > 0)) throw new InvalidUpdate('update holds an empty struct');
    if (!Number.isSafeInteger(struct.id.clock + struct.length)) throw new InvalidUpdate('update clock out of range');
  }
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) {
      if (!(range.len > 0)) throw new InvalidUpdate('update holds an empty delete range');
      if (!Number.isSafeInteger(range.clock + range.len)) throw new InvalidUpdate('delete range out of range');
    }
  }
}

/** Whether the update passes checkUpdate (for loaders that sort rows rather than close sockets). */
export function isValidUpdate(update: Uint8Array): boolean {
  try {
    checkUpdate(update);
    return true;
  } catch {
    return false;
  }
}
