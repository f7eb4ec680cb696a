// Join codes: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
// XXXXX-XXXXX. 31^10 ≈ 2^49.5 possibilities, and joining is rate-limited.
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 10;

/** Accepts what people type: lower case, spaces, hyphens, full-width characters. */
export function normalizeJoinCode(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-ー－]/g, '');
}

export function formatJoinCode(code: string): string {
  return code.length === JOIN_CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/** randomValues must fill the array with uniform random bytes (crypto.getRandomValues). */
export function generateJoinCode(randomValues: (bytes: Uint8Array) => Uint8Array): string {
  let code = '';
  while (code.length < JOIN_CODE_LENGTH) {
    for (const byte of randomValues(new Uint8Array(16))) {
      // Rejection sampling keeps every character equally likely (248 = 8 × 31).
      if (byte < 248 && code.length < JOIN_CODE_LENGTH) code += JOIN_CODE_ALPHABET[byte % 31];
    }
  }
  return code;
}
