import { describe, expect, it } from 'vitest';
import { balancedSizes, pairKey, plannedRoomSizes, pairsOf, repeatedPairs, roomCountFor, splitIntoRooms } from '../../../shared/meetup/room-split.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);

describe('room sizes', () => {
  it.each([
    [1, 3, 1],
    [2, 3, 1],
    [3, 3, 1],
    // Never more than asked for: 4 at size 3 are 2 + 2, not one room of 4.
    [4, 3, 2],
    [5, 3, 2],
    [6, 3, 2],
    [7, 3, 3],
    [8, 3, 3],
    [10, 3, 4],
    [15, 3, 5],
    [40, 3, 14],
    [6, 2, 3],
    // …unless that leaves a company alone: 3 at size 2 are one room of 3, 5 are 3 + 2.
    [3, 2, 1],
    [5, 2, 2],
    [9, 4, 3],
  ])('%i companies at about %i per room → %i rooms', (count, size, rooms) => {
    expect(roomCountFor(count, size)).toBe(rooms);
  });

  it('no room exceeds the size asked for, and nobody sits alone, whenever the numbers allow', () => {
    for (let count = 1; count <= 60; count++) {
      for (const size of [2, 3, 4, 5, 8]) {
        const sizes = balancedSizes(count, roomCountFor(count, size));
        if (count >= 2) expect(Math.min(...sizes), `${count} at ${size}`).toBeGreaterThanOrEqual(2);
        // Only the no-one-alone rule may push a room past the size: by one company at most.
        expect(Math.max(...sizes), `${count} at ${size}`).toBeLessThanOrEqual(count % size === 1 && count > size ? size + 1 : size);
      }
    }
  });

  it('four companies at size three are two rooms of two', () => {
    expect(splitIntoRooms(ids(4), { size: 3 }).map((r) => r.length)).toEqual([2, 2]);
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
    // 3 companies in one room: every pair repeats; nothing better exists and nothing breaks.
    const avoid = pairsOf([ids(3)]);
    const rooms = splitIntoRooms(ids(3), { avoid });
    expect(rooms).toHaveLength(1);
    expect(repeatedPairs(rooms, avoid)).toBe(3);
  });

  it('pair keys are order-independent', () => {
    expect(pairKey('b', 'a')).toBe(pairKey('a', 'b'));
  });
});

describe('plannedRoomSizes (the preview of a split on the console)', () => {
  it.each([
    [0, 3, []],
    [1, 3, [1]],
    [3, 2, [3]],
    [5, 3, [3, 2]],
    [7, 3, [3, 2, 2]],
    [9, 4, [3, 3, 3]],
  ])('%i companies at about %i per room make rooms of %j', (count, size, sizes) => {
    expect(plannedRoomSizes(count, size)).toEqual(sizes);
  });

  it('is what a split makes', () => {
    for (const [count, size] of [[5, 3], [7, 3], [3, 2], [10, 4]] as const) {
      expect(splitIntoRooms(ids(count), { size }).map((r) => r.length)).toEqual(plannedRoomSizes(count, size));
    }
  });
});
