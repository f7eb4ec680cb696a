// The CRM practice assessment's HTTP calls (server/routes/assessments.ts).
import { request } from './http.ts';
import type { AssessmentDetail, CompanyAssessments, TemplateInput, TemplateOut } from '../../../shared/schemas/assessment.ts';
import type { AssessmentTemplateBody } from '../../../shared/assessment/template.ts';

export const assessmentApi = {
  starter: () => request<{ title: string } & AssessmentTemplateBody>('GET', '/api/assessment-templates/starter'),
  templates: () => request<TemplateOut[]>('GET', '/api/assessment-templates'),
  createTemplate: (body: TemplateInput) => request<TemplateOut>('POST', '/api/assessment-templates', body),
  saveTemplate: (id: string, body: TemplateInput) => request<TemplateOut>('PUT', `/api/assessment-templates/${id}`, body),
  deleteTemplate: (id: string) => request<null>('DELETE', `/api/assessment-templates/${id}`),
  company: (companyId: string) => request<CompanyAssessments>('GET', `/api/companies/${companyId}/assessments`),
  create: (companyId: string, templateId: string, eventId?: string) =>
    request<AssessmentDetail>('POST', `/api/companies/${companyId}/assessments`, eventId ? { templateId, eventId } : { templateId }),
  get: (id: string) => request<AssessmentDetail>('GET', `/api/assessments/${id}`),
  vote: (id: string, questionId: string, value: number | null) => request<AssessmentDetail>('PUT', `/api/assessments/${id}/votes/${questionId}`, { value }),
  settle: (id: string, questionId: string, value: number | null) => request<AssessmentDetail>('PUT', `/api/assessments/${id}/answers/${questionId}`, { value }),
};
