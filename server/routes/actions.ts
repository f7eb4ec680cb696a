// 持ち帰り (take-home actions) over HTTP. A company's actions are read and written by its members
// in that session and by the event's facilitators; nobody else sees another company's actions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse, EventCompanyParams } from '../../shared/schemas/api.ts';
import { ActionParams, CarryAction, CompanyActions, NewAction, TakeHomeAction, UpdateAction } from '../../shared/schemas/pdca.ts';
import { requireUser } from '../plugins/auth.ts';
import { EVENT_CLOSED, requireMember } from '../control/guards.ts';
import { findMembership } from '../access/membership.ts';
import { companyRole } from '../access/company-access.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { findEventCompany, isEventClosed } from '../domain/events.ts';
import { previousEventCompany, sameCompanyElsewhereInSeries } from '../domain/carry-over.ts';
import { carryAction, companyMembers, createAction, getAction, listActions, updateAction } from '../domain/actions.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const NOT_YOURS = '自社の持ち帰りだけを扱えます / Only your own company’s take-home actions';
const CLOSED_STATUS_ONLY =
  'この会は終了しています。アクションは状態（完了・取りやめなど）だけ変更できます / This session is closed: only the status of its actions (done, dropped…) can change';

/** A change of anything but the status (text, owner, due date). */
function editsMoreThanStatus(change: Record<string, unknown>): boolean {
  return Object.keys(change).some((key) => key !== 'status' && change[key] !== undefined);
}

export const actionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The caller may act for this company in this event (its member there, or a facilitator). */
  async function forCompany(request: FastifyRequest, eventId: string, eventCompanyId: string, { write = false } = {}) {
    const user = requireUser(request);
    const membership = await requireMember(app.db, eventId, user.id);
    if (membership.role !== 'facilitator' && membership.eventCompanyId !== eventCompanyId) throw forbidden(NOT_YOURS);
    if (write && membership.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    if (!(await findEventCompany(app.db, eventId, eventCompanyId))) throw notFound('この会社はこの会に参加していません / No such company in this session');
    return user;
  }

  /** An action, if the caller is a facilitator of its session or a member of its company (any session). */
  async function actionFor(request: FastifyRequest, actionId: string) {
    const user = requireUser(request);
    const action = await getAction(app.db, actionId);
    if (!action) throw notFound('アクションが見つかりません / No such action');
    const membership = await findMembership(app.db, action.eventId, user.id);
    if (membership?.role === 'facilitator') return { user, action };
    const company = await findEventCompany(app.db, action.eventId, action.eventCompanyId);
    if (company && (await companyRole(app.db, user.id, company.companyId)) === 'member') return { user, action };
    throw forbidden(NOT_YOURS);
  }

  app.get(
    '/api/events/:eventId/companies/:eventCompanyId/actions',
    { schema: { params: EventCompanyParams, response: { 200: CompanyActions, ...errors } } },
    async (request) => {
      const { eventId, eventCompanyId } = request.params;
      await forCompany(request, eventId, eventCompanyId);
      const previousId = await previousEventCompany(app.db, eventCompanyId);
      const last = previousId ? await listActions(app.db, previousId) : [];
      return {
        actions: await listActions(app.db, eventCompanyId),
        previous: last.filter((a) => a.status === 'open'),
        reviewed: last.filter((a) => a.status !== 'open'),
        members: await companyMembers(app.db, eventCompanyId),
      };
    },
  );

  app.post(
    '/api/events/:eventId/companies/:eventCompanyId/actions',
    { schema: { params: EventCompanyParams, body: NewAction, response: { 201: TakeHomeAction, ...errors } } },
    async (request, reply) => {
      const { eventId, eventCompanyId } = request.params;
      const user = await forCompany(request, eventId, eventCompanyId, { write: true });
      const body = { ...request.body, ownerUserId: request.body.ownerUserId === undefined && user.kind === 'participant' ? user.id : request.body.ownerUserId };
      const action = await createAction(app.db, eventCompanyId, user.id, body);
      // Only the company and the facilitators show actions: nobody else needs to refetch anything.
      await app.domain.publish({ type: 'actions.changed', eventId, eventCompanyId });
      return reply.code(201).send(action);
    },
  );

  /**
   * Edits an action. Once its event is closed, only its status may change: the next session's
   * review marks last time's actions done or dropped (and carrying one marks it carried), but
   * what was agreed (text, owner, due date) stays as the closed session left it, as the
   * report shows it: 409 with rule 'event-closed' (creating one there is refused alike).
   */
  app.patch('/api/actions/:actionId', { schema: { params: ActionParams, body: UpdateAction, response: { 200: TakeHomeAction, ...errors } } }, async (request) => {
    const { action } = await actionFor(request, request.params.actionId);
    if (editsMoreThanStatus(request.body) && (await isEventClosed(app.db, action.eventId))) throw conflict(CLOSED_STATUS_ONLY, 'event-closed');
    const updated = await updateAction(app.db, action, request.body);
    await app.domain.publish({ type: 'actions.changed', eventId: action.eventId, eventCompanyId: action.eventCompanyId });
    // The next session reviews this action (done / dropped): its members see the change live too.
    for (const other of await sameCompanyElsewhereInSeries(app.db, action.eventCompanyId)) {
      await app.domain.publish({ type: 'actions.changed', ...other });
    }
    return updated;
  });

  app.post(
    '/api/actions/:actionId/carry',
    { schema: { params: ActionParams, body: CarryAction, response: { 201: TakeHomeAction, ...errors } } },
    async (request, reply) => {
      const { user, action } = await actionFor(request, request.params.actionId);
      const target = request.body.eventCompanyId;
      // Into a session where the caller acts for that company.
      const [targetEvent] = await app.db.query.eventCompanies.findMany({ where: (ec, { eq }) => eq(ec.id, target), columns: { eventId: true } });
      if (!targetEvent) throw notFound('引き継ぎ先の会社が見つかりません / No such company in that session');
      await forCompany(request, targetEvent.eventId, target, { write: true });
      // Refused with 409 when the action is no longer open, also when another request carried it a moment ago.
      const carried = await carryAction(app.db, action, target, user.id);
      await app.domain.publish({ type: 'actions.changed', eventId: targetEvent.eventId, eventCompanyId: target });
      // The old one is now carried: whoever shows the earlier session refetches too.
      await app.domain.publish({ type: 'actions.changed', eventId: action.eventId, eventCompanyId: action.eventCompanyId });
      return reply.code(201).send(carried);
    },
  );
};
