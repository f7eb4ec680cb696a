// A series at a glance (定例会の一覧): its sessions as columns, the companies that took part as rows,
// and in each cell whether the company was there and how it scored itself. Pure: the server reads
// the rows, this arranges them.
import { ELEMENT_IDS, isElementId } from '../jcrm/elements.ts';

export interface OverviewSession {
  eventId: string;
  title: string;
  date: string;
  status: 'open' | 'closed';
}

/** A company's place in one session (an event_companies row), and whether it has a member there. */
export interface OverviewParticipation {
  eventId: string;
  eventCompanyId: string;
  companyId: string;
  companyName: string;
  hasMember: boolean;
}

export interface OverviewScore {
  eventCompanyId: string;
  element: string;
  value: number | null;
}

export interface OverviewCell {
  eventCompanyId: string;
  /** Elements scored (0–3) in that session, and their mean (null when none). */
  scored: number;
  mean: number | null;
}

export interface OverviewCompany {
  companyId: string;
  name: string;
  /** One per session, in the sessions' order: null where the company did not take part. */
  cells: Array<OverviewCell | null>;
  attended: number;
}

export interface SeriesOverviewData {
  sessions: Array<OverviewSession & { companies: number }>;
  companies: OverviewCompany[];
}

/**
 * Arranges a series: sessions oldest first; a company took part where it has a member or scored
 * (a company row nobody joined, such as a claim that was refused, is not attendance; one whose only
 * member was removed afterwards still is, by its scores); companies ordered by how often they
 * came, then by name.
 */
export function buildSeriesOverview(
  sessions: readonly OverviewSession[],
  participations: readonly OverviewParticipation[],
  scores: readonly OverviewScore[],
): SeriesOverviewData {
  const ordered = [...sessions].sort((a, b) => a.date.localeCompare(b.date));
  const column = new Map(ordered.map((s, i) => [s.eventId, i]));
  const byEventCompany = new Map<string, { sum: number; scored: number }>();
  for (const score of scores) {
    if (score.value === null || !Number.isInteger(score.value) || score.value < 0 || score.value > 3 || !isElementId(score.element)) continue;
    const tally = byEventCompany.get(score.eventCompanyId) ?? { sum: 0, scored: 0 };
    tally.sum += score.value;
    tally.scored += 1;
    byEventCompany.set(score.eventCompanyId, tally);
  }
  const rows = new Map<string, OverviewCompany>();
  const counts = ordered.map(() => 0);
  for (const p of participations) {
    const at = column.get(p.eventId);
    const tally = byEventCompany.get(p.eventCompanyId);
    if (at === undefined || (!p.hasMember && !tally)) continue;
    let row = rows.get(p.companyId);
    if (!row) {
      row = { companyId: p.companyId, name: p.companyName, cells: ordered.map(() => null), attended: 0 };
      rows.set(p.companyId, row);
    }
    if (row.cells[at]) continue;
    const scored = Math.min(tally?.scored ?? 0, ELEMENT_IDS.length);
    row.cells[at] = { eventCompanyId: p.eventCompanyId, scored, mean: tally && tally.scored > 0 ? Math.round((tally.sum / tally.scored) * 10) / 10 : null };
    row.attended += 1;
    counts[at]! += 1;
  }
  const companies = [...rows.values()].sort((a, b) => b.attended - a.attended || a.name.localeCompare(b.name, 'ja'));
  return { sessions: ordered.map((s, i) => ({ ...s, companies: counts[i]! })), companies };
}
