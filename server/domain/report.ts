// Builds what a company takes home from a session (shared/exports/report.ts formats it): its
// worksheet and 気付き cards from its live document, its scores and the session's comparison as far
// as the viewer may see it (hidden scores stay hidden), its take-home actions.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { DocRegistry } from '../sync/doc-registry.ts';
import { assessments, events, series } from '../db/schema.ts';
import { scoreAssessment, type AssessmentAnswers } from '../../shared/assessment/scoring.ts';
import { ELEMENTS, formatTarget, isElementId } from '../../shared/jcrm/elements.ts';
import { subtotals, type CompanyScores } from '../../shared/jcrm/scoring.ts';
import { actualKey, docCards, readCard, readListLines, sheetActuals, sheetMemo, sheetPhilosophy } from '../../shared/protocol/doc-shapes.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import type { ReportData } from '../../shared/exports/report.ts';
import { listEventCompanies } from './events.ts';
import { visibleScores } from './scores.ts';
import { listActions } from './actions.ts';
import { notFound } from '../errors.ts';


export async function buildReport(
  db: Db,
  docs: DocRegistry,
  eventId: string,
  eventCompanyId: string,
  viewer: { role: string; eventCompanyId: string | null },
): Promise<ReportData> {
  const [event] = await db
    .select({ title: events.title, date: events.date, theme: events.theme, elementScoring: events.elementScoring, seriesTitle: series.title, coveredElements: events.coveredElements })
    .from(events)
    .leftJoin(series, eq(series.id, events.seriesId))
    .where(eq(events.id, eventId));
  if (!event) throw notFound();
  const companies = await listEventCompanies(db, eventId);
  const company = companies.find((c) => c.id === eventCompanyId);
  if (!company) throw notFound('この会社はこの会に参加していません / No such company in this session');

  const scores = await visibleScores(db, eventId, viewer);
  const scoreOf = (ec: string, element: string) => scores.find((s) => s.eventCompanyId === ec && s.element === element && !s.hidden)?.value ?? null;
  const own: CompanyScores = {};
  for (const element of ELEMENTS) {
    const value = scoreOf(eventCompanyId, element.id);
    if (value !== null) own[element.id] = value;
  }
  const totals = subtotals(own);
  const actions = await listActions(db, eventCompanyId);
  const assessment = await reportAssessment(db, eventId, company.companyId);

  const name = sheetDocName(eventCompanyId);
  const live = await docs.acquire(name);
  try {
    const doc = live.doc;
    const cards = [...docCards(doc).values()].map(readCard).filter((c) => c !== null);
    return {
      generatedAt: new Date().toISOString(),
      event: { id: eventId, title: event.title, date: event.date, series: event.seriesTitle ?? null, theme: event.theme ?? null },
      company: { eventCompanyId, name: company.name },
      philosophy: sheetPhilosophy(doc).toString(),
      elementScoring: event.elementScoring,
      // The theme's elements (none: all): the report puts them first and folds the empty others.
      coveredElements: event.coveredElements.filter(isElementId),
      totals: [
        { group: 'inner' as const, label: '内枠', ...totals.inner },
        { group: 'outer' as const, label: '外枠', ...totals.outer },
        { group: 'total' as const, label: '合計', ...totals.total },
      ].map(({ group, label, sum, max }) => ({ group, label, sum, max })),
      assessment,
      elements: ELEMENTS.map((element) => ({
        element: element.id,
        name: element.name.ja,
        frame: element.frame === 'inner' ? '内枠' : '外枠',
        score: own[element.id] ?? null,
        figures: element.targets.map((target, index) => {
          const actual = sheetActuals(doc).get(actualKey(element.id, index));
          return { label: target.label.ja, target: formatTarget(target, 'ja'), actual: typeof actual === 'number' ? actual : null };
        }),
        doing: readListLines(doc, 'doing', element.id),
        notYet: readListLines(doc, 'notYet', element.id).map((line) => line.text),
        memo: sheetMemo(doc, element.id).toString(),
        cards: cards.filter((c) => c.element === element.id).map((c) => c.text),
        actions: actions
          .filter((a) => a.element === element.id)
          .map((a) => ({ text: a.text, owner: a.ownerName, dueDate: a.dueDate, status: a.status })),
        comparison: companies
          .filter((c) => c.id !== eventCompanyId)
          .flatMap((c) => {
            const entry = scores.find((s) => s.eventCompanyId === c.id && s.element === element.id);
            // Hidden from this viewer: not in the report at all.
            return entry?.hidden ? [] : [{ company: c.name, value: entry?.value ?? null }];
          }),
      })),
    };
  } finally {
    docs.release(name);
  }
}

/** The company's assessment filed under this session, else its latest one (null when none). */
async function reportAssessment(db: Db, eventId: string, companyId: string): Promise<ReportData['assessment']> {
  const rows = await db.select().from(assessments).where(eq(assessments.companyId, companyId)).orderBy(desc(assessments.createdAt));
  const row = rows.find((r) => r.eventId === eventId) ?? rows[0];
  if (!row) return null;
  const result = scoreAssessment(row.template, row.answers as AssessmentAnswers);
  return {
    title: row.title,
    points: result.total.points,
    max: result.total.max,
    answered: result.total.answered,
    questions: result.total.questions,
    categories: result.categories.map((c) => ({ title: c.title, points: c.points, max: c.max, answered: c.answered, questions: c.questions })),
  };
}
