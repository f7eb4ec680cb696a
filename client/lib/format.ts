// Small display helpers shared by the pages: dates in the UI language, server errors as text.
import { ApiError } from './api/http.ts';
import { i18n, t } from './i18n/i18n.svelte.ts';
import type { MessageKey } from './i18n/ja.ts';
import { textLength } from './text-limit.ts';
import { inLanguage } from './bilingual.ts';
import { errorMessage } from './error-message.ts';
import { dateTimeText, intlLocale } from './date-time.ts';

/** "2025-11-23" → "2025年11月23日(日)" / "Sun, 23 Nov 2025", read as a local calendar date. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(intlLocale(i18n.locale), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(d);
}

/** An ISO time (when someone joined) in the UI language: "14:05" today, "12/4 14:05" / "4 Dec, 14:05" otherwise. */
export function formatDateTime(iso: string): string {
  return dateTimeText(new Date(iso), i18n.locale);
}

/** Today as YYYY-MM-DD in the browser's time zone (for <input type="date">). */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The message to show for a failed request, in the UI language. Server messages are
 * "日本語 / English"; timeouts, network failures and anything unexpected get one of ours
 * (error-message.ts) that says what to do.
 */
export function errorText(err: unknown): string {
  return inLanguage(errorMessage(err));
}

/** "名前は60文字以内で入力してください（いま61文字）" for a name or title over its limit; '' within it. */
export function tooLongText(value: string, max: number, field: MessageKey): string {
  const count = textLength(value);
  return count > max ? t('textTooLong', { field: t(field), max, count }) : '';
}

export function isStatus(err: unknown, ...statuses: number[]): boolean {
  return err instanceof ApiError && statuses.includes(err.status);
}
