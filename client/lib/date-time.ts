// A moment (when someone joined) in the UI language, without runes so it is unit-tested.
// English names the month: "12/04" reads as 12 April in Britain and as December 4 in the US.
// Japanese keeps its month/day order, which nobody reads the other way.
export type DateLocale = 'ja' | 'en';

/** The Intl locale for the UI language: British English writes day before month, 24-hour. */
export const intlLocale = (locale: DateLocale): string => (locale === 'en' ? 'en-GB' : 'ja-JP');

/**
 * Today: just the time ("14:05"). This year: "12/4 14:05" / "4 Dec, 14:05". An earlier year also
 * gives the year ("2025/12/4 14:05" / "4 Dec 2025, 14:05"), or last December reads as this one.
 */
export function dateTimeText(at: Date, locale: DateLocale, now: Date = new Date()): string {
  const sameDay = at.toDateString() === now.toDateString();
  const sameYear = at.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(intlLocale(locale), {
    ...(sameDay ? {} : { month: locale === 'en' ? 'short' : 'numeric', day: 'numeric' }),
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}
