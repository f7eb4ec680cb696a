// Turns domain events into socket.io pushes, choosing recipients by visibility. Today every push
// goes to the event's members; hidden scores and room-only messages will narrow it here.
// Whole-state pushes (meetup state, open help requests) are coalesced per event (push-coalescer.ts);
// this runs on the node where the event happened, and the Redis adapter carries the emit to the
// other nodes' sockets.
import type { ControlServer } from '../types.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import type { HelpRequest, MeetupState } from '../../shared/protocol/meetup.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';
import { redactScore } from '../domain/scores.ts';
import { coalescer, PUSH_INTERVAL_MS } from './push-coalescer.ts';
import { hasRoomBanners, stateForRoom } from '../../shared/meetup/state-view.ts';

/**
 * With several nodes each holds its own latest push, and one node's held push can land after a
 * newer one sent by another node. Meetup states carry their revision (browsers keep the newest),
 * so they are coalesced whatever the number of nodes; help lists carry none and are coalesced only
 * on a single node.
 */
export function broadcastTo(io: ControlServer, { singleNode = true }: { singleNode?: boolean } = {}) {
  const meetupStates = coalescer<MeetupState>(
    (state) => sendMeetupState(io, state),
    // Two commands' states can be read in one order and handed over in the other (their queries
    // interleave on the pool): the held one stays the newest.
    (held, next) => (next.revision >= held.revision ? next : held),
  );
  type Help = { eventId: string; requests: HelpRequest[]; added: boolean };
  const helpLists = coalescer<Help>(
    (help) => io.to(controlRoom.facilitators(help.eventId)).emit('help:requests', help),
    // The cue plays if any of the coalesced changes added a request.
    (held, next) => ({ ...next, added: held.added || next.added }),
    singleNode ? PUSH_INTERVAL_MS : 0,
  );
  return (event: DomainEvent): void => {
    if (event.type === 'signed-out') return;
    const toEvent = io.to(controlRoom.event(event.eventId));
    switch (event.type) {
      case 'company.moved': {
        // The company's sockets follow it between room channels (also across nodes, later).
        // Clients hear of moves through the one 'event.changed' published after a batch of them.
        const company = io.in(controlRoom.company(event.eventCompanyId));
        if (event.fromRoomId) company.socketsLeave(controlRoom.room(event.fromRoomId));
        if (event.toRoomId) company.socketsJoin(controlRoom.room(event.toRoomId));
        break;
      }
      case 'event.changed':
      case 'event.closed':
      case 'member.removed':
        toEvent.emit('event:changed', { eventId: event.eventId });
        break;
      case 'score.changed': {
        const full = { eventId: event.eventId, ...event.score };
        const { hidden, ownerRoomId, ownerRoomRevealed } = event.visibility;
        if (!hidden) {
          toEvent.emit('score:changed', full);
          break;
        }
        // Hidden until revealed: the value goes only to facilitators, the owning company and,
        // once revealed, the owner's room; everyone else hears only that it was scored.
        const allowed = [controlRoom.facilitators(event.eventId), controlRoom.company(event.score.eventCompanyId)];
        if (ownerRoomId && ownerRoomRevealed) allowed.push(controlRoom.room(ownerRoomId));
        io.to(allowed).emit('score:changed', full);
        toEvent.except(allowed).emit('score:changed', { eventId: event.eventId, ...redactScore(event.score) });
        break;
      }
      case 'scores.revealed':
        toEvent.emit('scores:revealed', { eventId: event.eventId, roomId: event.roomId });
        break;
      case 'meetup.changed':
        meetupStates.push(event.eventId, event.state);
        break;
      case 'help.changed':
        helpLists.push(event.eventId, { eventId: event.eventId, requests: event.requests, added: event.added });
        break;
      case 'help.handled':
        // To the asker's company (their own browsers pick it out by user id); a member without a
        // company has no narrower channel than the session's.
        io.to(event.eventCompanyId ? controlRoom.company(event.eventCompanyId) : controlRoom.event(event.eventId)).emit('help:handled', {
          eventId: event.eventId,
          helpId: event.helpId,
          userId: event.userId,
        });
        break;
      case 'summoned':
        io.to(event.roomId ? controlRoom.room(event.roomId) : controlRoom.event(event.eventId)).emit('summon', {
          eventId: event.eventId,
          target: event.target,
        });
        break;
      case 'card.changed':
        toEvent.emit('card:changed', { eventId: event.eventId, ...event.card });
        break;
      case 'actions.changed':
        io.to([controlRoom.company(event.eventCompanyId), controlRoom.facilitators(event.eventId)]).emit('actions:changed', {
          eventId: event.eventId,
          eventCompanyId: event.eventCompanyId,
        });
        break;
      case 'card.reactions':
        toEvent.emit('card:reactions', { eventId: event.eventId, docName: event.docName, cardId: event.cardId, reactions: event.reactions });
        break;
    }
  };
}

/**
 * The state to every member of the event; when a banner is for one room only, each room's
 * channel gets its own copy (facilitators the whole state), so other rooms never receive its text.
 */
function sendMeetupState(io: ControlServer, state: MeetupState): void {
  const everyone = controlRoom.event(state.eventId);
  if (!hasRoomBanners(state)) {
    io.to(everyone).emit('meetup:state', state);
    return;
  }
  const facilitators = controlRoom.facilitators(state.eventId);
  io.to(facilitators).emit('meetup:state', state);
  for (const room of state.rooms) io.to(controlRoom.room(room.id)).except(facilitators).emit('meetup:state', stateForRoom(state, room.id));
  io.to(everyone)
    .except([facilitators, ...state.rooms.map((room) => controlRoom.room(room.id))])
    .emit('meetup:state', stateForRoom(state, null));
}
