// Keys asked for in one turn share one load; later turns get their own; a failed load rejects
// exactly the keys it was loading.
import { describe, expect, it } from 'vitest';
import { TickBatcher } from '../../../server/db/tick-batcher.ts';

describe('TickBatcher', () => {
  it('loads all keys of one turn together (duplicates once), missing keys as undefined', async () => {
    const loads: number[][] = [];
    const batcher = new TickBatcher<number, string>(async (keys) => {
      loads.push(keys);
      return new Map(keys.filter((k) => k !== 3).map((k) => [k, `v${k}`]));
    });
    const results = await Promise.all([1, 2, 2, 3].map((k) => batcher.get(k)));
    expect(results).toEqual(['v1', 'v2', 'v2', undefined]);
    expect(loads).toEqual([[1, 2, 3]]);
    expect(await batcher.get(4)).toBe('v4');
    expect(loads).toEqual([[1, 2, 3], [4]]);
  });

  it('splits big turns and rejects only the failed part', async () => {
    const batcher = new TickBatcher<number, number>(async (keys) => {
      if (keys.includes(5)) throw new Error('boom');
      return new Map(keys.map((k) => [k, k * 10]));
    }, 3);
    const settled = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((k) => batcher.get(k)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
  });
});
