// The socket.io control plane: every event name and payload, declared once for server and client.
// Every client→server event carries an ack callback answering Ack<T>.
import type { ElementId } from '../jcrm/elements.ts';
import type { ScoreValue } from '../jcrm/scoring.ts';
import type { HelpRequest, MeetupState, Spotlight, SummonTarget } from './meetup.ts';

/**
 * `retry: true` on a failure means the server did not act and the same request may succeed later
 * (too fast, a server fault); without it the request was refused for good (invalid, not allowed,
 * event closed) and sending it again is pointless. A text that broke a text rule (a control
 * character, a broken character, a line break in a name) also names the payload's `field` and the
 * `rule`, as the HTTP API's 400 does.
 */
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: string; retry?: true; field?: string; rule?: string };

export type MemberRole = 'facilitator' | 'participant' | 'observer';

/** A company's current score for one element; value null = explicitly cleared (unscored). */
export interface ScoreEntry {
  eventCompanyId: string;
  element: ElementId;
  /** null = unscored, or hidden from this viewer (then `hidden` is true). */
  value: ScoreValue | null;
  /** Set when scores are hidden until revealed: the value is withheld, only `scored` is told. */
  hidden?: true;
  scored?: boolean;
  /** ISO timestamp of the last change. */
  updatedAt: string;
}

export interface ScoreSetPayload {
  eventId: string;
  eventCompanyId: string;
  element: ElementId;
  value: ScoreValue | null;
}

export interface ScoreHistoryEntry {
  /** null: cleared, or withheld (hidden: true) from a viewer who may not see this company's values yet. */
  value: ScoreValue | null;
  setAt: string;
  setByName: string | null;
  hidden?: true;
}

/**
 * Who wrote a 気付き card and when, as the server recorded it from the writing connection, plus
 * its 共感 reactions. The card's text and element live in its Yjs document (`docName`).
 */
export interface CardMeta {
  docName: string;
  cardId: string;
  /** The company whose document holds the card; null for a facilitators' room document. */
  eventCompanyId: string | null;
  element: ElementId;
  authorId: string | null;
  authorName: string | null;
  /** The author's company in this event (null for facilitators). */
  companyName: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set when the card was deleted (it may come back by undo). */
  deleted: boolean;
  /** userIds who reacted with 共感, one per person. */
  reactions: string[];
}

export interface CardReactPayload {
  eventId: string;
  docName: string;
  cardId: string;
  /** true adds this user's 共感, false takes it back. */
  on: boolean;
}

export interface ClientToServerEvents {
  /** Who am I, as the server sees this socket. */
  'session:whoami': (ack: (res: Ack<{ userId: string; displayName: string }>) => void) => void;
  /** Subscribe this socket to an event's live updates (must be a member). */
  'event:subscribe': (payload: { eventId: string }, ack: (res: Ack<{ role: MemberRole }>) => void) => void;
  /** All current scores of the event's companies. */
  'scores:get': (payload: { eventId: string }, ack: (res: Ack<{ scores: ScoreEntry[] }>) => void) => void;
  /** Set (0–3) or clear (null) a score: own company for participants, any company for facilitators. */
  'score:set': (payload: ScoreSetPayload, ack: (res: Ack<{ score: ScoreEntry }>) => void) => void;
  /** Every change of one company's score for one element, oldest first (PDCA across sessions). */
  'score:history': (
    payload: { eventId: string; eventCompanyId: string; element: ElementId },
    ack: (res: Ack<{ history: ScoreHistoryEntry[] }>) => void,
  ) => void;
}

type Command<P, R = Record<string, never>> = (payload: P, ack: (res: Ack<R>) => void) => void;
type EventRef = { eventId: string };

/** The meetup's commands; payload schemas in shared/schemas/control.ts. Facilitators only unless noted. */
export interface ClientToServerEvents {
  /** Anyone: the server's clock, for the countdown's offset. */
  'time:sync': Command<Record<string, never>, { serverTime: number }>;
  /** Members: the meetup state now (also pushed as 'meetup:state'). */
  'meetup:get': Command<EventRef, { state: MeetupState; help: HelpRequest[] }>;
  'meetup:settings': Command<
    EventRef & { theme?: string | null; coveredElements?: ElementId[]; scoresHidden?: boolean; roomMode?: 'assigned' | 'self-select'; elementScoring?: boolean },
    { state: MeetupState }
  >;
  'agenda:set': Command<EventRef & { steps: Array<{ title: { ja: string; en: string }; durationMinutes: number }> }, { state: MeetupState }>;
  'clock:start': Command<EventRef & { stepIndex: number }, { state: MeetupState }>;
  'clock:pause': Command<EventRef, { state: MeetupState }>;
  'clock:resume': Command<EventRef, { state: MeetupState }>;
  'clock:extend': Command<EventRef & { minutes: number }, { state: MeetupState }>;
  'clock:next': Command<EventRef, { state: MeetupState }>;
  'scores:reveal': Command<EventRef & { roomId: string | null }, { state: MeetupState }>;
  'banner:send': Command<EventRef & { roomId: string | null; text: string }, { state: MeetupState }>;
  /** Takes a sent message back: it leaves every board (removing one already gone changes nothing). */
  'banner:remove': Command<EventRef & { bannerId: string }, { state: MeetupState }>;
  /** Members: done with the current step (or not). */
  'step:done': Command<EventRef & { done: boolean }, { state: MeetupState }>;
  /** Members: ask the facilitators for help. */
  'help:request': Command<EventRef & { text: string }>;
  'help:handle': Command<EventRef & { helpId: string }>;
  summon: Command<EventRef & { roomId: string | null; target: SummonTarget }>;
  /** `unseated`: the companies not split (e.g. offline ones with presentOnly), taken out of their rooms. */
  'rooms:split': Command<
    EventRef & { size?: number; keepApart?: boolean; presentOnly?: boolean },
    { rooms: Array<{ roomId: string; eventCompanyIds: string[] }>; unseated: string[] }
  >;
  'company:move': Command<EventRef & { eventCompanyId: string; roomId: string | null }>;
  'room:create': Command<EventRef & { name: string }, { roomId: string }>;
  'room:rename': Command<EventRef & { roomId: string; name: string }>;
  'room:remove': Command<EventRef & { roomId: string }>;
  /** Participants in self-select mode: seat their company in a room. */
  'room:choose': Command<EventRef & { roomId: string }>;
  'phase:set': Command<EventRef & { phase: 'breakout' | 'closing' | 'plenary'; seconds?: number }, { state: MeetupState }>;
  'spotlight:set': Command<EventRef & { spotlight: Spotlight }, { state: MeetupState }>;
}

export interface ClientToServerEvents {
  /** Every card's authorship and reactions in the event. */
  'cards:get': (payload: { eventId: string }, ack: (res: Ack<{ cards: CardMeta[] }>) => void) => void;
  /** Add or take back one's own 共感 on a card (the person is taken from the session). */
  'card:react': (payload: CardReactPayload, ack: (res: Ack<{ reactions: string[] }>) => void) => void;
}

export interface ServerToClientEvents {
  /** A card was created, edited or deleted (authorship as the server recorded it). */
  'card:changed': (payload: CardMeta & { eventId: string }) => void;
  /** The shared meetup state (sent whole on every change). */
  'meetup:state': (payload: MeetupState) => void;
  /** Open help requests (facilitators only); `added` when a new one arrived (play a cue). */
  'help:requests': (payload: { eventId: string; requests: HelpRequest[]; added: boolean }) => void;
  /** A help request was marked handled by a facilitator: `userId` asked it (sent to that person's sockets, or their company's; others ignore it). */
  'help:handled': (payload: { eventId: string; helpId: string; userId: string }) => void;
  /** A facilitator brings this browser to a view. */
  summon: (payload: { eventId: string; target: SummonTarget }) => void;
  /** Scores were revealed (in one room, or all): fetch them again. */
  'scores:revealed': (payload: { eventId: string; roomId: string | null }) => void;
  /** A card's 共感 reactions changed. */
  'card:reactions': (payload: { eventId: string; docName: string; cardId: string; reactions: string[] }) => void;
  /** The take-home actions of this socket's company changed (its members and facilitators only): refetch them. */
  'actions:changed': (payload: { eventId: string; eventCompanyId: string }) => void;
}

export interface ServerToClientEvents {
  /** Something about the event changed (companies, rooms, status); clients refetch it. */
  'event:changed': (payload: { eventId: string }) => void;
  /** A score changed; sent to everyone subscribed to the event. */
  'score:changed': (payload: ScoreEntry & { eventId: string }) => void;
}

export interface ServerToClientEvents {
  /** Someone joined this socket's company (sent to that company's members only). */
  'company:member-joined': (payload: { eventId: string; eventCompanyId: string; userId: string; displayName: string }) => void;
  /** This socket's user was removed from the event; the socket has left its rooms. */
  'member:removed': (payload: { eventId: string }) => void;
  /** Join requests awaiting approval changed (facilitators only): refetch them. */
  'join-requests:changed': (payload: { eventId: string; added: boolean }) => void;
}

/** Room names on the socket.io side. */
export const controlRoom = {
  /** Everyone subscribed to the event. */
  event: (eventId: string) => `event:${eventId}`,
  /** The event's facilitators. */
  facilitators: (eventId: string) => `facilitators:${eventId}`,
  /** The members of one company in an event (eventCompanyId). */
  company: (eventCompanyId: string) => `company:${eventCompanyId}`,
  /** Everyone whose company sits in this breakout room (kept up to date on moves). */
  room: (roomId: string) => `room:${roomId}`,
} as const;
