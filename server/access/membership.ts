// Who may do what in an event. Every HTTP route, socket.io handler and Yjs upgrade asks here.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, events, rooms } from '../db/schema.ts';
import type { DocRef } from '../../shared/protocol/doc-names.ts';
import type { MemberRole } from '../../shared/protocol/control-events.ts';

export interface Membership {
  eventId: string;
  role: MemberRole;
  /** The company this member speaks for; null for facilitators and observers. */
  eventCompanyId: string | null;
  eventStatus: 'open' | 'closed';
}

export async function findMembership(db: Db, eventId: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({ role: eventMembers.role, eventCompanyId: eventMembers.eventCompanyId, eventStatus: events.status })
    .from(eventMembers)
    .innerJoin(events, eq(events.id, eventMembers.eventId))
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)))
    .limit(1);
  return row ? { eventId, ...row } : null;
}

export type DocAccess = 'write' | 'read' | 'none';

export interface DocDecision {
  access: DocAccess;
  /** Why a member may only read: the event is closed, or the document belongs to another party. */
  readOnlyReason?: 'closed' | 'other-party';
  /** The event the document belongs to (null when it does not exist). */
  eventId: string | null;
}

/**
 * Every document has exactly one writing party. A company's sheet (its worksheet and 気付き
 * cards) is written by that company's members and facilitators; a room document (the
 * facilitators' cards for that room) by facilitators. Everyone else in the event reads; outsiders
 * get nothing. A closed event is read-only for all.
 * One document, one query at a time: Yjs upgrades use ConnectionAuth.authorizeDoc, the batched
 * form of the same rules (decideFor), which its test checks against this.
 */
export async function docAccess(db: Db, userId: string, ref: DocRef): Promise<DocDecision> {
  return toDecision(await decide(db, userId, ref));
}

async function decide(db: Db, userId: string, ref: DocRef): Promise<[DocAccess, string | null, boolean?]> {
  const eventId = await eventOfDoc(db, ref);
  if (!eventId) return ['none', null];
  return decideFor(ref, eventId, await findMembership(db, eventId, userId));
}

/** The decision once the document's event and the caller's membership there are known. */
export function decideFor(ref: DocRef, eventId: string, member: Membership | null): [DocAccess, string | null, boolean?] {
  if (!member) return ['none', eventId];
  if (member.eventStatus === 'closed') return ['read', eventId, true];
  if (member.role === 'facilitator') return ['write', eventId];
  const own = ref.kind === 'sheet' && member.role === 'participant' && member.eventCompanyId === ref.eventCompanyId;
  return [own ? 'write' : 'read', eventId];
}

export function toDecision([access, eventId, closed]: [DocAccess, string | null, boolean?]): DocDecision {
  return { access, eventId, ...(access === 'read' ? { readOnlyReason: closed ? 'closed' : 'other-party' } : {}) };
}

async function eventOfDoc(db: Db, ref: DocRef): Promise<string | null> {
  if (ref.kind === 'sheet') {
    const [sheet] = await db.select({ eventId: eventCompanies.eventId }).from(eventCompanies).where(eq(eventCompanies.id, ref.eventCompanyId));
    return sheet?.eventId ?? null;
  }
  const [room] = await db.select({ eventId: rooms.eventId }).from(rooms).where(eq(rooms.id, ref.roomId));
  return room?.eventId ?? null;
}
