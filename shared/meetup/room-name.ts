// The names the server gives the rooms it makes itself: 「ルーム 1」 with every new session,
// 「ルーム N」 for the rooms an automatic split adds. They are stored in Japanese and shown as
// "Room N" in English (the web app and English downloads); a name someone typed stays as typed.

/** Exactly the server's default pattern: "ルーム" + one ASCII space + a number. */
const SERVER_DEFAULT = /^ルーム ([1-9][0-9]*)$/;

/** The server's own name for its n-th room (「ルーム 1」 for every new session). */
export const defaultRoomName = (n: number) => `ルーム ${n}`;

/** The number in a server-made room name, or null for a name someone typed. */
export function defaultRoomNumber(name: string): string | null {
  return SERVER_DEFAULT.exec(name)?.[1] ?? null;
}

/** The order rooms are listed in everywhere (console, room chooser, menus): by name, numbers as numbers. */
export function inRoomOrder<T extends { name: string }>(rooms: readonly T[]): T[] {
  return [...rooms].sort((a, b) => a.name.localeCompare(b.name, 'ja', { numeric: true }));
}

/**
 * Where a company that joins after the rooms were set up sits: the room with the fewest companies,
 * the first in room order among equals. (The first room always, as before, gave it five companies
 * while the others had three after a split.)
 */
export function roomForNewCompany<T extends { id: string; name: string; seated: number }>(rooms: readonly T[]): string | null {
  let best: T | null = null;
  for (const room of inRoomOrder(rooms)) if (best === null || room.seated < best.seated) best = room;
  return best?.id ?? null;
}
