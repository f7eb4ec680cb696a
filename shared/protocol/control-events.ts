// The socket.io control plane: every event name and payload, declared once for server and client.
// Every client→server event carries an ack callback answering Ack<T>.
import type { ElementId } from '../jcrm/elements.ts';
import type { ScoreValue } from '../jcrm/scoring.ts';

/**
 * `retry: true` on a failure means the server did not act and the same request may succeed later
 * (too fast, a server fault); without it the request was refused for good (invalid, not allowed,
 * event closed) and sending it again is pointless.
 */
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: string; retry?: true };

export type MemberRole = 'facilitator' | 'participant' | 'observer';

/** A company's current score for one element; value null = explicitly cleared (unscored). */
export interface ScoreEntry {
  eventCompanyId: string;
  element: ElementId;
  value: ScoreValue | null;
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
  value: ScoreValue | null;
  setAt: string;
  setByName: string | null;
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

export interface ClientToServerEvents {
  /** Every card's authorship and reactions in the event. */
  'cards:get': (payload: { eventId: string }, ack: (res: Ack<{ cards: CardMeta[] }>) => void) => void;
  /** Add or take back one's own 共感 on a card (the person is taken from the session). */
  'card:react': (payload: CardReactPayload, ack: (res: Ack<{ reactions: string[] }>) => void) => void;
}

export interface ServerToClientEvents {
  /** A card was created, edited or deleted (authorship as the server recorded it). */
  'card:changed': (payload: CardMeta & { eventId: string }) => void;
  /** A card's 共感 reactions changed. */
  'card:reactions': (payload: { eventId: string; docName: string; cardId: string; reactions: string[] }) => void;
}

export interface ServerToClientEvents {
  /** Something about the event changed (companies, rooms, status); clients refetch it. */
  'event:changed': (payload: { eventId: string }) => void;
  /** A score changed; sent to everyone subscribed to the event. */
  'score:changed': (payload: ScoreEntry & { eventId: string }) => void;
}

/** Room names on the socket.io side. */
export const controlRoom = {
  event: (eventId: string) => `event:${eventId}`,
} as const;
