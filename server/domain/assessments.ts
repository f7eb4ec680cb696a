// The CRM practice assessment in the database: facilitators' templates, a company's assessments
// (a snapshot of the template, the settled answers) and its members' votes. Permission checks
// are the routes' (server/access/company-access.ts); these functions trust their arguments.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { assessmentTemplates, assessments, assessmentVotes, companies, users } from '../db/schema.ts';
import { questionCount, templateMax, type AssessmentTemplateBody } from '../../shared/assessment/template.ts';
import { scoreAssessment, trend, weakest, type AssessmentAnswers } from '../../shared/assessment/scoring.ts';
import { asOneLine } from '../../shared/text/one-line.ts';
import type { AssessmentDetail, CompanyAssessments, TemplateInput, TemplateOut } from '../../shared/schemas/assessment.ts';

type TemplateRow = typeof assessmentTemplates.$inferSelect;
export type AssessmentRow = typeof assessments.$inferSelect;

/** Titles stored before they had to be one line are read as one (the editor sends them back). */
function templateOut(row: TemplateRow): TemplateOut {
  const categories = row.body.categories.map((category) => ({ ...category, title: asOneLine(category.title) }));
  return { id: row.id, title: asOneLine(row.title), categories, updatedAt: row.updatedAt.toISOString() };
}

export async function listTemplates(db: Db, ownerId: string): Promise<TemplateOut[]> {
  const rows = await db.select().from(assessmentTemplates).where(eq(assessmentTemplates.ownerId, ownerId)).orderBy(desc(assessmentTemplates.updatedAt));
  return rows.map(templateOut);
}

export async function findTemplate(db: Db, templateId: string): Promise<TemplateRow | null> {
  const [row] = await db.select().from(assessmentTemplates).where(eq(assessmentTemplates.id, templateId));
  return row ?? null;
}

export { templateOut };

export async function createTemplate(db: Db, ownerId: string, input: TemplateInput): Promise<TemplateOut> {
  const [row] = await db
    .insert(assessmentTemplates)
    .values({ id: randomUUID(), ownerId, title: input.title.trim(), body: { categories: input.categories } })
    .returning();
  return templateOut(row!);
}

export async function updateTemplate(db: Db, templateId: string, input: TemplateInput): Promise<TemplateOut> {
  const [row] = await db
    .update(assessmentTemplates)
    .set({ title: input.title.trim(), body: { categories: input.categories }, updatedAt: new Date() })
    .where(eq(assessmentTemplates.id, templateId))
    .returning();
  return templateOut(row!);
}

export async function deleteTemplate(db: Db, templateId: string): Promise<void> {
  await db.delete(assessmentTemplates).where(eq(assessmentTemplates.id, templateId));
}

export async function createAssessment(
  db: Db,
  args: { companyId: string; eventId: string | null; template: TemplateRow; createdBy: string },
): Promise<AssessmentRow> {
  const [row] = await db
    .insert(assessments)
    .values({
      id: randomUUID(),
      companyId: args.companyId,
      eventId: args.eventId,
      templateId: args.template.id,
      title: args.template.title,
      template: args.template.body,
      createdBy: args.createdBy,
    })
    .returning();
  return row!;
}

export async function findAssessment(db: Db, assessmentId: string): Promise<AssessmentRow | null> {
  const [row] = await db.select().from(assessments).where(eq(assessments.id, assessmentId));
  return row ?? null;
}

export async function assessmentDetail(db: Db, row: AssessmentRow): Promise<AssessmentDetail> {
  const votes = await db
    .select({ userId: assessmentVotes.userId, displayName: users.displayName, questionId: assessmentVotes.questionId, value: assessmentVotes.value })
    .from(assessmentVotes)
    .innerJoin(users, eq(users.id, assessmentVotes.userId))
    .where(eq(assessmentVotes.assessmentId, row.id))
    .orderBy(asc(assessmentVotes.updatedAt));
  const answers = row.answers as AssessmentAnswers;
  return {
    id: row.id,
    companyId: row.companyId,
    title: row.title,
    eventId: row.eventId,
    createdAt: row.createdAt.toISOString(),
    categories: row.template.categories,
    answers: row.answers,
    votes,
    result: scoreAssessment(row.template, answers),
    weakest: weakest(row.template, answers),
  };
}

/** A member's own score for a question; null takes it back. */
export async function setVote(db: Db, assessmentId: string, userId: string, questionId: string, value: number | null): Promise<void> {
  const key = and(eq(assessmentVotes.assessmentId, assessmentId), eq(assessmentVotes.userId, userId), eq(assessmentVotes.questionId, questionId));
  if (value === null) {
    await db.delete(assessmentVotes).where(key);
    return;
  }
  await db
    .insert(assessmentVotes)
    .values({ assessmentId, userId, questionId, value })
    .onConflictDoUpdate({ target: [assessmentVotes.assessmentId, assessmentVotes.userId, assessmentVotes.questionId], set: { value, updatedAt: new Date() } });
}

/**
 * The company's settled answer for a question; null unsettles it. One jsonb statement, so two
 * members settling different questions at once both land.
 */
export async function settleAnswer(db: Db, assessmentId: string, questionId: string, value: number | null): Promise<void> {
  const answers =
    value === null ? sql`${assessments.answers} - ${questionId}::text` : sql`${assessments.answers} || jsonb_build_object(${questionId}::text, ${value}::int)`;
  await db.update(assessments).set({ answers, updatedAt: new Date() }).where(eq(assessments.id, assessmentId));
}

export async function companyAssessments(db: Db, companyId: string, facilitatorIds: string[]): Promise<CompanyAssessments> {
  const [company] = await db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId));
  const rows = await db.select().from(assessments).where(eq(assessments.companyId, companyId)).orderBy(asc(assessments.createdAt));
  const templates = facilitatorIds.length
    ? await db.select().from(assessmentTemplates).where(inArray(assessmentTemplates.ownerId, facilitatorIds)).orderBy(desc(assessmentTemplates.updatedAt))
    : [];
  return {
    companyId,
    companyName: company?.name ?? '',
    assessments: rows.map((r) => ({
      id: r.id,
      title: r.title,
      eventId: r.eventId,
      createdAt: r.createdAt.toISOString(),
      total: scoreAssessment(r.template, r.answers as AssessmentAnswers).total,
    })),
    trend: trend(rows.map((r) => ({ id: r.id, at: r.createdAt.toISOString(), template: r.template, answers: r.answers as AssessmentAnswers }))),
    templates: templates.map((t) => ({ id: t.id, title: t.title, questions: questionCount(t.body), max: templateMax(t.body as AssessmentTemplateBody) })),
  };
}
