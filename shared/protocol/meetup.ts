// The facilitated meetup on the control plane: the state every browser of an event shares
// (phase, agenda clock, rooms and their reveal state, banners, done marks) and what only
// facilitators see (help requests). Times are the server's epoch milliseconds; clients correct
// them with the offset from 'time:sync'.
import type { AgendaStep, ClockState } from '../meetup/clock.ts';
import type { ElementId } from '../jcrm/elements.ts';

export type MeetupPhase = 'breakout' | 'closing' | 'plenary';
export type RoomMode = 'assigned' | 'self-select';
export type Spotlight = { kind: 'card'; docName: string; cardId: string } | { kind: 'element'; element: ElementId } | null;

export interface MeetupRoom {
  id: string;
  name: string;
  scoresRevealed: boolean;
}

export interface Banner {
  id: string;
  /** null = every room. */
  roomId: string | null;
  text: string;
  createdAt: number;
}

export interface MeetupState {
  eventId: string;
  /**
   * Grows with every change of this state (counted in the database under the event's lock): a
   * browser keeps the state with the highest one, whatever order pushes and replies arrive in.
   */
  revision: number;
  kind: 'study' | 'meetup';
  theme: string | null;
  /** Elements the session covers; empty = all. */
  coveredElements: ElementId[];
  scoresHidden: boolean;
  /** Companies score the diagram's elements 0–3 (a session may turn it off). */
  elementScoring: boolean;
  roomMode: RoomMode;
  phase: MeetupPhase;
  /** When the closing countdown ends (phase 'closing'). */
  phaseEndsAt: number | null;
  spotlight: Spotlight;
  agenda: AgendaStep[];
  clock: ClockState;
  rooms: MeetupRoom[];
  /** The latest banners (a client hides the ones its user dismissed). */
  banners: Banner[];
  /** userIds done with the current step. */
  done: string[];
}

export interface HelpRequest {
  id: string;
  roomId: string | null;
  userId: string;
  userName: string;
  companyName: string | null;
  text: string;
  createdAt: number;
}

/** Bring browsers to a view: an element's panel or the comparison. */
export interface SummonTarget {
  element: ElementId | null;
  tab: 'element' | 'comparison';
}
