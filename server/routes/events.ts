// The events API. Every route first establishes the caller's role in that event; a caller who is
// not a member gets 403 whether or not the event exists, so nothing leaks across events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  AddCompany,
  AddedEventCompany,
  AddFacilitator,
  CoFacilitator,
  ErrorResponse,
  EventCompany,
  EventCompanyParams,
  EventDetail,
  EventParams,
  EventSummary,
  JoinCodeResponse,
  NewEvent,
  NewRoom,
  Room,
  UpdateEventCompany,
} from '../../shared/schemas/api.ts';
import { findMembership, type Membership } from '../access/membership.ts';
import { requireFacilitatorAccount, requireUser } from '../plugins/auth.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { EVENT_CLOSED, FACILITATORS_ONLY, NOT_A_MEMBER } from '../control/guards.ts';
import * as eventsDomain from '../domain/events.ts';
import { carryOverWorksheet } from '../domain/carry-over.ts';
import { getMeetupState } from '../domain/meetup.ts';
import type { Db } from '../db/client.ts';
import { requireUsableSeries } from '../domain/series.ts';
import { findAccountByEmail } from '../domain/users.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function member(request: FastifyRequest, eventId: string): Promise<Membership> {
    const user = requireUser(request);
    const found = await findMembership(app.db, eventId, user.id);
    if (!found) throw forbidden(NOT_A_MEMBER);
    return found;
  }

  async function facilitator(request: FastifyRequest, eventId: string, { mustBeOpen = true } = {}): Promise<Membership> {
    const found = await member(request, eventId);
    if (found.role !== 'facilitator') throw forbidden(FACILITATORS_ONLY);
    if (mustBeOpen && found.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    return found;
  }

  function announce(eventId: string) {
    return app.domain.publish({ type: 'event.changed', eventId });
  }

  app.post('/api/events', { schema: { body: NewEvent, response: { 201: EventSummary, ...errors } } }, async (request, reply) => {
    const user = requireFacilitatorAccount(request);
    if (request.body.seriesId) await requireUsableSeries(app.db, user.id, request.body.seriesId);
    return reply.code(201).send(await eventsDomain.createEvent(app.db, user.id, request.body));
  });

  app.get('/api/events', { schema: { response: { 200: Type.Array(EventSummary), ...errors } } }, async (request) =>
    eventsDomain.listEventsOf(app.db, requireUser(request).id),
  );

  app.get(
    '/api/events/:eventId',
    { schema: { params: EventParams, response: { 200: EventDetail, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      return eventsDomain.getEventDetail(app.db, eventId, await member(request, eventId));
    },
  );

  app.post(
    '/api/events/:eventId/close',
    { schema: { params: EventParams, response: { 200: EventDetail, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      const me = await facilitator(request, eventId, { mustBeOpen: false });
      await eventsDomain.closeEvent(app.db, eventId);
      // Subscribers push the change and reconnect open documents read-only; open boards and
      // consoles get the stopped clock and no banners.
      await app.domain.publish({ type: 'event.closed', eventId });
      await app.domain.publish({ type: 'meetup.changed', eventId, state: await getMeetupState(app.db, eventId) });
      return eventsDomain.getEventDetail(app.db, eventId, { ...me, eventStatus: 'closed' });
    },
  );

  app.get(
    '/api/events/:eventId/companies',
    { schema: { params: EventParams, response: { 200: Type.Array(EventCompany), ...errors } } },
    async (request) => {
      await member(request, request.params.eventId);
      return eventsDomain.listEventCompanies(app.db, request.params.eventId);
    },
  );

  app.post(
    '/api/events/:eventId/companies',
    { schema: { params: EventParams, body: AddCompany, response: { 201: AddedEventCompany, ...errors } } },
    async (request, reply) => {
      const { eventId } = request.params;
      await facilitator(request, eventId);
      const body = request.body;
      // One transaction under the event's row lock: a company past the session's limit (409,
      // rule 'company-limit') leaves no new company behind, and two additions at once cannot both
      // take the last place.
      const { companyId, eventCompanyId, created } = await app.db.transaction(async (tx) => {
        // The event's row before the company's (found by name, locked FOR KEY SHARE), the order a
        // refusal takes them in when it deletes a company nothing holds (dropUnusedCompany).
        await eventsDomain.lockEventRow(tx, eventId);
        const companyId = 'companyId' in body ? body.companyId : await eventsDomain.findOrCreateCompany(tx, body.name);
        const joined = await eventsDomain.joinCompanyToEvent(tx, eventId, companyId);
        return { companyId, eventCompanyId: joined.id, created: joined.created };
      });
      if (created) await carryOverWorksheet(app.db, app.docs, eventCompanyId);
      await announce(eventId);
      // An existing company (found by name) brings its history from other sessions along: say so,
      // so the facilitator knows what this session's facilitators can now see. Only when this
      // request linked it: a company already in the session had linked it before.
      const otherSessions = await eventsDomain.otherSessionsOfCompany(app.db, companyId, eventId);
      const all = await eventsDomain.listEventCompanies(app.db, eventId);
      return reply.code(201).send({ ...all.find((c) => c.id === eventCompanyId)!, reused: created && otherSessions > 0, otherSessions });
    },
  );

  app.patch(
    '/api/events/:eventId/companies/:eventCompanyId',
    { schema: { params: EventCompanyParams, body: UpdateEventCompany, response: { 200: EventCompany, ...errors } } },
    async (request) => {
      const { eventId, eventCompanyId } = request.params;
      await facilitator(request, eventId);
      const target = await eventsDomain.findEventCompany(app.db, eventId, eventCompanyId);
      if (!target) throw notFound('この会社はこの会に参加していません / No such company in this session');
      const { name, roomId } = request.body;
      // One transaction: a refused half (bad room, clashing name) must not leave the other applied.
      await app.db.transaction(async (tx) => {
        if (name !== undefined) await eventsDomain.renameCompany(tx, target.companyId, name);
        if (roomId !== undefined) await eventsDomain.seatCompany(tx, eventId, eventCompanyId, roomId);
      });
      // A move changes no document rights: a company writes only its own sheet, wherever it sits.
      if (roomId !== undefined && roomId !== target.roomId) {
        await app.domain.publish({ type: 'company.moved', eventId, eventCompanyId, fromRoomId: target.roomId, toRoomId: roomId });
      }
      await announce(eventId);
      const all = await eventsDomain.listEventCompanies(app.db, eventId);
      return all.find((c) => c.id === eventCompanyId)!;
    },
  );

  // A second facilitator runs the event too (an existing facilitator account, found by email).
  app.post(
    '/api/events/:eventId/facilitators',
    { schema: { params: EventParams, body: AddFacilitator, response: { 201: CoFacilitator, 200: CoFacilitator, ...errors } } },
    async (request, reply) => {
      const { eventId } = request.params;
      await facilitator(request, eventId);
      const account = await findAccountByEmail(app.db, request.body.email);
      if (!account || account.kind !== 'facilitator') {
        throw notFound('このメールアドレスのファシリテーターはいません（先にアカウントを作成してください） / No facilitator account has this email (create one first)');
      }
      const added = await eventsDomain.addFacilitator(app.db, eventId, account.id);
      await announce(eventId);
      return reply.code(added ? 201 : 200).send({ userId: account.id, displayName: account.displayName });
    },
  );

  app.get(
    '/api/events/:eventId/rooms',
    { schema: { params: EventParams, response: { 200: Type.Array(Room), ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      return (await eventsDomain.getEventDetail(app.db, eventId, await member(request, eventId))).rooms;
    },
  );

  app.post(
    '/api/events/:eventId/rooms',
    { schema: { params: EventParams, body: NewRoom, response: { 201: Room, ...errors } } },
    async (request, reply) => {
      const { eventId } = request.params;
      await facilitator(request, eventId);
      const room = await app.db.transaction((tx) => eventsDomain.createRoom(tx as unknown as Db, eventId, request.body.name));
      await announce(eventId);
      await app.domain.publish({ type: 'meetup.changed', eventId, state: await getMeetupState(app.db, eventId) });
      return reply.code(201).send(room);
    },
  );

  app.post(
    '/api/events/:eventId/join-code',
    { schema: { params: EventParams, response: { 200: JoinCodeResponse, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      await facilitator(request, eventId);
      return { joinCode: await eventsDomain.rotateJoinCode(app.db, eventId) };
    },
  );

  app.delete(
    '/api/events/:eventId/join-code',
    { schema: { params: EventParams, response: { 200: JoinCodeResponse, ...errors } } },
    async (request) => {
      const { eventId } = request.params;
      await facilitator(request, eventId, { mustBeOpen: false });
      await eventsDomain.revokeJoinCode(app.db, eventId);
      return { joinCode: null };
    },
  );
};
