// Turns domain events into socket.io pushes, choosing recipients by visibility. Today every push
// goes to the event's members; hidden scores and room-only messages will narrow it here.
import type { ControlServer } from '../types.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';

export function broadcastTo(io: ControlServer) {
  return (event: DomainEvent): void => {
    const toEvent = io.to(controlRoom.event(event.eventId));
    switch (event.type) {
      case 'event.changed':
      case 'event.closed':
      case 'company.moved':
      case 'member.removed':
        toEvent.emit('event:changed', { eventId: event.eventId });
        break;
      case 'score.changed':
        toEvent.emit('score:changed', { eventId: event.eventId, ...event.score });
        break;
      case 'card.changed':
        toEvent.emit('card:changed', { eventId: event.eventId, ...event.card });
        break;
      case 'card.reactions':
        toEvent.emit('card:reactions', { eventId: event.eventId, docName: event.docName, cardId: event.cardId, reactions: event.reactions });
        break;
    }
  };
}
