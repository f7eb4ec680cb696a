// The socket.io control plane: every event name and payload, declared once for server and client.
// Every client→server event carries an ack callback answering Ack<T>.

export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: string };

export interface ClientToServerEvents {
  /** Who am I, as the server sees this socket. */
  'session:whoami': (ack: (res: Ack<{ userId: string; displayName: string }>) => void) => void;
  /** Subscribe this socket to an event's live updates (must be a member). */
  'event:subscribe': (payload: { eventId: string }, ack: (res: Ack<{ role: MemberRole }>) => void) => void;
}

export interface ServerToClientEvents {
  /** Something about the event changed (companies, rooms, status); clients refetch it. */
  'event:changed': (payload: { eventId: string }) => void;
}

export type MemberRole = 'facilitator' | 'participant' | 'observer';

/** Room names on the socket.io side. */
export const controlRoom = {
  event: (eventId: string) => `event:${eventId}`,
} as const;
