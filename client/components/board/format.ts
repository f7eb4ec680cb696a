export { formatTarget, formatUnit } from '../../../shared/jcrm/elements.ts';
import type { TargetFigure } from '../../../shared/jcrm/elements.ts';
import { intlLocale } from '../../lib/date-time.ts';

/**
 * The figures a company's actual may take: every % of the 目標イメージ is a share (紹介率,
 * 認知度, 残存率, 理念共感度, 顧客コミュニケーション), so 0–100; years (事業継続) 0–1000.
 */
export function actualRange(target: TargetFigure): { min: number; max: number } {
  return target.unit === '%' ? { min: 0, max: 100 } : { min: 0, max: 1000 };
}

/** A card's time: "12/3 22:16" / "3 Dec, 22:16" (a month name in English: "03/12" read as 12 March too). */
export function formatTime(epochMs: number, locale: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    month: locale === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(epochMs));
}
