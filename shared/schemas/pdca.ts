// HTTP shapes of what carries between sessions: take-home actions (持ち帰り), a company's sessions,
// and its score trend.
import { Type, type Static } from 'typebox';
import { ELEMENT_IDS, type ElementId } from '../jcrm/elements.ts';

const Id = Type.String({ format: 'uuid' });
const Element = Type.Unsafe<ElementId>(Type.String({ enum: [...ELEMENT_IDS] }));
export const ACTION_TEXT_LIMIT = 300;
const ActionText = Type.String({ minLength: 1, maxLength: ACTION_TEXT_LIMIT, pattern: '\\S' });
const DueDate = Type.String({ format: 'date' });
export const ActionStatus = Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('carried'), Type.Literal('dropped')]);

export const TakeHomeAction = Type.Object({
  id: Id,
  eventId: Id,
  eventCompanyId: Id,
  element: Element,
  text: Type.String(),
  ownerUserId: Type.Union([Id, Type.Null()]),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  dueDate: Type.Union([Type.String(), Type.Null()]),
  status: ActionStatus,
  sourceCardId: Type.Union([Type.String(), Type.Null()]),
  carriedFromActionId: Type.Union([Id, Type.Null()]),
  /** A carried copy: who owned it last session (it becomes theirs when they join this one). */
  previousOwnerUserId: Type.Union([Id, Type.Null()]),
  previousOwnerName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type TakeHomeAction = Static<typeof TakeHomeAction>;

export const NewAction = Type.Object(
  {
    element: Element,
    text: ActionText,
    /** A member of the company (default: whoever adds it). */
    ownerUserId: Type.Optional(Type.Union([Id, Type.Null()])),
    dueDate: Type.Optional(Type.Union([DueDate, Type.Null()])),
    /** The 気付き card it was made from. */
    sourceCardId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const UpdateAction = Type.Object(
  {
    text: Type.Optional(ActionText),
    ownerUserId: Type.Optional(Type.Union([Id, Type.Null()])),
    dueDate: Type.Optional(Type.Union([DueDate, Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')])),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Carry an open action of an earlier session into this one (the review at the start of a session). */
export const CarryAction = Type.Object({ eventCompanyId: Id }, { additionalProperties: false });

export const CompanyActions = Type.Object({
  actions: Type.Array(TakeHomeAction),
  /** Open actions of the company's previous session in the series, to review now. */
  previous: Type.Array(TakeHomeAction),
  /**
   * The previous session's actions already reviewed (done, carried over, dropped): the record of
   * the review, and a way back from a mistaken 完了 / やめる.
   */
  reviewed: Type.Array(TakeHomeAction),
  /** Who can own an action: the company's members in this session. */
  members: Type.Array(Type.Object({ userId: Id, displayName: Type.String() })),
});

export const CompanySession = Type.Object({
  eventId: Id,
  eventCompanyId: Id,
  title: Type.String(),
  date: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  series: Type.Union([Type.Object({ id: Id, title: Type.String() }), Type.Null()]),
  carriedFromEventId: Type.Union([Id, Type.Null()]),
});

export const CompanySessions = Type.Object({
  company: Type.Object({ id: Id, name: Type.String() }),
  role: Type.Union([Type.Literal('member'), Type.Literal('facilitator')]),
  sessions: Type.Array(CompanySession),
});

export const CompanyTrend = Type.Object({
  sessions: Type.Array(Type.Object({ eventId: Id, title: Type.String(), date: Type.String() })),
  elements: Type.Array(
    Type.Object({ element: Element, values: Type.Array(Type.Union([Type.Integer(), Type.Null()])), change: Type.Union([Type.Integer(), Type.Null()]) }),
  ),
  weakest: Type.Array(Element),
});

export const CompanyParams = Type.Object({ companyId: Id });
export const ActionParams = Type.Object({ actionId: Id });
export const TrendQuery = Type.Object({ seriesId: Type.Optional(Id) }, { additionalProperties: false });

export const SeriesParams = Type.Object({ seriesId: Id });
const OverviewCell = Type.Object({ eventCompanyId: Id, scored: Type.Integer(), mean: Type.Union([Type.Number(), Type.Null()]) });
/** A series at a glance (shared/pdca/series-overview.ts): sessions × the companies that took part. */
export const SeriesOverview = Type.Object({
  series: Type.Object({ id: Id, title: Type.String() }),
  sessions: Type.Array(
    Type.Object({
      eventId: Id,
      title: Type.String(),
      date: Type.String(),
      status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
      companies: Type.Integer(),
    }),
  ),
  companies: Type.Array(
    Type.Object({
      companyId: Id,
      name: Type.String(),
      cells: Type.Array(Type.Union([OverviewCell, Type.Null()])),
      attended: Type.Integer(),
    }),
  ),
});
export type SeriesOverview = Static<typeof SeriesOverview>;
