// Who may send a control-plane command: one place for the membership, role and open-event checks
// every handler makes, with the same clear messages.
import type { Db } from '../db/client.ts';
import { findMembership, type Membership } from '../access/membership.ts';
import { conflict, forbidden } from '../errors.ts';

export const NOT_A_MEMBER = 'この会の参加者ではありません / You are not part of this session';
export const FACILITATORS_ONLY = 'ファシリテーターのみ可能です / Facilitators only';
export const EVENT_CLOSED = 'この会は終了しています / This session is closed';

/** The caller's membership in the event; refuses non-members (whether or not the event exists). */
export async function requireMember(db: Db, eventId: string, userId: string): Promise<Membership> {
  const found = await findMembership(db, eventId, userId);
  if (!found) throw forbidden(NOT_A_MEMBER);
  return found;
}

/** A facilitator of an open event. */
export async function requireFacilitator(db: Db, eventId: string, userId: string): Promise<Membership> {
  const found = await requireMember(db, eventId, userId);
  if (found.role !== 'facilitator') throw forbidden(FACILITATORS_ONLY);
  if (found.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
  return found;
}
