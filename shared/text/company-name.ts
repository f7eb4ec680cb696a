// Company names as people type them: "ＡＢＣ商事", "ABC商事 " and "abc  商事" are one company.
// The server stores names in one form (so a second spelling finds the first company); the join
// page points a person creating a company at the one already taking part under that name.
// Invisible characters (zero-width spaces and joiners, soft hyphens, BOMs, variation selectors,
// Hangul fillers, bidi marks…; see invisible.ts) are no part of the form: 'Acme' with one is
// 'Acme'. Look-alike letters (Cyrillic 'А' for Latin 'A', UTS #39 confusables) are not folded.
import { withoutInvisible } from './invisible.ts';

/**
 * How a company name is stored: without invisible characters, NFKC (full-width letters and
 * digits → half-width, half-width kana → full-width), trimmed, runs of spaces as one. Empty when
 * nothing visible was typed.
 */
export function companyNameForm(name: string): string {
  // Stripped before NFKC (a joiner between a letter and its accent would keep them apart) and
  // after (NFKC writes the Hangul filler U+3164 as U+1160, just as invisible).
  return withoutInvisible(withoutInvisible(name).normalize('NFKC')).trim().replace(/\s+/g, ' ');
}

/** The form all spellings of one name share: the stored form in lower case. */
export function companyNameKey(name: string): string {
  return companyNameForm(name).toLowerCase();
}

/**
 * The form all spellings of a person's display name share, for telling whether a company already
 * has someone of that name ("田中　一郎" and "田中 一郎" are one name): as companyNameKey.
 */
export function personNameKey(name: string): string {
  return companyNameKey(name);
}

/** The company whose name is `typed` but for width, case, spaces and invisible characters; null when none is (or nothing is typed). */
export function sameNamedCompany<T extends { name: string }>(typed: string, companies: readonly T[]): T | null {
  const key = companyNameKey(typed);
  if (key === '') return null;
  return companies.find((c) => companyNameKey(c.name) === key) ?? null;
}
