// Names and titles have a length limit (shared/schemas/api.ts TEXT_LIMITS). The forms show it and
// refuse longer text with a message, instead of an input maxlength that silently cuts pasted text
// (and counts a character such as 𠮷 as two, where the server counts one).

/** Characters as the server's schemas count them: code points of the trimmed text. */
export function textLength(text: string): number {
  return [...text.trim()].length;
}

/** How many characters over the limit (0 when within it). */
export function overLimit(text: string, max: number): number {
  return Math.max(0, textLength(text) - max);
}
