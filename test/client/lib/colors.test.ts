import { describe, expect, it } from 'vitest';
import { companyColor } from '../../../client/lib/state/colors.ts';

describe('companyColor', () => {
  it('gives the companies of a ten-to-twelve-company meetup twelve different colours', () => {
    const colors = Array.from({ length: 12 }, (_, i) => companyColor(i));
    expect(new Set(colors).size).toBe(12);
  });

  it('cycles after twelve and is grey for a company not in the list', () => {
    expect(companyColor(12)).toBe(companyColor(0));
    expect(companyColor(-1)).toBe('#666666');
  });
});
