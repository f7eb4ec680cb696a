// What of the meetup state a member sees: a banner sent to one room is for that room's people
// (and the facilitators), not in every browser's copy of the state.
import type { MeetupState } from '../protocol/meetup.ts';

/** The state as someone seated in `roomId` (null: in no room) receives it. */
export function stateForRoom(state: MeetupState, roomId: string | null): MeetupState {
  if (!hasRoomBanners(state)) return state;
  return { ...state, banners: state.banners.filter((b) => b.roomId === null || b.roomId === roomId) };
}

/** Whether some banner is meant for one room only (else everyone receives the same state). */
export function hasRoomBanners(state: MeetupState): boolean {
  return state.banners.some((b) => b.roomId !== null);
}
