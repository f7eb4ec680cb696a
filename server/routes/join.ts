// Participants join with an invite link / join code: no password, just a name and a company.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { ErrorResponse, JoinCodeParams, JoinInfo, JoinRequest, JoinResponse } from '../../shared/schemas/api.ts';
import { normalizeJoinCode } from '../../shared/jcrm/join-code.ts';
import { eventMembers } from '../db/schema.ts';
import { findMembership } from '../access/membership.ts';
import { createParticipant, publicUser } from '../domain/users.ts';
import * as eventsDomain from '../domain/events.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';

export interface JoinRouteOptions {
  joinPerMinute: number;
}

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse };
const NOT_OF_EVENT = 'eventCompanyId: この会社はイベントに参加していません / not a company of this event';
const ALREADY_MEMBER =
  '既にこのイベントに会社なしで参加しています。イベントを直接開いてください / You already take part in this event without a company; open the event directly';
const UNKNOWN_CODE = '参加コードが見つからないか、無効です / This join code is unknown or no longer valid';

export const joinRoutes: FastifyPluginAsyncTypebox<JoinRouteOptions> = async (app, { joinPerMinute }) => {
  const limited = { rateLimit: { max: joinPerMinute, timeWindow: '1 minute' } };

  app.get(
    '/api/join/:code',
    { config: limited, schema: { params: JoinCodeParams, response: { 200: JoinInfo, ...errors } } },
    async (request) => {
      const event = await eventsDomain.findOpenEventByJoinCode(app.db, normalizeJoinCode(request.params.code));
      if (!event) throw notFound(UNKNOWN_CODE);
      const companies = await eventsDomain.listEventCompanies(app.db, event.id);
      return { eventId: event.id, title: event.title, date: event.date, companies: companies.map(({ id, name }) => ({ id, name })) };
    },
  );

  app.post(
    '/api/join',
    { config: limited, schema: { body: JoinRequest, response: { 201: JoinResponse, ...errors } } },
    async (request, reply) => {
      const body = request.body;
      if ((body.eventCompanyId === undefined) === (body.companyName === undefined)) {
        throw badRequest('会社を選ぶか、新しい会社名を入力してください / Give exactly one of eventCompanyId or companyName');
      }
      const event = await eventsDomain.findOpenEventByJoinCode(app.db, normalizeJoinCode(body.code));
      if (!event) throw notFound(UNKNOWN_CODE);

      // Already a member for a company from this browser under this name (e.g. clicked the link
      // twice): keep that identity and company, and don't add the company named this time.
      const current = request.user;
      const samePerson = current !== null && current.displayName === body.displayName.trim();
      const existing = current && samePerson ? await findMembership(app.db, event.id, current.id) : null;
      if (current && existing?.eventCompanyId) {
        return reply.code(201).send({ eventId: event.id, eventCompanyId: existing.eventCompanyId, role: existing.role, user: publicUser(current) });
      }

      // A member speaking for no company (a facilitator trying the link): keep that identity, and
      // look the company up without creating it — the join changes nothing for them.
      if (current && existing) {
        const found =
          body.eventCompanyId !== undefined
            ? await eventsDomain.findEventCompany(app.db, event.id, body.eventCompanyId)
            : await eventsDomain.findEventCompanyByName(app.db, event.id, body.companyName!);
        if (!found && body.eventCompanyId !== undefined) throw badRequest(NOT_OF_EVENT);
        if (!found) throw conflict(ALREADY_MEMBER);
        return reply.code(201).send({ eventId: event.id, eventCompanyId: found.id, role: existing.role, user: publicUser(current) });
      }

      let eventCompanyId: string;
      if (body.eventCompanyId !== undefined) {
        const found = await eventsDomain.findEventCompany(app.db, event.id, body.eventCompanyId);
        if (!found) throw badRequest(NOT_OF_EVENT);
        eventCompanyId = found.id;
      } else {
        const companyId = await eventsDomain.findOrCreateCompany(app.db, body.companyName!);
        eventCompanyId = await eventsDomain.addCompanyToEvent(app.db, event.id, companyId);
      }

      // The same person joining another event from this browser keeps one identity (and so keeps
      // access to their earlier events); a different name means a different person at this device.
      if (current && samePerson && !existing && current.kind === 'participant') {
        // A double submit races to this insert: the loser inserts nothing and answers with the
        // membership the winner made, so both get the same identity instead of a 500.
        const inserted = await app.db
          .insert(eventMembers)
          .values({ id: randomUUID(), eventId: event.id, userId: current.id, eventCompanyId, role: 'participant' })
          .onConflictDoNothing({ target: [eventMembers.eventId, eventMembers.userId] })
          .returning({ id: eventMembers.id });
        if (inserted.length > 0) app.io.to(controlRoom.event(event.id)).emit('event:changed', { eventId: event.id });
        const member = inserted.length > 0 ? null : await findMembership(app.db, event.id, current.id);
        return reply.code(201).send({
          eventId: event.id,
          eventCompanyId: member?.eventCompanyId ?? eventCompanyId,
          role: member?.role ?? 'participant',
          user: publicUser(current),
        });
      }

      const user = await createParticipant(app.db, body.displayName);
      await app.db.insert(eventMembers).values({ id: randomUUID(), eventId: event.id, userId: user.id, eventCompanyId, role: 'participant' });
      await app.startSession(reply, user.id, request.sessionId);
      app.io.to(controlRoom.event(event.id)).emit('event:changed', { eventId: event.id });
      return reply.code(201).send({ eventId: event.id, eventCompanyId, role: 'participant', user });
    },
  );
};
