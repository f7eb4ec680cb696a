// The start page checks a typed join code's format before it navigates anywhere.
import { describe, expect, it } from 'vitest';
import { parseCodeInput } from '../../../shared/jcrm/code-input.ts';

describe('parseCodeInput', () => {
  it('accepts a join code as people type it: any case, hyphen or spaces, full-width', () => {
    for (const typed of ['ABCDE-FGH23', 'abcdefgh23', ' abcde fgh23 ', 'ＡＢＣＤＥ－ＦＧＨ２３']) {
      expect(parseCodeInput(typed)).toEqual({ ok: true, code: 'ABCDEFGH23' });
    }
  });

  it("accepts a company's invite code (12 characters)", () => {
    expect(parseCodeInput('abcd-efgh-jk23')).toEqual({ ok: true, code: 'ABCDEFGHJK23' });
  });

  it('takes the code out of a pasted invite link', () => {
    expect(parseCodeInput('http://192.168.1.5:3000/join/ABCDE-FGH23')).toEqual({ ok: true, code: 'ABCDEFGH23' });
    expect(parseCodeInput('https://kizuki.example.jp/join/abcd-efgh-jk23?x=1')).toEqual({ ok: true, code: 'ABCDEFGHJK23' });
  });

  it('refuses an empty input', () => {
    expect(parseCodeInput('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseCodeInput(' - ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses a code of the wrong length, saying how long it is', () => {
    expect(parseCodeInput('abc')).toEqual({ ok: false, reason: 'length', length: 3 });
    expect(parseCodeInput('ABCDE-FGH2')).toEqual({ ok: false, reason: 'length', length: 9 });
    expect(parseCodeInput('ABCDE-FGH234')).toEqual({ ok: false, reason: 'length', length: 11 });
  });

  it('refuses characters no code has (look-alikes, symbols), naming them once each', () => {
    expect(parseCodeInput('ABCDE-FGH20')).toEqual({ ok: false, reason: 'characters', characters: ['0'] });
    expect(parseCodeInput('OOIL1-FGH23')).toEqual({ ok: false, reason: 'characters', characters: ['O', 'I', 'L', '1'] });
    expect(parseCodeInput('参加コード')).toEqual({ ok: false, reason: 'characters', characters: ['参', '加', 'コ', 'ド'] });
  });
});
