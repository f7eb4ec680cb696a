// Control-plane basics: identity (the user's own channel) and subscribing to an event's live updates.
import type { Socket } from 'socket.io';
import type { Db } from '../db/client.ts';
import type { SessionUser } from '../auth/session.ts';
import { and, eq } from 'drizzle-orm';
import { eventCompanies, eventMembers } from '../db/schema.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';
import { forbidden } from '../errors.ts';
import { onInstant, onValidated, type HandlerLogger } from './define-handler.ts';
import { NOT_A_MEMBER } from './guards.ts';
import { SubscribePayload } from '../../shared/schemas/control.ts';
import { userRoom } from './membership-pushes.ts';

export function registerSessionHandlers(socket: Socket, db: Db, user: SessionUser, log: HandlerLogger): void {
  // The user's own channel: how a removal finds all their sockets (membership-pushes.ts).
  void socket.join(userRoom(user.id));
  onInstant(socket, 'session:whoami', () => ({ userId: user.id, displayName: user.displayName }));

  onValidated(socket, log, 'event:subscribe', SubscribePayload, async ({ eventId }) => {
    const member = await membershipWithSeat(db, eventId, user.id);
    if (!member) throw forbidden(NOT_A_MEMBER);
    // The socket.io rooms that visibility picks recipients from (see control/broadcaster.ts),
    // named from the ids the database returned, never from the payload's spelling of them.
    const rooms = [controlRoom.event(member.eventId)];
    if (member.role === 'facilitator') rooms.push(controlRoom.facilitators(member.eventId));
    if (member.eventCompanyId) rooms.push(controlRoom.company(member.eventCompanyId));
    if (member.eventCompanyId && member.roomId) rooms.push(controlRoom.room(member.roomId));
    await socket.join(rooms);
    // A move committed between the read above and the join moved the company's sockets without
    // this one (it was in no channel yet): read the seat again and follow it, so the socket never
    // stays in a room its company has left (that room's banners, its revealed scores).
    if (member.eventCompanyId) {
      const now = await membershipWithSeat(db, eventId, user.id);
      if (now?.eventCompanyId === member.eventCompanyId && now.roomId !== member.roomId) {
        if (member.roomId) await socket.leave(controlRoom.room(member.roomId));
        if (now.roomId) await socket.join(controlRoom.room(now.roomId));
      }
    }
    return { role: member.role };
  });
}

/** The caller's role in the event, their company and its room, as the database spells the ids. */
async function membershipWithSeat(db: Db, eventId: string, userId: string) {
  const [row] = await db
    .select({ eventId: eventMembers.eventId, role: eventMembers.role, eventCompanyId: eventMembers.eventCompanyId, roomId: eventCompanies.roomId })
    .from(eventMembers)
    .leftJoin(eventCompanies, and(eq(eventCompanies.id, eventMembers.eventCompanyId), eq(eventCompanies.eventId, eventMembers.eventId)))
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}
