// HTTP request and response shapes, shared by the Fastify routes (validation) and the client (types).
import { Type, type Static } from 'typebox';
import { ELEMENT_IDS, type ElementId } from '../jcrm/elements.ts';
import { OneLineName, OneLineText } from './text.ts';

const Id = Type.String({ format: 'uuid' });

/** Longest names and titles, in characters (code points, as the schemas count): the forms show them. */
export const TEXT_LIMITS = { displayName: 60, facilitatorName: 80, eventTitle: 120, theme: 80, companyName: 100, roomName: 60 } as const;
/** Non-blank, bounded human text (names, titles), on one line. */
const Name = OneLineName;

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  /** A request that failed validation: which field, which rule (maxLength, format…), its number. */
  field: Type.Optional(Type.String()),
  rule: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Number()),
  format: Type.Optional(Type.String()),
});

export const User = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('facilitator'), Type.Literal('participant')]),
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
});

export type User = Static<typeof User>;

/** GET /api/auth/session: the signed-in user, or null. */
export const SessionState = Type.Object({ user: Type.Union([User, Type.Null()]) });

export const Role = Type.Union([Type.Literal('facilitator'), Type.Literal('participant'), Type.Literal('observer')]);

export const SetupStatus = Type.Object({ needed: Type.Boolean() });

export const NewFacilitator = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 10, maxLength: 256 }),
    displayName: Name(TEXT_LIMITS.facilitatorName),
  },
  { additionalProperties: false },
);
export type NewFacilitator = Static<typeof NewFacilitator>;

export const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const AddFacilitator = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false });
export const CoFacilitator = Type.Object({ userId: Id, displayName: Type.String() });

export const EventStatus = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

/** One of the concept diagram's element ids (typed as ElementId). */
export const ElementIdSchema = Type.Unsafe<ElementId>(Type.String({ enum: [...ELEMENT_IDS] }));

export const NewEvent = Type.Object(
  {
    title: Name(TEXT_LIMITS.eventTitle),
    date: Type.String({ format: 'date' }),
    /** study: one room; meetup: breakout rooms, scores hidden until revealed by default. */
    kind: Type.Optional(Type.Union([Type.Literal('study'), Type.Literal('meetup')])),
    /** テーマ, e.g. 「顧客とデータ」. */
    theme: Type.Optional(OneLineText(TEXT_LIMITS.theme)),
    /** The elements the session covers (others are shown quieter); empty or absent = all. */
    coveredElements: Type.Optional(Type.Array(ElementIdSchema, { maxItems: 10, uniqueItems: true })),
    /** The series (定例会) this session belongs to: companies that took part before carry their worksheet over. */
    seriesId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type NewEvent = Static<typeof NewEvent>;

export const EventSummary = Type.Object({
  id: Id,
  title: Type.String(),
  date: Type.String(),
  status: EventStatus,
  role: Role,
  /** The series (定例会) the session belongs to; null for a one-off. */
  series: Type.Union([Type.Object({ id: Id, title: Type.String() }), Type.Null()]),
  /** How many companies take part. */
  companies: Type.Integer({ minimum: 0 }),
});
export type EventSummary = Static<typeof EventSummary>;

export const EventCompany = Type.Object({
  /** The company's id within this event; names its worksheet (sheet:<id>). */
  id: Id,
  companyId: Id,
  name: Type.String(),
  roomId: Type.Union([Id, Type.Null()]),
  /** 前回から引き継ぎ: the earlier session whose worksheet this company started from. */
  carriedFrom: Type.Union([Type.Object({ eventId: Id, title: Type.String(), date: Type.String() }), Type.Null()]),
});
export type EventCompany = Static<typeof EventCompany>;

/**
 * POST /api/events/:id/companies: the company as listed, and whether an existing company with
 * history in other sessions was linked (its worksheets, assessments and actions from those
 * sessions are visible to this session's facilitators from now on), so the form can say so.
 */
export const AddedEventCompany = Type.Object({
  ...EventCompany.properties,
  /** True when this request linked an existing company that has history in other sessions. */
  reused: Type.Boolean(),
  /** The other sessions the company takes part in or has assessments from (0 for a new company). */
  otherSessions: Type.Integer({ minimum: 0 }),
});
export type AddedEventCompany = Static<typeof AddedEventCompany>;

export const Room = Type.Object({ id: Id, name: Type.String() });
export type Room = Static<typeof Room>;

export const EventDetail = Type.Object({
  id: Id,
  title: Type.String(),
  date: Type.String(),
  status: EventStatus,
  role: Role,
  /** The caller's own company in this event, if they speak for one. */
  myEventCompanyId: Type.Union([Id, Type.Null()]),
  /** Only facilitators see the join code; null when revoked or hidden. */
  joinCode: Type.Union([Type.String(), Type.Null()]),
  /** Joining cannot create a company; joining an existing one needs its invite or approval. */
  companiesLocked: Type.Boolean(),
  companies: Type.Array(EventCompany),
  rooms: Type.Array(Room),
  /** The series (定例会) this session belongs to, if any. */
  series: Type.Union([Type.Object({ id: Id, title: Type.String() }), Type.Null()]),
  /** As chosen when the event was created: study session or online meetup, its theme, the elements it covers (none: all). */
  kind: Type.Union([Type.Literal('study'), Type.Literal('meetup')]),
  theme: Type.Union([Type.String(), Type.Null()]),
  coveredElements: Type.Array(ElementIdSchema),
});
export type EventDetail = Static<typeof EventDetail>;

export const NewSeries = Type.Object({ title: Name(TEXT_LIMITS.eventTitle) }, { additionalProperties: false });
export const SeriesSummary = Type.Object({ id: Id, title: Type.String() });
/** Put an event into a series, or take it out (null). */
export const UpdateEventSeries = Type.Object({ seriesId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false });

export const EventParams = Type.Object({ eventId: Id });
export const EventCompanyParams = Type.Object({ eventId: Id, eventCompanyId: Id });

/** Add a company to an event: an existing one by id, or a new (or same-named) one by name. */
export const AddCompany = Type.Union([
  Type.Object({ companyId: Id }, { additionalProperties: false }),
  Type.Object({ name: Name(TEXT_LIMITS.companyName) }, { additionalProperties: false }),
]);

export const UpdateEventCompany = Type.Object(
  {
    name: Type.Optional(Name(TEXT_LIMITS.companyName)),
    /** Seat the company in a room, or null to take it out of every room. */
    roomId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const NewRoom = Type.Object({ name: Name(TEXT_LIMITS.roomName) }, { additionalProperties: false });

export const JoinCodeResponse = Type.Object({ joinCode: Type.Union([Type.String(), Type.Null()]) });

export const JoinCodeParams = Type.Object({ code: Type.String({ minLength: 4, maxLength: 32 }) });

export const JoinInfo = Type.Object({
  eventId: Id,
  title: Type.String(),
  date: Type.String(),
  companies: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  /** New companies are refused; joining an existing one asks a facilitator (unless invited). */
  companiesLocked: Type.Boolean(),
  /** Set when the code is a company's invite code: the join goes to that company directly. */
  invitedCompanyId: Type.Union([Id, Type.Null()]),
  /**
   * For a participant signed in from an earlier session: the company they spoke for last (its
   * entry here when it takes part already), so the join page can start with it chosen.
   */
  lastCompany: Type.Optional(Type.Object({ name: Type.String(), eventCompanyId: Type.Union([Id, Type.Null()]) })),
  /**
   * The name of the participant this browser joined as before, when their sign-in has expired
   * (joining under it signs them in as themselves).
   */
  rememberedName: Type.Optional(Type.String()),
});
export type JoinInfo = Static<typeof JoinInfo>;

export const JoinRequest = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 32 }),
    displayName: Name(TEXT_LIMITS.displayName),
    /** Pick a company already in the event… */
    eventCompanyId: Type.Optional(Id),
    /** …or name one (created when new). Exactly one of the two. */
    companyName: Type.Optional(Name(TEXT_LIMITS.companyName)),
    /**
     * Join although the company already has a member of this name from another browser (the
     * server's 409 rule 'same-name' asks first: it is often the same person on a second device).
     */
    confirmSameName: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type JoinRequest = Static<typeof JoinRequest>;

export const JoinResponse = Type.Object({
  eventId: Id,
  eventCompanyId: Id,
  role: Role,
  user: User,
});
export type JoinResponse = Static<typeof JoinResponse>;
