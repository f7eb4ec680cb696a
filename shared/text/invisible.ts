// Characters a person cannot see. Typed into a name they make a second name that looks like the
// first ('Acme' and 'Acme' + a zero-width space), and the bidirectional controls reorder what is
// shown ('\u202EemcA' is displayed as 'Acme'). Company names lose the invisible ones when
// normalised (company-name.ts); every one-line name refuses the bidi controls and a name of
// nothing but invisible characters (server/text-rules.ts).

/**
 * Default-ignorable code points (zero-width space and joiners, soft hyphen, word joiner, variation
 * selectors, Hangul fillers, tag characters…) and format characters (Cf: BOM, LRM, bidi
 * embeddings and isolates…): rendered as nothing, or as nothing a reader can tell apart.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
const INVISIBLE_ALL = /[\p{Default_Ignorable_Code_Point}\p{Cf}]+/gu;

/**
 * The bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069) and the marks (LRM U+200E, RLM U+200F, ALM U+061C).
 */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** `text` without its invisible characters. */
export function withoutInvisible(text: string): string {
  return INVISIBLE.test(text) ? text.replace(INVISIBLE_ALL, '') : text;
}

/** Whether `text` holds something besides spaces, but nothing visible: only invisible characters (and spaces). */
export function onlyInvisible(text: string): boolean {
  return /\S/.test(text) && INVISIBLE.test(text) && !/\S/.test(withoutInvisible(text));
}
