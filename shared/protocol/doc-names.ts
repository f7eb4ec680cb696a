// Yjs document names: one worksheet per company in an event, one board per breakout room.
// Clients connect to /yjs/<docName>.

export const YJS_PATH_PREFIX = '/yjs/';

export type DocRef = { kind: 'sheet'; eventCompanyId: string } | { kind: 'room'; roomId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function sheetDocName(eventCompanyId: string): string {
  return `sheet:${eventCompanyId}`;
}

export function roomDocName(roomId: string): string {
  return `room:${roomId}`;
}

/** Parses a document name; null for anything that is not exactly sheet:<uuid> or room:<uuid>. */
export function parseDocName(name: string): DocRef | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!UUID.test(id)) return null;
  if (kind === 'sheet') return { kind, eventCompanyId: id };
  if (kind === 'room') return { kind, roomId: id };
  return null;
}
