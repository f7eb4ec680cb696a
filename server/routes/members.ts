// The company boundary, for facilitators: members per company (and removing one), locking an
// event's companies, per-company invite codes, and approving or rejecting join requests.
// Participants may list their own company's members; everything else is facilitators only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponse, EventCompanyParams, EventDetail, EventParams } from '../../shared/schemas/api.ts';
import {
  EventMemberParams,
  EventMembers,
  InviteCodeResponse,
  JoinRequestParams,
  PendingJoinRequest,
  UpdateEvent,
} from '../../shared/schemas/members.ts';
import type { Membership } from '../access/membership.ts';
import { FACILITATORS_ONLY, requireFacilitator, requireMember } from '../control/guards.ts';
import { requireUser } from '../plugins/auth.ts';
import { forbidden, notFound } from '../errors.ts';
import * as eventsDomain from '../domain/events.ts';
import * as membersDomain from '../domain/members.ts';
import { carryOverWorksheet } from '../domain/carry-over.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The same membership / role / open-event checks (and messages) as the control plane's.
  const member = (request: FastifyRequest, eventId: string): Promise<Membership> => requireMember(app.db, eventId, requireUser(request).id);
  const facilitator = (request: FastifyRequest, eventId: string): Promise<Membership> =>
    requireFacilitator(app.db, eventId, requireUser(request).id);

  async function companyOf(eventId: string, eventCompanyId: string) {
    const company = await eventsDomain.findEventCompany(app.db, eventId, eventCompanyId);
    if (!company) throw notFound('この会社はこの会に参加していません / No such company in this session');
    return company;
  }

  app.get(
    '/api/events/:eventId/members',
    { schema: { params: EventParams, response: { 200: EventMembers, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      return membersDomain.listMembers(app.db, eventId, await member(request, eventId));
    },
  );

  app.delete(
    '/api/events/:eventId/members/:userId',
    { schema: { params: EventMemberParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { eventId, userId } = request.params;
      await facilitator(request, eventId);
      const removed = await membersDomain.removeMember(app.db, eventId, userId);
      // Subscribers close the user's documents for this event, take their control sockets out of
      // the event's channels (telling them why) and tell everyone else the event changed.
      await app.domain.publish({ type: 'member.removed', eventId, userId, ...removed });
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/events/:eventId',
    { schema: { params: EventParams, body: UpdateEvent, response: { 200: EventDetail, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      const me = await facilitator(request, eventId);
      await membersDomain.setCompaniesLocked(app.db, eventId, request.body.companiesLocked);
      await app.domain.publish({ type: 'event.changed', eventId });
      return eventsDomain.getEventDetail(app.db, eventId, me);
    },
  );

  app.post(
    '/api/events/:eventId/companies/:eventCompanyId/invite',
    { schema: { params: EventCompanyParams, response: { 200: InviteCodeResponse, ...errors } } },
    async (request) => {
      const { eventId, eventCompanyId } = request.params;
      await facilitator(request, eventId);
      await companyOf(eventId, eventCompanyId);
      return { inviteCode: await membersDomain.rotateInviteCode(app.db, eventCompanyId) };
    },
  );

  app.delete(
    '/api/events/:eventId/companies/:eventCompanyId/invite',
    { schema: { params: EventCompanyParams, response: { 200: InviteCodeResponse, ...errors } } },
    async (request) => {
      const { eventId, eventCompanyId } = request.params;
      await facilitator(request, eventId);
      await companyOf(eventId, eventCompanyId);
      await membersDomain.revokeInviteCode(app.db, eventCompanyId);
      return { inviteCode: null };
    },
  );

  app.get(
    '/api/events/:eventId/join-requests',
    { schema: { params: EventParams, response: { 200: Type.Array(PendingJoinRequest), ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      const me = await member(request, eventId);
      if (me.role !== 'facilitator') throw forbidden(FACILITATORS_ONLY);
      return membersDomain.listPendingRequests(app.db, eventId);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/api/events/:eventId/join-requests/:requestId/${decision}`,
      { schema: { params: JoinRequestParams, response: { 204: Type.Null(), ...errors } } },
      async (request, reply) => {
        const { eventId, requestId } = request.params;
        await facilitator(request, eventId);
        const approve = decision === 'approve';
        const result = await membersDomain.decideRequest(app.db, eventId, requestId, requireUser(request).id, approve);
        await app.domain.publish({ type: 'join-requests.changed', eventId, added: false });
        // Approved: the person is in, and their company with them (it may be new to the session).
        if (result.joined && result.eventCompanyId !== null) {
          const { eventCompanyId, userId, displayName } = result;
          // The company's first person here: its last worksheet in the series carries over now.
          if (result.firstOfCompany) {
            try {
              await carryOverWorksheet(app.db, app.docs, eventCompanyId);
            } catch (err) {
              app.log.error({ err, eventCompanyId }, 'could not carry the worksheet over');
            }
          }
          await app.domain.publish({ type: 'member.joined', eventId, eventCompanyId, userId, displayName });
          await app.domain.publish({ type: 'event.changed', eventId });
          if (result.assignedActions > 0) await app.domain.publish({ type: 'actions.changed', eventId, eventCompanyId });
        }
        return reply.code(204).send(null);
      },
    );
  }
};
