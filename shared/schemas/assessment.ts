// HTTP shapes of the CRM practice assessment (shared/assessment/): templates, a company's
// assessments, members' votes and the settled answers.
import { Type, type Static } from 'typebox';
import { ASSESSMENT_LIMITS, ID_PATTERN } from '../assessment/template.ts';
import { OneLineName, OneLineText } from './text.ts';

const Id = Type.String({ format: 'uuid' });
const ItemId = Type.String({ minLength: 1, maxLength: ASSESSMENT_LIMITS.id, pattern: ID_PATTERN });
/** One of the four meanings (0–3). */
const Meaning = Type.Integer({ minimum: 0, maximum: 3 });

export const AssessmentQuestionSchema = Type.Object(
  {
    id: ItemId,
    text: Type.String({ maxLength: ASSESSMENT_LIMITS.questionText }),
    maxPoints: Type.Union([Type.Literal(3), Type.Literal(4)]),
  },
  { additionalProperties: false },
);

export const AssessmentCategorySchema = Type.Object(
  {
    id: ItemId,
    title: OneLineText(ASSESSMENT_LIMITS.categoryTitle),
    questions: Type.Array(AssessmentQuestionSchema, { maxItems: ASSESSMENT_LIMITS.questionsPerCategory }),
  },
  { additionalProperties: false },
);

export const TemplateInput = Type.Object(
  {
    title: OneLineName(ASSESSMENT_LIMITS.title),
    categories: Type.Array(AssessmentCategorySchema, { maxItems: ASSESSMENT_LIMITS.categories }),
  },
  { additionalProperties: false },
);
export type TemplateInput = Static<typeof TemplateInput>;

export const TemplateOut = Type.Object({
  id: Id,
  title: Type.String(),
  categories: Type.Array(AssessmentCategorySchema),
  updatedAt: Type.String(),
});
export type TemplateOut = Static<typeof TemplateOut>;

export const StarterOut = Type.Object({ title: Type.String(), categories: Type.Array(AssessmentCategorySchema) });

export const TemplateParams = Type.Object({ templateId: Id });
export const CompanyParams = Type.Object({ companyId: Id });
export const AssessmentParams = Type.Object({ assessmentId: Id });
export const QuestionParams = Type.Object({ assessmentId: Id, questionId: ItemId });

export const NewAssessment = Type.Object(
  {
    templateId: Id,
    /** The session the assessment is filled in; omitted for one made on its own. */
    eventId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/**
 * A vote or a settled answer: one of the four meanings, or null to clear it. One `type` array,
 * not a union: with a union, Fastify's type coercion would turn null into 0 in the first branch.
 */
export const AnswerInput = Type.Object(
  { value: Type.Unsafe<0 | 1 | 2 | 3 | null>({ type: ['integer', 'null'], minimum: 0, maximum: 3 }) },
  { additionalProperties: false },
);

const tally = { points: Type.Integer(), max: Type.Integer(), answeredMax: Type.Integer(), answered: Type.Integer(), questions: Type.Integer() };
const TallySchema = Type.Object(tally);

export const AssessmentSummary = Type.Object({
  id: Id,
  title: Type.String(),
  eventId: Type.Union([Id, Type.Null()]),
  createdAt: Type.String(),
  total: TallySchema,
});

export const AssessmentDetail = Type.Object({
  id: Id,
  companyId: Id,
  title: Type.String(),
  eventId: Type.Union([Id, Type.Null()]),
  createdAt: Type.String(),
  categories: Type.Array(AssessmentCategorySchema),
  /** Settled answer per question id. */
  answers: Type.Record(Type.String(), Meaning),
  /** Every member's vote: who, which question, which meaning. */
  votes: Type.Array(Type.Object({ userId: Id, displayName: Type.String(), questionId: Type.String(), value: Meaning })),
  result: Type.Object({ categories: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), ...tally })), total: TallySchema }),
  weakest: Type.Object({
    categories: Type.Array(Type.String()),
    questions: Type.Array(Type.Object({ categoryId: Type.String(), questionId: Type.String(), text: Type.String(), value: Meaning })),
  }),
});
export type AssessmentDetail = Static<typeof AssessmentDetail>;

export const CompanyAssessments = Type.Object({
  companyId: Id,
  companyName: Type.String(),
  assessments: Type.Array(AssessmentSummary),
  /** Oldest first: totals and per-category tallies with the change since the previous one. */
  trend: Type.Array(
    Type.Object({
      id: Id,
      at: Type.String(),
      total: TallySchema,
      categories: Type.Record(Type.String(), TallySchema),
      change: Type.Object({ total: Type.Union([Type.Integer(), Type.Null()]), categories: Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Null()])) }),
    }),
  ),
  /** Templates this company may start an assessment from (those of its sessions' facilitators). */
  templates: Type.Array(Type.Object({ id: Id, title: Type.String(), questions: Type.Integer(), max: Type.Integer() })),
});
export type CompanyAssessments = Static<typeof CompanyAssessments>;
