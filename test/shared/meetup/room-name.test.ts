import { describe, expect, it } from 'vitest';
import { defaultRoomName, defaultRoomNumber, inRoomOrder } from '../../../shared/meetup/room-name.ts';

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
