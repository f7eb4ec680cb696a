// An agenda stored before step titles were one line is read as one line, so re-sending it (the
// console sends the whole agenda when a duration changes) passes the text rules.
import { describe, expect, it } from 'vitest';
import { agendaOf } from '../../../server/domain/meetup.ts';
import { DEFAULT_AGENDA } from '../../../shared/meetup/clock.ts';

describe('agendaOf', () => {
  it('reads stored step titles as one line', () => {
    const agenda = agendaOf({ agenda: [{ title: { ja: '自己紹介\n（各社）', en: 'Intro \r\n by company' }, durationMinutes: 5 }] });
    expect(agenda).toEqual([{ title: { ja: '自己紹介 （各社）', en: 'Intro by company' }, durationMinutes: 5 }]);
  });

  it('gives the default agenda when none is stored', () => {
    expect(agendaOf({ agenda: null })).toEqual(DEFAULT_AGENDA);
    expect(agendaOf({ agenda: [] })).toEqual(DEFAULT_AGENDA);
  });
});
