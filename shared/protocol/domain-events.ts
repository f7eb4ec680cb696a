// Domain events: every server-decided change is published as one of these after its PostgreSQL
// transaction commits. Subscribers turn them into socket.io pushes (picking recipients by
// visibility) and into document rights changes; later they cross server nodes. Declared once here.
import type { CardMeta, ScoreEntry } from './control-events.ts';
import type { HelpRequest, MeetupState, SummonTarget } from './meetup.ts';

/** Who may see a score's value (hidden scores: facilitators, the owner, and a revealed room). */
export interface ScoreVisibility {
  hidden: boolean;
  ownerRoomId: string | null;
  ownerRoomRevealed: boolean;
}

export type DomainEvent =
  /** Companies, rooms or settings changed: clients refetch the event. */
  | { type: 'event.changed'; eventId: string }
  /** The event was closed: everything becomes read-only. */
  | { type: 'event.closed'; eventId: string }
  /** A company was seated in another room (null = none). */
  | { type: 'company.moved'; eventId: string; eventCompanyId: string; fromRoomId: string | null; toRoomId: string | null }
  | { type: 'score.changed'; eventId: string; score: ScoreEntry; visibility: ScoreVisibility }
  /** Scores were revealed in one room (or all rooms: null): its members fetch them again. */
  | { type: 'scores.revealed'; eventId: string; roomId: string | null }
  /** The shared meetup state changed (phase, clock, rooms, banners, done marks, settings). */
  | { type: 'meetup.changed'; eventId: string; state: MeetupState }
  /** The open help requests changed (facilitators only). */
  | { type: 'help.changed'; eventId: string; requests: HelpRequest[]; added: boolean }
  /** A facilitator handled someone's help request: the asker is told (via their company's channel). */
  | { type: 'help.handled'; eventId: string; helpId: string; userId: string; eventCompanyId: string | null }
  /** Bring every browser of one room (or all: null) to a view. */
  | { type: 'summoned'; eventId: string; roomId: string | null; target: SummonTarget }
  | { type: 'card.changed'; eventId: string; card: CardMeta }
  | { type: 'card.reactions'; eventId: string; docName: string; cardId: string; reactions: string[] }
  /** A company's take-home actions (持ち帰り) changed: its members and the facilitators refetch them. */
  | { type: 'actions.changed'; eventId: string; eventCompanyId: string }
  /**
   * A member was removed from the event (their live connections lose access); the company and
   * room they were in, so their control sockets can leave those channels.
   */
  | { type: 'member.removed'; eventId: string; userId: string; eventCompanyId?: string | null; roomId?: string | null }
  /** Someone became a member of a company (joined, by invite or approved): its members are told. */
  | { type: 'member.joined'; eventId: string; eventCompanyId: string; userId: string; displayName: string }
  /** Join requests awaiting a facilitator's approval changed (`added`: a new one arrived). */
  | { type: 'join-requests.changed'; eventId: string; added: boolean }
  /**
   * A sign-in ended (signed out, or replaced by a new sign-in), or all of a user's ("everywhere"):
   * its live document connections and control sockets close, on every node.
   */
  | { type: 'signed-out'; filter: { sessionId: string } | { userId: string } };

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
