// What someone types (or pastes) where a join code is asked for, checked before any request: an
// event's join code (10 characters) or a company's invite code (12), from the codes' alphabet, in
// any case, with spaces or hyphens, full-width — or the whole invite link, whose code is used.
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode } from './join-code.ts';
import { INVITE_CODE_LENGTH } from './invite-code.ts';

export type CodeInput =
  | { ok: true; code: string }
  | { ok: false; reason: 'empty' }
  /** Not 10 or 12 characters (length: how many there are, hyphens and spaces left out). */
  | { ok: false; reason: 'length'; length: number }
  /** Characters no code has (0, 1, O, I, L, symbols…), each once, in the order typed. */
  | { ok: false; reason: 'characters'; characters: string[] };

export function parseCodeInput(input: string): CodeInput {
  const code = normalizeJoinCode(codeOfLink(input));
  if (code === '') return { ok: false, reason: 'empty' };
  const foreign = [...new Set([...code].filter((c) => !JOIN_CODE_ALPHABET.includes(c)))];
  if (foreign.length > 0) return { ok: false, reason: 'characters', characters: foreign };
  const length = [...code].length;
  if (length !== JOIN_CODE_LENGTH && length !== INVITE_CODE_LENGTH) return { ok: false, reason: 'length', length };
  return { ok: true, code };
}

/** ".../join/ABCDE-FGH23?x" → "ABCDE-FGH23"; anything else as it is. */
function codeOfLink(input: string): string {
  const m = /\/join\/([^/?#\s]+)/.exec(input);
  if (!m) return input;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}
