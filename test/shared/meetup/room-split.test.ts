import { describe, expect, it } from 'vitest';
import { balancedSizes, pairKey, pairsOf, repeatedPairs, roomCountFor, splitIntoRooms } from '../../../shared/meetup/room-split.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);

describe('room sizes', () => {
  it.each([
    [1, 3, 1],
    [3, 3, 1],
    [4, 3, 1],
    [5, 3, 2],
    [7, 3, 2],
    [8, 3, 3],
    [15, 3, 5],
    [40, 3, 13],
    [6, 2, 3],
  ])('%i companies at about %i per room → %i rooms', (count, size, rooms) => {
    expect(roomCountFor(count, size)).toBe(rooms);
  });

  it('differ by at most one and add up', () => {
    for (let count = 1; count <= 60; count++) {
      for (const size of [2, 3, 4, 5]) {
        const sizes = balancedSizes(count, roomCountFor(count, size));
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('refuses a room size below one', () => {
    expect(() => roomCountFor(5, 0)).toThrow(RangeError);
  });
});

describe('splitIntoRooms', () => {
  it('places every company exactly once in balanced rooms', () => {
    for (const n of [1, 2, 5, 7, 14, 40]) {
      const rooms = splitIntoRooms(ids(n));
      expect(rooms.flat().sort()).toEqual(ids(n));
      const sizes = rooms.map((r) => r.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(splitIntoRooms([])).toEqual([]);
  });

  it('is reproducible with a seed and differs across seeds', () => {
    expect(splitIntoRooms(ids(12), { seed: 7 })).toEqual(splitIntoRooms(ids(12), { seed: 7 }));
    const seeds = new Set([1, 2, 3, 4, 5].map((seed) => JSON.stringify(splitIntoRooms(ids(12), { seed }))));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('keeps apart companies that sat together last time, when the numbers allow', () => {
    // 9 companies, 3 rooms of 3: last time c01-c03, c04-c06, c07-c09 sat together. A split with no
    // repeated pair exists (one from each previous room per room).
    const last = [ids(9).slice(0, 3), ids(9).slice(3, 6), ids(9).slice(6, 9)];
    const avoid = pairsOf(last);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rooms = splitIntoRooms(ids(9), { avoid, seed });
      expect(repeatedPairs(rooms, avoid)).toBe(0);
    }
  });

  it('minimises repeats when they cannot all be avoided', () => {
    // 4 companies in one room: every pair repeats; nothing better exists and nothing breaks.
    const avoid = pairsOf([ids(4)]);
    const rooms = splitIntoRooms(ids(4), { avoid });
    expect(rooms).toHaveLength(1);
    expect(repeatedPairs(rooms, avoid)).toBe(6);
  });

  it('pair keys are order-independent', () => {
    expect(pairKey('b', 'a')).toBe(pairKey('a', 'b'));
  });
});
