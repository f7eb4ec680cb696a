// A new company typed on the join page under an existing company's name, spelt differently.
import { describe, expect, it } from 'vitest';
import { companyNameKey, sameNamedCompany } from '../../../shared/text/company-name.ts';

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
