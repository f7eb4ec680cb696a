// Default room names ("ルーム N", made by the server) follow the UI language; typed names do not.
import { describe, expect, it } from 'vitest';
import { roomLabel } from '../../../client/lib/i18n/room-name.ts';

describe('roomLabel', () => {
  it('shows the server’s default names as "Room N" in English and as stored in Japanese', () => {
    expect(roomLabel('ルーム 1', 'en')).toBe('Room 1');
    expect(roomLabel('ルーム 12', 'en')).toBe('Room 12');
    expect(roomLabel('ルーム 1', 'ja')).toBe('ルーム 1');
  });

  it('leaves any other name as typed', () => {
    for (const name of ['ルーム 1 東京', 'ルーム1', 'ルーム　1', 'ルーム A', 'ルーム 01', '大部屋', 'Room 3', ' ルーム 1']) {
      expect(roomLabel(name, 'en')).toBe(name);
      expect(roomLabel(name, 'ja')).toBe(name);
    }
  });
});
