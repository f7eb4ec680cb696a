// The socket.io control plane: every event name and payload, declared once for server and client.
// Every client→server event carries an ack callback answering Ack<T>.
import type { ElementId } from '../jcrm/elements.ts';
import type { ScoreValue } from '../jcrm/scoring.ts';

export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: string };

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
