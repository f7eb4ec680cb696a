// Which meetup state a browser keeps. Pushes, held (coalesced) pushes and command replies can
// arrive out of order, more so with several nodes: each carries the state's revision, and an
// older one must not replace a newer one (the clock would jump back, a room reappear).

import type { MeetupState } from '../protocol/meetup.ts';

/**
 * The state to keep: `next` unless it belongs to another event or is older than `current`. An
 * equal revision is taken: its rooms or done marks may have been read a moment later.
 */
export function newerState(current: MeetupState | null, next: MeetupState, eventId: string): MeetupState | null {
  if (next.eventId !== eventId) return current;
  if (current && current.eventId === eventId && next.revision < current.revision) return current;
  return next;
}
