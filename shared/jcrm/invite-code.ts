// Per-company invite codes: 12 characters from the join-code alphabet, shown as XXXX-XXXX-XXXX.
// Longer than an event's join code (10), so one input (link or typed code) tells them apart.
import { JOIN_CODE_ALPHABET } from './join-code.ts';

export const INVITE_CODE_LENGTH = 12;

export function formatInviteCode(code: string): string {
  return code.length === INVITE_CODE_LENGTH ? `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` : code;
}

/** randomValues must fill the array with uniform random bytes (crypto.getRandomValues). */
export function generateInviteCode(randomValues: (bytes: Uint8Array) => Uint8Array): string {
  let code = '';
  while (code.length < INVITE_CODE_LENGTH) {
    for (const byte of randomValues(new Uint8Array(24))) {
      // Rejection sampling keeps every character equally likely (248 = 8 × 31).
      if (byte < 248 && code.length < INVITE_CODE_LENGTH) code += JOIN_CODE_ALPHABET[byte % 31];
    }
  }
  return code;
}
