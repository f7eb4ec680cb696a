// The UI language: Japanese by default, English on request, remembered in localStorage.
import { ja, type MessageKey } from './ja.ts';
import { en } from './en.ts';

export type Locale = 'ja' | 'en';
const STORAGE_KEY = 'kizuki.locale';

class I18n {
  locale = $state<Locale>(readStoredLocale());

  /** A UI string, with {name} placeholders filled from params. */
  t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const template = (this.locale === 'en' ? en : ja)[key];
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };

  /** Picks the current language from a { ja, en } pair (element names, meanings…). */
  pick = (text: { ja: string; en: string }): string => text[this.locale];

  toggle(): void {
    this.locale = this.locale === 'ja' ? 'en' : 'ja';
    try {
      localStorage.setItem(STORAGE_KEY, this.locale);
    } catch {
      // private mode: the choice just isn't remembered
    }
    document.documentElement.lang = this.locale;
  }
}

function readStoredLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

export const i18n = new I18n();
export const t = i18n.t;

/** The word for an event of this format, for strings with {kind}: 勉強会 or 交流会. */
export function kindWord(kind: 'study' | 'meetup' | undefined): string {
  return t(kind === 'meetup' ? 'kindWordMeetup' : 'kindWordStudy');
}

/**
 * Names listed in running text: 「顧客、商品・サービス、PR」 (「・」 would split 商品・サービス in
 * two), "Customers, Products & services, PR" in English.
 */
export function listNames(names: readonly string[]): string {
  return names.join(i18n.locale === 'en' ? ', ' : '、');
}
