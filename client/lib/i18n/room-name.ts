// A room's name as the UI shows it. The server names the rooms it makes itself in Japanese
// ("ルーム 1" with every new event, "ルーム N" for the rooms an automatic split adds) and stores
// that name; in the English UI such a name is shown as "Room N". A name anyone typed (a rename,
// a room added with its own name) is shown as typed, in either language.
// Plain TypeScript (no runes): pass the locale, e.g. roomLabel(room.name, i18n.locale) in markup,
// which re-renders when the language changes.
import { en } from './en.ts';
import { ja } from './ja.ts';

type Locale = 'ja' | 'en';

/** Exactly the server's default pattern: "ルーム" + one ASCII space + a number. */
const SERVER_DEFAULT = /^ルーム ([1-9][0-9]*)$/;

export function roomLabel(name: string, locale: Locale): string {
  const match = SERVER_DEFAULT.exec(name);
  if (!match) return name;
  return (locale === 'en' ? en : ja).newRoomName.replace('{n}', match[1]!);
}
