// 自社のページ's link back to a board: the session the user came from, else the latest open one.
import { describe, expect, it } from 'vitest';
import { boardToReturnTo } from '../../../client/components/company/back-link.ts';

const sessions = [
  { eventId: 'a', title: '10月', date: '2026-10-01', status: 'closed' },
  { eventId: 'b', title: '11月', date: '2026-11-01', status: 'open' },
  { eventId: 'c', title: '12月', date: '2026-12-01', status: 'closed' },
];

describe('the board 自社のページ links back to', () => {
  it('is the session named in ?event= when the company took part in it', () => {
    expect(boardToReturnTo(sessions, 'a')?.eventId).toBe('a');
  });
  it('else the latest open session, else the latest one', () => {
    expect(boardToReturnTo(sessions, null)?.eventId).toBe('b');
    expect(boardToReturnTo(sessions, 'someone-elses')?.eventId).toBe('b');
    expect(boardToReturnTo(sessions.map((s) => ({ ...s, status: 'closed' })), null)?.eventId).toBe('c');
    expect(boardToReturnTo([...sessions, { eventId: 'd', title: '12月 2回目', date: '2026-12-01', status: 'open' }], null)?.eventId).toBe('d');
  });
  it('is none without sessions', () => {
    expect(boardToReturnTo([], null)).toBeNull();
  });
});
