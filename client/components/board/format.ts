import type { TargetFigure } from '../../../shared/jcrm/elements.ts';

/** "≥ 20%" / "≥ 30年" style target text. */
export function formatTarget(target: TargetFigure, locale: 'ja' | 'en' = 'ja'): string {
  const unit = target.unit === '%' ? '%' : locale === 'ja' ? '年' : ' years';
  return `≥ ${target.atLeast}${unit}`;
}

export function formatTime(epochMs: number, locale: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(epochMs));
}
