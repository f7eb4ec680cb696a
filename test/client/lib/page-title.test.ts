import { describe, expect, it } from 'vitest';
import { titleFor } from '../../../client/lib/page-title.ts';

describe('titleFor', () => {
  it('names the page first and the app last, so tabs of the same event tell apart', () => {
    expect(titleFor('JCRM定例勉強会 12月')).toBe('JCRM定例勉強会 12月 — Kizuki');
    expect(titleFor('ファシリテーターコンソール', 'オンライン交流会 1月')).toBe('ファシリテーターコンソール — オンライン交流会 1月 — Kizuki');
  });

  it('leaves out parts not known yet', () => {
    expect(titleFor('ファシリテーターコンソール', undefined, ' ')).toBe('ファシリテーターコンソール — Kizuki');
  });
});
