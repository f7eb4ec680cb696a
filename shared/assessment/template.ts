// The CRM practice assessment (a consultant's published method, not the association's): a
// template of categories and questions, each question answered by the team with one of the four
// meanings of shared/jcrm/scoring.ts (0–3). One question may be worth 4 points so that 33
// questions total 100; which one is the facilitator's choice (DOMAIN.md: not given anywhere).
//
// The 4-point rule (the simplest faithful one): that question is answered on the same four
// meanings; 完全に達成している earns its full 4 points, the other meanings earn their usual 2, 1, 0.
// So only full achievement earns the extra point, and every total stays a whole number.
import { isScoreValue, type ScoreValue } from '../jcrm/scoring.ts';

export interface AssessmentQuestion {
  /** Stable within the template (answers and trends refer to it). */
  id: string;
  text: string;
  /** 3 for every question but at most one, which may be worth 4. */
  maxPoints: 3 | 4;
}

export interface AssessmentCategory {
  id: string;
  title: string;
  questions: AssessmentQuestion[];
}

export interface AssessmentTemplateBody {
  categories: AssessmentCategory[];
}

export const ASSESSMENT_LIMITS = {
  title: 120,
  categoryTitle: 80,
  questionText: 300,
  categories: 12,
  questionsPerCategory: 20,
  questions: 100,
  id: 40,
} as const;

/** What an answer (one of the four meanings) earns on a question. */
export function pointsFor(question: Pick<AssessmentQuestion, 'maxPoints'>, value: ScoreValue): number {
  return question.maxPoints === 4 && value === 3 ? 4 : value;
}

export const ID_PATTERN = '^[a-z0-9][a-z0-9-]*$';
const idRegex = new RegExp(ID_PATTERN);

export interface TemplateProblem {
  /** Where: `categories[2].questions[0].text`, or '' for the template as a whole. */
  path: string;
  code: 'empty' | 'too-long' | 'too-many' | 'duplicate-id' | 'bad-id' | 'several-4-point' | 'bad-points';
  message: string;
}

const isBlank = (s: string) => s.trim() === '';
/** Code points, as the JSON schemas count them. */
const length = (s: string) => [...s].length;

/**
 * Everything wrong with a template body (empty = valid). The HTTP schema checks the shape; this
 * checks what a schema cannot: unique ids, at most one 4-point question, blank texts.
 */
export function validateTemplate(body: AssessmentTemplateBody): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const checkId = (id: string, path: string) => {
    if (!idRegex.test(id) || length(id) > ASSESSMENT_LIMITS.id) {
      problems.push({ path, code: 'bad-id', message: 'ID は英小文字・数字・ハイフンで40文字以内 / An id is lower-case letters, digits and hyphens, at most 40' });
    } else if (seen.has(id)) {
      problems.push({ path, code: 'duplicate-id', message: `ID「${id}」が重複しています / The id "${id}" is used twice` });
    }
    seen.add(id);
  };
  const checkText = (text: string, max: number, path: string, what: string) => {
    if (isBlank(text)) problems.push({ path, code: 'empty', message: `${what}を入力してください / ${what === '質問' ? 'A question' : 'A category title'} cannot be empty` });
    else if (length(text) > max) problems.push({ path, code: 'too-long', message: `${what}は${max}文字以内にしてください / At most ${max} characters` });
  };

  if (body.categories.length === 0) problems.push({ path: 'categories', code: 'empty', message: 'カテゴリーが1つ以上必要です / Add at least one category' });
  if (body.categories.length > ASSESSMENT_LIMITS.categories) {
    problems.push({ path: 'categories', code: 'too-many', message: `カテゴリーは${ASSESSMENT_LIMITS.categories}個までです / At most ${ASSESSMENT_LIMITS.categories} categories` });
  }
  let questions = 0;
  let fourPoint = 0;
  body.categories.forEach((category, c) => {
    const at = `categories[${c}]`;
    checkId(category.id, `${at}.id`);
    checkText(category.title, ASSESSMENT_LIMITS.categoryTitle, `${at}.title`, 'カテゴリー名');
    if (category.questions.length > ASSESSMENT_LIMITS.questionsPerCategory) {
      problems.push({ path: `${at}.questions`, code: 'too-many', message: `1カテゴリーの質問は${ASSESSMENT_LIMITS.questionsPerCategory}個までです / At most ${ASSESSMENT_LIMITS.questionsPerCategory} questions per category` });
    }
    category.questions.forEach((question, q) => {
      const qat = `${at}.questions[${q}]`;
      questions++;
      checkId(question.id, `${qat}.id`);
      checkText(question.text, ASSESSMENT_LIMITS.questionText, `${qat}.text`, '質問');
      if (question.maxPoints === 4) fourPoint++;
      else if (question.maxPoints !== 3) problems.push({ path: `${qat}.maxPoints`, code: 'bad-points', message: '配点は3点か4点です / A question is worth 3 or 4 points' });
    });
  });
  if (questions > ASSESSMENT_LIMITS.questions) {
    problems.push({ path: 'categories', code: 'too-many', message: `質問は全体で${ASSESSMENT_LIMITS.questions}個までです / At most ${ASSESSMENT_LIMITS.questions} questions` });
  }
  if (fourPoint > 1) {
    problems.push({ path: 'categories', code: 'several-4-point', message: '4点の質問は1つだけにしてください / Only one question may be worth 4 points' });
  }
  return problems;
}

export function questionCount(body: AssessmentTemplateBody): number {
  return body.categories.reduce((n, c) => n + c.questions.length, 0);
}

/** The template's maximum: every question at its full points. */
export function templateMax(body: AssessmentTemplateBody): number {
  return body.categories.reduce((n, c) => n + c.questions.reduce((m, q) => m + q.maxPoints, 0), 0);
}

export function findQuestion(body: AssessmentTemplateBody, questionId: string): AssessmentQuestion | undefined {
  for (const c of body.categories) for (const q of c.questions) if (q.id === questionId) return q;
  return undefined;
}

export { isScoreValue };
