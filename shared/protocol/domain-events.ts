// Domain events: every server-decided change is published as one of these after its PostgreSQL
// transaction commits. Subscribers turn them into socket.io pushes (picking recipients by
// visibility) and into document rights changes; later they cross server nodes. Declared once here.
import type { CardMeta, ScoreEntry } from './control-events.ts';

export type DomainEvent =
  /** Companies, rooms or settings changed: clients refetch the event. */
  | { type: 'event.changed'; eventId: string }
  /** The event was closed: everything becomes read-only. */
  | { type: 'event.closed'; eventId: string }
  /** A company was seated in another room (null = none). */
  | { type: 'company.moved'; eventId: string; eventCompanyId: string; fromRoomId: string | null; toRoomId: string | null }
  | { type: 'score.changed'; eventId: string; score: ScoreEntry }
  | { type: 'card.changed'; eventId: string; card: CardMeta }
  | { type: 'card.reactions'; eventId: string; docName: string; cardId: string; reactions: string[] }
  /** A member was removed from the event (their live connections lose access). */
  | { type: 'member.removed'; eventId: string; userId: string };

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
