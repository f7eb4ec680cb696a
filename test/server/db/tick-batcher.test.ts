// Keys asked for in one turn share one load; later turns get their own; keys asked for while a
// load is out wait and go together in the next; a failed load rejects exactly the keys it was
// loading.
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

  it('holds keys asked for while a load is out and loads them together when it returns', async () => {
    const loads: number[][] = [];
    let release!: () => void;
    const firstOut = new Promise<void>((r) => (release = r));
    const batcher = new TickBatcher<number, number>(async (keys) => {
      loads.push(keys);
      if (loads.length === 1) await firstOut;
      return new Map(keys.map((k) => [k, k]));
    });
    const first = batcher.get(1);
    await new Promise((r) => setImmediate(r));
    // Three more turns while the first load is out: they must not each start a query.
    const later: Array<Promise<number | undefined>> = [];
    for (const k of [2, 3, 4]) {
      later.push(batcher.get(k));
      await new Promise((r) => setImmediate(r));
    }
    expect(loads).toEqual([[1]]);
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
    expect(loads).toEqual([[1], [2, 3, 4]]);
  });
});
