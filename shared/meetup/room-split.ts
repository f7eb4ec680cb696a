// Splitting a meetup's companies into breakout rooms: pure functions, no I/O.
// Rooms hold at most `size` companies (none alone) and differ by at most one; optionally companies that sat
// together last time are kept apart as far as the numbers allow.

/**
 * How many rooms `count` companies need at about `size` per room (at least one). No room holds
 * more than `size` (4 at size 3 are two rooms of two, not one of four; 7 are 3 + 2 + 2), except
 * that no company is left alone in a room when rooms of two or more were asked for: 3 at size 2
 * are one room of three rather than 2 + 1 (a room of one has nobody to talk to).
 */
export function roomCountFor(count: number, size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('room size must be a positive integer');
  let rooms = Math.max(1, Math.ceil(count / size));
  while (size >= 2 && rooms > 1 && Math.floor(count / rooms) < 2) rooms--;
  return rooms;
}

/** Room sizes for `count` companies in `rooms` rooms: differ by at most one, larger rooms first. */
export function balancedSizes(count: number, rooms: number): number[] {
  const base = Math.floor(count / rooms);
  const extra = count % rooms;
  return Array.from({ length: rooms }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * The rooms a split of `count` companies at about `size` per room makes: their sizes, larger
 * first ([] for none). The size asked for is a target: 5 at size 3 are 3 + 2, 3 at size 2 one room of 3.
 */
export function plannedRoomSizes(count: number, size: number): number[] {
  if (count <= 0) return [];
  return balancedSizes(count, roomCountFor(count, size));
}

/** An unordered pair key for two company ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Every pair of companies that sat in the same room, from a previous split. */
export function pairsOf(rooms: readonly (readonly string[])[]): Set<string> {
  const pairs = new Set<string>();
  for (const room of rooms) for (let i = 0; i < room.length; i++) for (let j = i + 1; j < room.length; j++) pairs.add(pairKey(room[i]!, room[j]!));
  return pairs;
}

/** How many pairs in these rooms appear in `avoid`. */
export function repeatedPairs(rooms: readonly (readonly string[])[], avoid: ReadonlySet<string>): number {
  let n = 0;
  for (const pair of pairsOf(rooms)) if (avoid.has(pair)) n++;
  return n;
}

export interface SplitOptions {
  /** Companies per room (default 3). */
  size?: number;
  /** Pairs (pairKey) that should not share a room again. */
  avoid?: ReadonlySet<string>;
  /** Seed for the shuffle: the same seed gives the same split. */
  seed?: number;
}

/**
 * Splits the companies into balanced rooms. Companies are shuffled (seeded), placed greedily into
 * the room with the fewest repeated pairs, then improved by swaps while that lowers the count.
 */
export function splitIntoRooms(companyIds: readonly string[], options: SplitOptions = {}): string[][] {
  const size = options.size ?? 3;
  const avoid = options.avoid ?? new Set<string>();
  if (companyIds.length === 0) return [];
  const sizes = plannedRoomSizes(companyIds.length, size);
  const order = shuffled([...new Set(companyIds)], options.seed ?? 1);
  const rooms: string[][] = sizes.map(() => []);
  const clashes = (room: readonly string[], id: string) => room.reduce((n, other) => n + (avoid.has(pairKey(id, other)) ? 1 : 0), 0);
  for (const id of order) {
    let best = -1;
    for (let r = 0; r < rooms.length; r++) {
      if (rooms[r]!.length >= sizes[r]!) continue;
      if (best < 0) {
        best = r;
        continue;
      }
      const diff = clashes(rooms[r]!, id) - clashes(rooms[best]!, id);
      if (diff < 0 || (diff === 0 && sizes[r]! - rooms[r]!.length > sizes[best]! - rooms[best]!.length)) best = r;
    }
    rooms[best]!.push(id);
  }
  if (avoid.size > 0) improveBySwaps(rooms, avoid);
  return rooms;
}

function improveBySwaps(rooms: string[][], avoid: ReadonlySet<string>): void {
  let current = repeatedPairs(rooms, avoid);
  for (let pass = 0; pass < 20 && current > 0; pass++) {
    let improved = false;
    for (let a = 0; a < rooms.length; a++) {
      for (let b = a + 1; b < rooms.length; b++) {
        for (let i = 0; i < rooms[a]!.length; i++) {
          for (let j = 0; j < rooms[b]!.length; j++) {
            [rooms[a]![i], rooms[b]![j]] = [rooms[b]![j]!, rooms[a]![i]!];
            const next = repeatedPairs(rooms, avoid);
            if (next < current) {
              current = next;
              improved = true;
            } else {
              [rooms[a]![i], rooms[b]![j]] = [rooms[b]![j]!, rooms[a]![i]!];
            }
          }
        }
      }
    }
    if (!improved) return;
  }
}

/** Fisher–Yates with a small seeded generator (mulberry32), so splits can be reproduced. */
function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
