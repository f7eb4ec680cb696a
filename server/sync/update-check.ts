// Checks a Yjs update in full before it may touch a live document. Y.applyUpdate integrates
// structs one by one, so an update that fails half-way would leave the first half in the
// document (and in every client and row that hears of it): decode everything first.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';

export class InvalidUpdate extends Error {}

/**
 * Shared types (Y.Map, Y.Array, Y.Text) one update may create. A worksheet holds a few hundred
 * (its rows and cards); 4 MiB of empty maps are ~600,000 types, 1.8 s and 260 MB to load.
 */
export const MAX_TYPES_PER_UPDATE = 10_000;
/**
 * Root types (named top-level maps, arrays, texts) a document may have. A worksheet has ~34
 * (philosophy, cards, figures, and per element its doing / not-yet lists and memo). Each root is
 * looked up by walking all of them when the document is encoded: 100,000 roots from one 1 MB
 * update froze the server for 73 s.
 */
export const MAX_ROOT_TYPES = 64;

/**
 * Throws InvalidUpdate unless the update decodes completely (every struct and the delete set)
 * and holds nothing that decodes but corrupts a document: empty structs or empty delete ranges.
 * Also refused: subdocuments, which Kizuki never uses and which cost a whole Y.Doc each on every
 * load for ~13 bytes on the wire (300,000 of them froze the server for a minute at 3.5 GB), and
 * more than MAX_TYPES_PER_UPDATE new shared types (`maxTypes`: another node's updates, already
 * checked by that node and possibly several merged, pass Infinity).
 */
export function checkUpdate(
  update: Uint8Array,
  { maxTypes = MAX_TYPES_PER_UPDATE }: { maxTypes?: number } = {},
): { rootNames: Set<string>; deleteSet: ReturnType<typeof Y.decodeUpdate>['ds'] } {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  let rootNames: Set<string>;
  try {
    // Before Y.decodeUpdate, which builds a Y.Doc for every subdocument it reads (200,000 of
    // them: 8 s and 440 MB just to decode).
    rootNames = scanContent(update, maxTypes);
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    if (err instanceof InvalidUpdate) throw err;
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
  return { rootNames, deleteSet: decoded.ds };
}

/**
 * Delete ranges one update may add to what a document has deleted. Each may split an item in two
 * (text typed in one go is one item): a 1 MB delete set of 250,000 one-character ranges over a
 * 500,000-character text took 5.4 s to apply (the whole node stalled) and made the document
 * 6.2 MB encoded, past MAX_DOC_BYTES, which counted only the update's own 1 MB. A person deleting
 * even scattered text deletes a few hundred runs at once; ranges the document has deleted already
 * (a client's sync step 2 echoes the whole delete set it knows) are not counted.
 */
export const MAX_NEW_DELETIONS_PER_UPDATE = 10_000;
/**
 * What one new delete range costs, besides the update's bytes, in the sender's write budget and in
 * the document's size count: two items where there was one (~24 bytes more encoded), and ~13 µs
 * to apply, so deletions are paced like the bytes they cost.
 */
export const NEW_DELETION_COST_BYTES = 64;

/**
 * How many of the delete set's ranges delete something `doc` still has (counting stops past
 * `limit`). Ranges past what the document has of a client are left out: they build on changes it
 * does not have, which applying refuses anyway.
 */
export function countNewDeletions(doc: Y.Doc, deleteSet: ReturnType<typeof Y.decodeUpdate>['ds'], limit = Infinity): number {
  let count = 0;
  for (const [client, ranges] of deleteSet.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs || structs.length === 0) continue;
    const last = structs[structs.length - 1]!;
    const end = last.id.clock + last.length;
    for (const range of ranges) {
      if (range.clock >= end) continue;
      const struct = structs[Y.findIndexSS(structs, range.clock)]!;
      if (struct.deleted && struct.id.clock + struct.length >= Math.min(range.clock + range.len, end)) continue;
      if (++count > limit) return count;
    }
  }
  return count;
}

/** Content kinds of an item (its info byte's low 5 bits), as Yjs numbers them (Item.js contentRefs). */
const enum Content {
  Deleted = 1,
  Json = 2,
  Binary = 3,
  String = 4,
  Embed = 5,
  Format = 6,
  Type = 7,
  Any = 8,
  Doc = 9,
}
const GC = 0;
const SKIP = 10;
/** Type refs of XmlElement and XmlHook, which carry a name after the ref (Yjs typeRefs). */
const NAMED_TYPE_REFS = new Set([3, 5]);

/** Moves past a length-prefixed string without decoding it. */
function skipString(decoder: decoding.Decoder): void {
  const length = decoding.readVarUint(decoder);
  if (decoder.pos + length > decoder.arr.length) throw new Error('string past the end of the update');
  decoder.pos += length;
}

/** Moves past a struct id (client, clock). */
function skipId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
}

/**
 * Walks an update's structs (Yjs's v1 encoding, as readClientsStructRefs reads it) without
 * building them, refusing subdocuments, counting new shared types and collecting the root types
 * it names (at most MAX_ROOT_TYPES). The delete set after the structs is left to Y.decodeUpdate.
 */
function scanContent(update: Uint8Array, maxTypes: number): Set<string> {
  const decoder = decoding.createDecoder(update);
  let types = 0;
  const rootNames = new Set<string>();
  const clients = decoding.readVarUint(decoder);
  for (let i = 0; i < clients; i++) {
    const structs = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // client
    decoding.readVarUint(decoder); // clock
    for (let j = 0; j < structs; j++) {
      const info = decoding.readUint8(decoder);
      const kind = info & 0b11111;
      if (kind === GC || kind === SKIP) {
        decoding.readVarUint(decoder);
        continue;
      }
      const hasOrigin = (info & 0b10000000) !== 0;
      const hasRightOrigin = (info & 0b01000000) !== 0;
      if (hasOrigin) skipId(decoder);
      if (hasRightOrigin) skipId(decoder);
      if (!hasOrigin && !hasRightOrigin) {
        // The parent: a root type's name, or the id of the type it sits in; then the map key, if any.
        if (decoding.readVarUint(decoder) === 1) {
          rootNames.add(decoding.readVarString(decoder));
          if (rootNames.size > MAX_ROOT_TYPES) throw new InvalidUpdate(`update names more than ${MAX_ROOT_TYPES} root types`);
        } else skipId(decoder);
        if ((info & 0b00100000) !== 0) skipString(decoder);
      }
      switch (kind) {
        case Content.Deleted:
          decoding.readVarUint(decoder);
          break;
        case Content.Json: {
          const length = decoding.readVarUint(decoder);
          for (let k = 0; k < length; k++) skipString(decoder);
          break;
        }
        case Content.Binary:
        case Content.String:
        case Content.Embed:
          skipString(decoder);
          break;
        case Content.Format:
          skipString(decoder);
          skipString(decoder);
          break;
        case Content.Type:
          if (++types > maxTypes) throw new InvalidUpdate(`update creates more than ${maxTypes} shared types`);
          if (NAMED_TYPE_REFS.has(decoding.readVarUint(decoder))) skipString(decoder);
          break;
        case Content.Any: {
          const length = decoding.readVarUint(decoder);
          for (let k = 0; k < length; k++) decoding.readAny(decoder);
          break;
        }
        case Content.Doc:
          throw new InvalidUpdate('update holds a subdocument');
        default:
          throw new InvalidUpdate(`update holds an unknown content kind ${kind}`);
      }
    }
  }
  return rootNames;
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
