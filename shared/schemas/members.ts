// HTTP shapes for the company boundary: members per company, removal, the companies lock,
// per-company invite codes and join requests awaiting a facilitator's approval.
import { Type, type Static } from 'typebox';
import { Role, User } from './api.ts';

const Id = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });

export const EventMemberParams = Type.Object({ eventId: Id, userId: Id });
export const JoinRequestParams = Type.Object({ eventId: Id, requestId: Id });
export const JoinRequestIdParams = Type.Object({ requestId: Id });

export const Member = Type.Object({
  userId: Id,
  displayName: Type.String(),
  role: Role,
  /** When the membership was created (joined, or approved). */
  joinedAt: Timestamp,
});
export type Member = Static<typeof Member>;

export const CompanyMembers = Type.Object({
  /** The eventCompanyId. */
  id: Id,
  name: Type.String(),
  /** The company's invite code (facilitators only; null when none or hidden). */
  inviteCode: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(Member),
});
export type CompanyMembers = Static<typeof CompanyMembers>;

/**
 * Facilitators: every company with its members and invite code, and the members who speak for no
 * company (facilitators, observers). Participants: only their own company's members.
 */
export const EventMembers = Type.Object({
  companiesLocked: Type.Boolean(),
  companies: Type.Array(CompanyMembers),
  others: Type.Array(Member),
});
export type EventMembers = Static<typeof EventMembers>;

export const UpdateEvent = Type.Object(
  {
    /** Locked: joining cannot create a company; joining an existing one needs its invite or approval. */
    companiesLocked: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const InviteCodeResponse = Type.Object({ inviteCode: Type.Union([Type.String(), Type.Null()]) });

export const JoinRequestStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);

/** A pending request as facilitators see it. */
export const PendingJoinRequest = Type.Object({
  id: Id,
  userId: Id,
  displayName: Type.String(),
  /** The company's participation in the session; null while it takes part only through requests. */
  eventCompanyId: Type.Union([Id, Type.Null()]),
  companyName: Type.String(),
  createdAt: Timestamp,
});
export type PendingJoinRequest = Static<typeof PendingJoinRequest>;

/** POST /api/join answered 202: the company is locked and a facilitator must approve. */
export const JoinPending = Type.Object({
  pending: Type.Literal(true),
  requestId: Id,
  eventId: Id,
  /** Null when the company does not take part in the session yet: approving the request brings it in. */
  eventCompanyId: Type.Union([Id, Type.Null()]),
  companyName: Type.String(),
  user: User,
  /**
   * Why it waits: the session takes no one new without approval ('locked'), or the company has
   * records from other sessions and nobody of it is here yet ('company-history').
   */
  reason: Type.Union([Type.Literal('locked'), Type.Literal('company-history')]),
});
export type JoinPending = Static<typeof JoinPending>;

/** The requester's view of their own join request (polled while waiting). */
export const JoinRequestState = Type.Object({
  id: Id,
  status: JoinRequestStatus,
  eventId: Id,
  /** Null until the company takes part in the session (a request approved brings it in). */
  eventCompanyId: Type.Union([Id, Type.Null()]),
  /** Null for a refused request whose company (a new name only it named) went with the refusal. */
  companyName: Type.Union([Type.String(), Type.Null()]),
});
export type JoinRequestState = Static<typeof JoinRequestState>;
