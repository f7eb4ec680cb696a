import { describe, expect, it } from 'vitest';
import { distinctNames } from '../../../shared/text/distinct-names.ts';

describe('distinctNames', () => {
  it('numbers the second and later people of the same name in join order, and leaves unique names alone', () => {
    const labels = distinctNames([
      { userId: 'a', displayName: '佐藤' },
      { userId: 'b', displayName: '鈴木' },
      { userId: 'c', displayName: '佐藤' },
      { userId: 'd', displayName: '佐藤' },
    ]);
    expect([...labels.values()]).toEqual(['佐藤', '鈴木', '佐藤（2）', '佐藤（3）']);
  });

  it('counts names equal but for width, case and spaces as the same', () => {
    const labels = distinctNames([
      { userId: 'a', displayName: 'Sato Ken' },
      { userId: 'b', displayName: 'ｓａｔｏ  ken ' },
    ]);
    expect(labels.get('b')).toBe('ｓａｔｏ  ken （2）');
    expect(labels.get('a')).toBe('Sato Ken');
  });
});
