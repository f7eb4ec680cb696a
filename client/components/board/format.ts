export { formatTarget, formatUnit } from '../../../shared/jcrm/elements.ts';
import { intlLocale } from '../../lib/date-time.ts';

/** A card's time: "12/3 22:16" / "3 Dec, 22:16" (a month name in English: "03/12" read as 12 March too). */
export function formatTime(epochMs: number, locale: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    month: locale === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(epochMs));
}
