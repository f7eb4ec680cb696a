import { describe, expect, it } from 'vitest';
import { defaultRoomName, defaultRoomNumber, inRoomOrder, roomForNewCompany } from '../../../shared/meetup/room-name.ts';

describe('room names', () => {
  it('reads back the number of a server-made name only', () => {
    expect(defaultRoomNumber(defaultRoomName(12))).toBe('12');
    expect(defaultRoomNumber('ルーム1')).toBeNull();
    expect(defaultRoomNumber('青の部屋')).toBeNull();
  });

  it('lists rooms in one order everywhere: by name, ルーム 2 before ルーム 10', () => {
    const rooms = [{ name: 'ルーム 10' }, { name: 'B会議室' }, { name: 'ルーム 2' }, { name: 'A会議室' }, { name: 'ルーム 1' }];
    expect(inRoomOrder(rooms).map((r) => r.name)).toEqual(['A会議室', 'B会議室', 'ルーム 1', 'ルーム 2', 'ルーム 10']);
    expect(rooms[0]!.name).toBe('ルーム 10'); // the input is left as it was
  });
});

describe('the room a company joining late sits in', () => {
  const room = (id: string, name: string, seated: number) => ({ id, name, seated });

  it('is the room with the fewest companies', () => {
    expect(roomForNewCompany([room('a', 'ルーム 1', 3), room('b', 'ルーム 2', 2), room('c', 'ルーム 3', 3)])).toBe('b');
  });

  it('is the first in room order among equals (ルーム 2 before ルーム 10), and none without rooms', () => {
    expect(roomForNewCompany([room('x', 'ルーム 10', 2), room('y', 'ルーム 2', 2), room('z', 'ルーム 1', 3)])).toBe('y');
    expect(roomForNewCompany([room('only', 'ルーム 1', 0)])).toBe('only');
    expect(roomForNewCompany([])).toBeNull();
  });
});
