// Japanese messages put no space between a name (a person's, a company's) and the particle or
// さん after it: 「加藤さん」「青空通販のスコア」, not 「青空通販 のスコア」 (walkthrough: the score
// picker's legend, invite links, the waiting page).
import { describe, expect, it } from 'vitest';
import { ja } from '../../../client/lib/i18n/ja.ts';

describe('Japanese messages', () => {
  it('have no space between {company} or {name} and the particle or さん after it', () => {
    const spaced = Object.entries(ja).filter(([, text]) => /\{(company|name)\} [ぁ-ん]/.test(text)).map(([key, text]) => `${key}: ${text}`);
    expect(spaced).toEqual([]);
  });
});
