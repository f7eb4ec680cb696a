// Who may see and fill a company's CRM practice assessments. Assessments belong to a company
// (they follow it across sessions), so the check is by company, not by event: its participants
// in any event, and the facilitators of any event it took part in. Everyone else — another
// company's members included — is refused.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers } from '../db/schema.ts';

export type CompanyRole = 'member' | 'facilitator';

export async function companyRole(db: Db, userId: string, companyId: string): Promise<CompanyRole | null> {
  const [asMember] = await db
    .select({ id: eventMembers.id })
    .from(eventMembers)
    .innerJoin(eventCompanies, eq(eventCompanies.id, eventMembers.eventCompanyId))
    .where(and(eq(eventMembers.userId, userId), eq(eventMembers.role, 'participant'), eq(eventCompanies.companyId, companyId)))
    .limit(1);
  if (asMember) return 'member';
  const [asFacilitator] = await db
    .select({ id: eventMembers.id })
    .from(eventMembers)
    .innerJoin(eventCompanies, eq(eventCompanies.eventId, eventMembers.eventId))
    .where(and(eq(eventMembers.userId, userId), eq(eventMembers.role, 'facilitator'), eq(eventCompanies.companyId, companyId)))
    .limit(1);
  return asFacilitator ? 'facilitator' : null;
}

/** Facilitators of the events this company took part in: whose templates it may use. */
export async function companyFacilitators(db: Db, companyId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: eventMembers.userId })
    .from(eventMembers)
    .innerJoin(eventCompanies, eq(eventCompanies.eventId, eventMembers.eventId))
    .where(and(eq(eventMembers.role, 'facilitator'), eq(eventCompanies.companyId, companyId)));
  return rows.map((r) => r.userId);
}

/**
 * Whether this user may file an assessment of this company under this event: the company takes
 * part in it, and the user is one of its facilitators or speaks for this company there.
 */
export async function mayAssessInEvent(db: Db, userId: string, eventId: string, companyId: string): Promise<'yes' | 'not-in-event' | 'no'> {
  const [company] = await db
    .select({ id: eventCompanies.id })
    .from(eventCompanies)
    .where(and(eq(eventCompanies.eventId, eventId), eq(eventCompanies.companyId, companyId)));
  const [member] = await db
    .select({ role: eventMembers.role, eventCompanyId: eventMembers.eventCompanyId })
    .from(eventMembers)
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)));
  if (!member) return 'no';
  if (!company) return 'not-in-event';
  return member.role === 'facilitator' || (member.role === 'participant' && member.eventCompanyId === company.id) ? 'yes' : 'no';
}
