// Company-boundary pushes: a company's members hear who joined it, facilitators hear about join
// requests, and a removed member's control sockets are told and taken out of the event's channels
// (their document connections are closed by the sync subscriber in plugins/domain.ts).
import type { ControlServer } from '../types.ts';
import type { SessionUser } from '../auth/session.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';

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
        const sockets = await io.in(controlRoom.event(event.eventId)).fetchSockets();
        for (const socket of sockets) {
          if ((socket.data.user as SessionUser | undefined)?.id !== event.userId) continue;
          for (const channel of channels) socket.leave(channel);
          socket.emit('member:removed', { eventId: event.eventId });
        }
        break;
      }
    }
  };
}
