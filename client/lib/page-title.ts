// The browser tab's title for a page: what the page is about first, then the app, so a
// facilitator with the event page, the console and a board open tells the tabs apart (and a
// screen reader announces which page it is).
const APP = 'Kizuki';

export function titleFor(...parts: (string | null | undefined)[]): string {
  const named = parts.map((part) => part?.trim()).filter((part): part is string => !!part);
  return [...named, APP].join(' — ');
}
