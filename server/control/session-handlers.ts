// Control-plane basics: identity and subscribing to an event's live updates.
import { Type } from 'typebox';
import type { Socket } from 'socket.io';
import type { Db } from '../db/client.ts';
import type { SessionUser } from '../auth/session.ts';
import { findMembership } from '../access/membership.ts';
import { findEventCompany } from '../domain/events.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';
import { forbidden } from '../errors.ts';
import { onInstant, onValidated, type HandlerLogger } from './define-handler.ts';
import { NOT_A_MEMBER } from './guards.ts';

const SubscribePayload = Type.Object({ eventId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export function registerSessionHandlers(socket: Socket, db: Db, user: SessionUser, log: HandlerLogger): void {
  onInstant(socket, 'session:whoami', () => ({ userId: user.id, displayName: user.displayName }));

  onValidated(socket, log, 'event:subscribe', SubscribePayload, async ({ eventId }) => {
    const member = await findMembership(db, eventId, user.id);
    if (!member) throw forbidden(NOT_A_MEMBER);
    // The socket.io rooms that visibility picks recipients from (see control/broadcaster.ts).
    const rooms = [controlRoom.event(eventId)];
    if (member.role === 'facilitator') rooms.push(controlRoom.facilitators(eventId));
    if (member.eventCompanyId) {
      rooms.push(controlRoom.company(member.eventCompanyId));
      const seat = await findEventCompany(db, eventId, member.eventCompanyId);
      if (seat?.roomId) rooms.push(controlRoom.room(seat.roomId));
    }
    await socket.join(rooms);
    return { role: member.role };
  });
}
