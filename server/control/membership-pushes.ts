// Company-boundary pushes: a company's members hear who joined it, facilitators hear about join
// requests, and a removed member's control sockets are told and taken out of the event's channels
// (their document connections are closed by the sync subscriber in plugins/domain.ts).
// A removed member's sockets are found through their own channel (userRoom, joined on connecting),
// not through the event's: a socket that somehow joined company or room channels without the
// event's (an id spelled differently) must not keep hearing the company.
import type { ControlServer } from '../types.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';

/** Every control socket of one user (on every node), joined when it connects. */
export const userRoom = (userId: string): string => `user:${userId}`;

export function membershipPushes(io: ControlServer) {
  return async (event: DomainEvent): Promise<void> => {
    switch (event.type) {
      case 'member.joined': {
        const { eventId, eventCompanyId, userId, displayName } = event;
        io.to(controlRoom.company(eventCompanyId)).emit('company:member-joined', { eventId, eventCompanyId, userId, displayName });
        break;
      }
      case 'join-requests.changed':
        io.to(controlRoom.facilitators(event.eventId)).emit('join-requests:changed', { eventId: event.eventId, added: event.added });
        break;
      case 'member.removed': {
        const channels = [controlRoom.event(event.eventId), controlRoom.facilitators(event.eventId)];
        if (event.eventCompanyId) channels.push(controlRoom.company(event.eventCompanyId));
        if (event.roomId) channels.push(controlRoom.room(event.roomId));
        // Every socket of the user that is in any of the event's channels (a user has few sockets).
        const sockets = await io.in(userRoom(event.userId)).fetchSockets();
        for (const socket of sockets) {
          if (!channels.some((channel) => socket.rooms.has(channel))) continue;
          for (const channel of channels) socket.leave(channel);
          socket.emit('member:removed', { eventId: event.eventId });
        }
        break;
      }
    }
  };
}
