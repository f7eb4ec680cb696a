// Names and titles are one line (the text rules refuse a line break: shown in one line, a break
// would hide the rest). Text stored before that rule may hold one: it is read as one line, so that
// a form sending it back unchanged is not refused.

/** What ends a line: CR, LF, NEL and the Unicode line and paragraph separators. */
export const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

/** Every run of line breaks, and the spaces around it, becomes one space. */
export function asOneLine(text: string): string {
  return LINE_BREAK.test(text) ? text.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ') : text;
}
