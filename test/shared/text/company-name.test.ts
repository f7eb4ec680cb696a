// A new company typed on the join page under an existing company's name, spelt differently.
import { describe, expect, it } from 'vitest';
import { companyNameForm, companyNameKey, personNameKey, sameNamedCompany } from '../../../shared/text/company-name.ts';

describe('companyNameKey', () => {
  it('makes full-width and half-width, case and spaces the same', () => {
    const key = companyNameKey('ABC商事');
    for (const typed of ['ＡＢＣ商事', 'abc商事', 'ABC商事 ', '　ＡＢＣ商事　', 'Abc商事\t']) expect(companyNameKey(typed)).toBe(key);
  });

  it('collapses runs of spaces (half- and full-width) inside a name to one, but keeps a space apart from none', () => {
    expect(companyNameKey('Sakura  EC　株式会社')).toBe('sakura ec 株式会社');
    expect(companyNameKey('Sakura EC')).not.toBe(companyNameKey('SakuraEC'));
  });

  it('turns half-width katakana into full-width', () => {
    expect(companyNameKey('ｱｵｿﾞﾗ通販')).toBe(companyNameKey('アオゾラ通販'));
  });
});

describe('sameNamedCompany', () => {
  const companies = [
    { id: 'a', name: 'ABC商事' },
    { id: 'b', name: 'みどり本舗' },
  ];

  it('finds the existing company a typed name means', () => {
    expect(sameNamedCompany('ＡＢＣ商事', companies)?.id).toBe('a');
    expect(sameNamedCompany('abc商事 ', companies)?.id).toBe('a');
    expect(sameNamedCompany('みどり本舗', companies)?.id).toBe('b');
  });

  it('finds nothing for a different name, a part of a name, or nothing typed', () => {
    expect(sameNamedCompany('ABC商事2', companies)).toBeNull();
    expect(sameNamedCompany('ABC', companies)).toBeNull();
    expect(sameNamedCompany('  ', companies)).toBeNull();
    expect(sameNamedCompany('ABC商事', [])).toBeNull();
  });
});

describe('invisible characters in a company name', () => {
  // Each makes a name that looks exactly like 'Acme' (or like nothing at all).
  const lookAlikes = [
    'Ac\u200Bme', // zero-width space
    'Ac\u200Dme', // zero-width joiner
    'Ac\u200Cme', // zero-width non-joiner
    'Ac\u00ADme', // soft hyphen
    'Ac\u2060me', // word joiner
    '\u200EAcme\u200F', // LRM, RLM
    '\uFEFFAcme', // BOM
    'Acme\uFE0F', // variation selector
    'Acme\u{E0041}\u{E007F}', // tag characters
    'Acme\u3164', // Hangul filler
    'Acme\uFFA0', // half-width Hangul filler
    'A\u034Fcme', // combining grapheme joiner
    '\u202AAcme\u202C', // LRE … PDF
    '\u2066Acme\u2069', // LRI … PDI
  ];

  it('are no part of the stored form or the key: the look-alike is the same company', () => {
    for (const typed of lookAlikes) {
      expect(companyNameForm(typed), JSON.stringify(typed)).toBe('Acme');
      expect(companyNameKey(typed), JSON.stringify(typed)).toBe('acme');
      expect(sameNamedCompany(typed, [{ id: 'a', name: 'Acme' }])?.id, JSON.stringify(typed)).toBe('a');
    }
  });

  it('stripped before NFKC: a joiner cannot keep a full-width letter or an accent apart', () => {
    expect(companyNameForm('Ａ\u200Bｃｍｅ')).toBe('Acme');
    expect(companyNameForm('Cafe\u200B\u0301')).toBe('Caf\u00E9');
    expect(companyNameKey('ABC\u200B　\u200B商事')).toBe('abc 商事');
  });

  it('a name of nothing but invisible characters is empty (the server refuses it with 400)', () => {
    expect(companyNameForm('\u200B\u200D\u3164')).toBe('');
    expect(companyNameKey(' \uFEFF ')).toBe('');
    expect(sameNamedCompany('\u200B', [{ id: 'a', name: 'Acme' }])).toBeNull();
  });

  it('keeps visible text as it was (Japanese, emoji, a lone variation selector aside)', () => {
    expect(companyNameForm('株式会社 みどり本舗')).toBe('株式会社 みどり本舗');
    expect(companyNameForm('Acme 🍣')).toBe('Acme 🍣');
  });
});

describe('personNameKey', () => {
  it('one name however it is typed: width, case, spaces, invisible characters', () => {
    const key = personNameKey('田中 一郎');
    for (const typed of ['田中　一郎', ' 田中 一郎 ', '田中  一郎', '田中\u200B 一郎']) expect(personNameKey(typed), typed).toBe(key);
    expect(personNameKey('Ｔａｎａｋａ')).toBe(personNameKey('tanaka'));
    expect(personNameKey('田中 一郎（スマホ）')).not.toBe(key);
  });
});
