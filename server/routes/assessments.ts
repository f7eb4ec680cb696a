// The CRM practice assessment over HTTP. Facilitators manage their own templates; a company's
// members (and the facilitators of its sessions) make its assessments from those templates, see
// them, and settle one answer per question; members also give their own vote per question.
// Another company's members get 403 on every route of an assessment that is not theirs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse } from '../../shared/schemas/api.ts';
import {
  AnswerInput,
  AssessmentDetail,
  AssessmentParams,
  CompanyAssessments,
  CompanyParams,
  NewAssessment,
  QuestionParams,
  StarterOut,
  TemplateInput,
  TemplateOut,
  TemplateParams,
} from '../../shared/schemas/assessment.ts';
import { findQuestion, questionCount, validateTemplate } from '../../shared/assessment/template.ts';
import { STARTER_TITLE, starterTemplate } from '../../shared/assessment/starter.ts';
import { companyFacilitators, companyRole, mayAssessInEvent, type CompanyRole } from '../access/company-access.ts';
import { findMembership } from '../access/membership.ts';
import { requireFacilitatorAccount, requireUser } from '../plugins/auth.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { EVENT_CLOSED } from '../control/guards.ts';
import { isEventClosed } from '../domain/events.ts';
import * as domain from '../domain/assessments.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const NOT_YOURS = 'この会社のアセスメントは見られません / This is not your company’s assessment';
const CLOSED_READ_ONLY =
  'この会は終了しているため、このアセスメントは閲覧のみです / This session is closed: its assessment is read-only';

export const assessmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function ownTemplate(request: FastifyRequest, templateId: string) {
    const user = requireFacilitatorAccount(request);
    const template = await domain.findTemplate(app.db, templateId);
    if (!template) throw notFound('テンプレートが見つかりません / No such template');
    if (template.ownerId !== user.id) throw forbidden('自分のテンプレートだけ編集できます / You can edit only your own templates');
    return template;
  }

  /** Checks the body beyond its shape; answers 400 naming the first problem's place. */
  function refuseInvalid(body: TemplateInput, reply: FastifyReply): boolean {
    const problems = validateTemplate(body);
    if (problems.length === 0) return false;
    const [first] = problems;
    void reply.code(400).send({ statusCode: 400, error: 'Bad Request', field: first!.path, rule: first!.code, message: first!.message });
    return true;
  }

  async function roleOn(request: FastifyRequest, companyId: string): Promise<CompanyRole> {
    const role = await companyRole(app.db, requireUser(request).id, companyId);
    if (!role) throw forbidden(NOT_YOURS);
    return role;
  }

  async function assessmentFor(request: FastifyRequest, assessmentId: string) {
    const row = await domain.findAssessment(app.db, assessmentId);
    // Whether an assessment exists is itself the company's business: a stranger gets 403 either way.
    if (!row) {
      requireUser(request);
      throw forbidden(NOT_YOURS);
    }
    return { row, role: await roleOn(request, row.companyId) };
  }

  /**
   * An assessment filed under a session is part of that session's record (its report shows it),
   * and closing an event makes it read-only: no new one is filed under it, and its votes and
   * answers stay as they were (409, rule 'event-closed'). An assessment on its own (no session)
   * is never closed.
   */
  async function refuseIfClosed(row: domain.AssessmentRow): Promise<void> {
    if (row.eventId && (await isEventClosed(app.db, row.eventId))) throw conflict(CLOSED_READ_ONLY, 'event-closed');
  }

  function questionOf(row: domain.AssessmentRow, questionId: string) {
    if (!findQuestion(row.template, questionId)) throw notFound('この質問はアセスメントにありません / No such question in this assessment');
  }

  app.get('/api/assessment-templates/starter', { schema: { response: { 200: StarterOut, ...errors } } }, async (request) => {
    requireFacilitatorAccount(request);
    return { title: STARTER_TITLE, ...starterTemplate() };
  });

  app.get('/api/assessment-templates', { schema: { response: { 200: Type.Array(TemplateOut), ...errors } } }, async (request) => {
    return domain.listTemplates(app.db, requireFacilitatorAccount(request).id);
  });

  app.post('/api/assessment-templates', { schema: { body: TemplateInput, response: { 201: TemplateOut, ...errors } } }, async (request, reply) => {
    const user = requireFacilitatorAccount(request);
    if (refuseInvalid(request.body, reply)) return reply;
    return reply.code(201).send(await domain.createTemplate(app.db, user.id, request.body));
  });

  app.get('/api/assessment-templates/:templateId', { schema: { params: TemplateParams, response: { 200: TemplateOut, ...errors } } }, async (request) => {
    return domain.templateOut(await ownTemplate(request, request.params.templateId));
  });

  app.put(
    '/api/assessment-templates/:templateId',
    { schema: { params: TemplateParams, body: TemplateInput, response: { 200: TemplateOut, ...errors } } },
    async (request, reply) => {
      await ownTemplate(request, request.params.templateId);
      if (refuseInvalid(request.body, reply)) return reply;
      // Assessments already made keep their own copy of the template.
      return domain.updateTemplate(app.db, request.params.templateId, request.body);
    },
  );

  app.delete(
    '/api/assessment-templates/:templateId',
    { schema: { params: TemplateParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await ownTemplate(request, request.params.templateId);
      await domain.deleteTemplate(app.db, request.params.templateId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/companies/:companyId/assessments',
    { schema: { params: CompanyParams, response: { 200: CompanyAssessments, ...errors } } },
    async (request) => {
      const { companyId } = request.params;
      await roleOn(request, companyId);
      return domain.companyAssessments(app.db, companyId, await companyFacilitators(app.db, companyId));
    },
  );

  app.post(
    '/api/companies/:companyId/assessments',
    { schema: { params: CompanyParams, body: NewAssessment, response: { 201: AssessmentDetail, ...errors } } },
    async (request, reply) => {
      const { companyId } = request.params;
      const user = requireUser(request);
      await roleOn(request, companyId);
      const template = await domain.findTemplate(app.db, request.body.templateId);
      // Only the templates of this company's facilitators (or the caller's own).
      if (!template || (template.ownerId !== user.id && !(await companyFacilitators(app.db, companyId)).includes(template.ownerId))) {
        throw notFound('このテンプレートは使えません / No such template for this company');
      }
      if (questionCount(template.body) === 0) throw badRequest('質問のないテンプレートでは始められません / The template has no questions yet');
      const eventId = request.body.eventId ?? null;
      if (eventId) {
        const may = await mayAssessInEvent(app.db, user.id, eventId, companyId);
        if (may === 'no') throw forbidden('この会でこの会社のアセスメントは作れません / Not your company in this session');
        if (may === 'not-in-event') throw notFound('この会社はこの会に参加していません / No such company in this session');
        const member = (await findMembership(app.db, eventId, user.id))!;
        if (member.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
      }
      const row = await domain.createAssessment(app.db, { companyId, eventId, template, createdBy: user.id });
      return reply.code(201).send(await domain.assessmentDetail(app.db, row));
    },
  );

  app.get(
    '/api/assessments/:assessmentId',
    { schema: { params: AssessmentParams, response: { 200: AssessmentDetail, ...errors } } },
    async (request) => {
      const { row } = await assessmentFor(request, request.params.assessmentId);
      return domain.assessmentDetail(app.db, row);
    },
  );

  app.put(
    '/api/assessments/:assessmentId/votes/:questionId',
    { schema: { params: QuestionParams, body: AnswerInput, response: { 200: AssessmentDetail, ...errors } } },
    async (request) => {
      const { assessmentId, questionId } = request.params;
      const { row, role } = await assessmentFor(request, assessmentId);
      // Votes are the company's own members' scores; facilitators settle but do not vote.
      if (role !== 'member') throw forbidden('採点は会社のメンバーが行います / Only the company’s members score');
      questionOf(row, questionId);
      await refuseIfClosed(row);
      await domain.setVote(app.db, assessmentId, requireUser(request).id, questionId, request.body.value);
      return domain.assessmentDetail(app.db, row);
    },
  );

  app.put(
    '/api/assessments/:assessmentId/answers/:questionId',
    { schema: { params: QuestionParams, body: AnswerInput, response: { 200: AssessmentDetail, ...errors } } },
    async (request) => {
      const { assessmentId, questionId } = request.params;
      const { row } = await assessmentFor(request, assessmentId);
      questionOf(row, questionId);
      await refuseIfClosed(row);
      await domain.settleAnswer(app.db, assessmentId, questionId, request.body.value);
      return domain.assessmentDetail(app.db, (await domain.findAssessment(app.db, assessmentId))!);
    },
  );
};
