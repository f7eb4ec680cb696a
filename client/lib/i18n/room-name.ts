// A room's name as the UI shows it: the rooms the server names itself (shared/meetup/room-name.ts)
// read "Room N" in the English UI; a name anyone typed (a rename, a room added with its own name)
// is shown as typed, in either language.
// Plain TypeScript (no runes): pass the locale, e.g. roomLabel(room.name, i18n.locale) in markup,
// which re-renders when the language changes.
import { defaultRoomNumber } from '../../../shared/meetup/room-name.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

type Locale = 'ja' | 'en';

export function roomLabel(name: string, locale: Locale): string {
  const n = defaultRoomNumber(name);
  return n === null ? name : (locale === 'en' ? en : ja).newRoomName.replace('{n}', n);
}
