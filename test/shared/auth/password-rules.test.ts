// A facilitator's password beyond its length (NIST SP 800-63B: no composition rules, but no
// whitespace-only, near-constant or common password), the same at the server and in the forms.
import { describe, expect, it } from 'vitest';
import {
  COMMON_PASSWORDS,
  distinctCharacters,
  isCommonPassword,
  MIN_DISTINCT_CHARACTERS,
  PASSWORD_MESSAGES,
  passwordProblem,
} from '../../../shared/auth/password-rules.ts';

describe('passwordProblem', () => {
  it('refuses a password of whitespace only: spaces, tabs, ideographic spaces, line breaks', () => {
    for (const password of [' '.repeat(10), '\u3000'.repeat(10), ' \t\u3000\n \t\u3000\n  ', '\u00a0'.repeat(12)]) {
      expect(passwordProblem(password)).toEqual({ rule: 'whitespaceOnly', message: PASSWORD_MESSAGES.whitespaceOnly });
    }
  });

  it('refuses fewer than 4 different characters, whatever the length', () => {
    expect(MIN_DISTINCT_CHARACTERS).toBe(4);
    for (const password of ['aaaaaaaaaa', '1212121212', 'abcabcabcabc', 'xyz'.repeat(80), '😀😀😀😀😀😀😀😀😀😀', 'ab ab ab ab ab']) {
      expect(passwordProblem(password)).toEqual({ rule: 'fewDistinctCharacters', limit: 4, message: PASSWORD_MESSAGES.fewDistinctCharacters });
    }
  });

  it('refuses the most common passwords, in any case, width or surrounding spaces', () => {
    for (const password of ['password123', 'PASSWORD123', 'Password123', ' password123 ', 'ｐａｓｓｗｏｒｄ１２３', 'qwertyuiop', '1234567890', '1q2w3e4r5t', 'iloveyou123', 'at-least-10-chars']) {
      expect(passwordProblem(password), password).toEqual({ rule: 'commonPassword', message: PASSWORD_MESSAGES.commonPassword });
    }
  });

  it('checks in order: whitespace, then different characters, then the common list', () => {
    expect(passwordProblem('          ')?.rule).toBe('whitespaceOnly');
    expect(passwordProblem('1111111111')?.rule).toBe('fewDistinctCharacters');
  });

  it('accepts passphrases and other ordinary passwords: no composition rules', () => {
    for (const password of ['correct horse battery', 'blue tea on a rainy day', 'abcd', 'もうすぐ春ですね2026', 'Tr0ub4dor&3x', 'aaaaaaaaab cd', 'password12345678x']) {
      expect(passwordProblem(password), password).toBeNull();
    }
  });

  it('every message is "日本語 / English"', () => {
    for (const message of Object.values(PASSWORD_MESSAGES)) expect(message).toMatch(/^[^/]*[ぁ-んァ-ン一-龥][^/]* \/ [A-Z][^ぁ-んァ-ン一-龥]*$/);
  });
});

describe('the parts', () => {
  it('counts different characters as code points', () => {
    expect(distinctCharacters('aabbcc')).toBe(3);
    expect(distinctCharacters('😀😀a')).toBe(2);
    expect(distinctCharacters('')).toBe(0);
  });

  it('lists only passwords the length rule lets through, each in the form it is compared in', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(100);
    for (const password of COMMON_PASSWORDS) {
      expect([...password].length, password).toBeGreaterThanOrEqual(10);
      expect(password.normalize('NFKC').toLowerCase().trim(), password).toBe(password);
      expect(distinctCharacters(password), password).toBeGreaterThanOrEqual(MIN_DISTINCT_CHARACTERS);
    }
  });

  it('isCommonPassword normalises NFKC, case and surrounding whitespace only', () => {
    expect(isCommonPassword('ＱＷＥＲＴＹＵＩＯＰ')).toBe(true);
    expect(isCommonPassword('\tqwertyuiop\u3000')).toBe(true);
    expect(isCommonPassword('qwerty uiop')).toBe(false);
    expect(isCommonPassword('qwertyuiop!')).toBe(false);
  });
});
