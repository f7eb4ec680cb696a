// Text fields of requests (HTTP bodies and socket.io payloads). A name or title is one line: its
// schema says so with the `singleLine` keyword, which the server's text rules read
// (server/text-rules.ts) and refuse line breaks for, at both edges. Multi-line texts (notes,
// messages, question texts) are plain strings.
import { Type, type TString } from 'typebox';

/** The schema keyword marking one-line text. Ajv must be told about it (it is no JSON Schema keyword). */
export const SINGLE_LINE_KEYWORD = 'singleLine';

/** One-line text of at most `maxLength` characters, possibly empty. */
export function OneLineText(maxLength: number): TString {
  return Type.String({ maxLength, [SINGLE_LINE_KEYWORD]: true });
}

/** A non-blank (something besides spaces), bounded one-line name or title. */
export function OneLineName(maxLength: number): TString {
  return Type.String({ minLength: 1, maxLength, pattern: '\\S', [SINGLE_LINE_KEYWORD]: true });
}
