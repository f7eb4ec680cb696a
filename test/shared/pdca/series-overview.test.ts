import { describe, expect, it } from 'vitest';
import { buildSeriesOverview, type OverviewParticipation, type OverviewSession } from '../../../shared/pdca/series-overview.ts';

const sessions: OverviewSession[] = [
  { eventId: 'e2', title: '2月', date: '2026-02-10', status: 'closed' },
  { eventId: 'e1', title: '1月', date: '2026-01-13', status: 'closed' },
  { eventId: 'e3', title: '3月', date: '2026-03-10', status: 'open' },
];
const part = (eventId: string, companyId: string, companyName: string, hasMember = true): OverviewParticipation => ({
  eventId,
  eventCompanyId: `${eventId}-${companyId}`,
  companyId,
  companyName,
  hasMember,
});

describe('a series at a glance', () => {
  it('puts the sessions oldest first and each company in the sessions it took part in', () => {
    const overview = buildSeriesOverview(
      sessions,
      [part('e1', 'a', '青空通販'), part('e2', 'a', '青空通販'), part('e3', 'a', '青空通販'), part('e2', 'b', 'みどり本舗'), part('e3', 'c', 'さくらEC')],
      [],
    );
    expect(overview.sessions.map((s) => [s.eventId, s.companies])).toEqual([
      ['e1', 1],
      ['e2', 2],
      ['e3', 2],
    ]);
    // The most regular company first, then by name.
    expect(overview.companies.map((c) => [c.name, c.attended])).toEqual([
      ['青空通販', 3],
      ['さくらEC', 1],
      ['みどり本舗', 1],
    ]);
    expect(overview.companies[2]!.cells.map((c) => c?.eventCompanyId ?? null)).toEqual([null, 'e2-b', null]);
  });

  it('does not count a company row nobody joined (a refused claim) as attendance, but one that scored and lost its member does', () => {
    const overview = buildSeriesOverview(
      sessions,
      [part('e1', 'a', '青空通販'), part('e3', 'x', '名乗っただけ', false), part('e2', 'r', '退会した会社', false)],
      [{ eventCompanyId: 'e2-r', element: 'data', value: 2 }],
    );
    expect(overview.companies.map((c) => c.name).sort()).toEqual(['退会した会社', '青空通販'].sort());
    expect(overview.sessions.find((s) => s.eventId === 'e3')!.companies).toBe(0);
    expect(overview.companies.find((c) => c.name === '退会した会社')!.cells[1]).toEqual({ eventCompanyId: 'e2-r', scored: 1, mean: 2 });
  });

  it('gives each cell the mean of the elements scored, to one decimal, ignoring unscored and unreadable scores', () => {
    const overview = buildSeriesOverview(
      sessions,
      [part('e1', 'a', '青空通販'), part('e2', 'a', '青空通販')],
      [
        { eventCompanyId: 'e1-a', element: 'customers', value: 2 },
        { eventCompanyId: 'e1-a', element: 'brand', value: 1 },
        { eventCompanyId: 'e1-a', element: 'data', value: 2 },
        { eventCompanyId: 'e1-a', element: 'culture', value: null },
        { eventCompanyId: 'e1-a', element: 'nonsense', value: 3 },
        { eventCompanyId: 'e1-a', element: 'pr', value: 7 },
      ],
    );
    const [first, second] = overview.companies[0]!.cells;
    expect(first).toEqual({ eventCompanyId: 'e1-a', scored: 3, mean: 1.7 });
    expect(second).toEqual({ eventCompanyId: 'e2-a', scored: 0, mean: null });
  });
});
