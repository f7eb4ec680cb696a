// Server messages over the control socket are "日本語 / English": show the current language's half.
import { i18n } from './i18n/i18n.svelte.ts';

export function inLanguage(message: string): string {
  const parts = message.split(' / ');
  if (parts.length < 2) return message;
  return i18n.locale === 'en' ? parts.slice(1).join(' / ') : parts[0]!;
}
