// socket.io payload schemas (TypeBox), one per client→server event; the server validates every
// payload against them and the types are the ones declared in shared/protocol/control-events.ts.
import { Type } from 'typebox';
import { CARD_ID_PATTERN, MAX_CARD_ID_LENGTH } from '../protocol/doc-shapes.ts';
import { SCORE_VALUES } from '../jcrm/scoring.ts';
import { ElementIdSchema } from './api.ts';
import { OneLineName, OneLineText } from './text.ts';

/**
 * Lower case only, as the server writes ids. Format uuid and PostgreSQL ignore case, but socket.io
 * channel names (event:<id>, company:<id>) do not: an id in upper case joined channels nobody
 * publishes to or removes members from, and pushed to channels nobody listens on.
 */
export const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
/** sheet:<uuid> or room:<uuid> (checked further by parseDocName). */
const DocName = Type.String({ minLength: 5, maxLength: 48, pattern: '^(sheet|room):[0-9a-f-]{36}$' });
const CardId = Type.String({ minLength: 1, maxLength: MAX_CARD_ID_LENGTH, pattern: CARD_ID_PATTERN });

export const SubscribePayload = Type.Object({ eventId: Uuid }, { additionalProperties: false });

export const CardsGetPayload = Type.Object({ eventId: Uuid }, { additionalProperties: false });

export const CardReactPayload = Type.Object(
  { eventId: Uuid, docName: DocName, cardId: CardId, on: Type.Boolean() },
  { additionalProperties: false },
);

const EventOnly = { eventId: Uuid };
const Minutes = Type.Integer({ minimum: 1, maximum: 240 });
/** Non-empty text that may run over several lines (a message to the rooms). */
const ShortText = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const Element = ElementIdSchema;

export const EventOnlyPayload = Type.Object(EventOnly, { additionalProperties: false });

const ScoreValue = Type.Union([...SCORE_VALUES.map((v) => Type.Literal(v)), Type.Null()]);
export const ScoreSetPayload = Type.Object(
  { ...EventOnly, eventCompanyId: Uuid, element: Element, value: ScoreValue },
  { additionalProperties: false },
);
export const ScoreHistoryPayload = Type.Object({ ...EventOnly, eventCompanyId: Uuid, element: Element }, { additionalProperties: false });

export const TimeSyncPayload = Type.Object({}, { additionalProperties: false });

export const AgendaSetPayload = Type.Object(
  {
    ...EventOnly,
    steps: Type.Array(
      Type.Object(
        { title: Type.Object({ ja: OneLineName(60), en: OneLineText(60) }, { additionalProperties: false }), durationMinutes: Minutes },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const ClockStartPayload = Type.Object({ ...EventOnly, stepIndex: Type.Integer({ minimum: 0, maximum: 19 }) }, { additionalProperties: false });
export const ClockExtendPayload = Type.Object({ ...EventOnly, minutes: Type.Integer({ minimum: 1, maximum: 60 }) }, { additionalProperties: false });

export const SettingsPayload = Type.Object(
  {
    ...EventOnly,
    theme: Type.Optional(Type.Union([OneLineText(80), Type.Null()])),
    coveredElements: Type.Optional(Type.Array(Element, { maxItems: 10, uniqueItems: true })),
    scoresHidden: Type.Optional(Type.Boolean()),
    roomMode: Type.Optional(Type.Union([Type.Literal('assigned'), Type.Literal('self-select')])),
    /** Whether companies score the diagram's elements 0–3 in this session (our adaptation; may be off). */
    elementScoring: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RevealPayload = Type.Object({ ...EventOnly, roomId: Type.Union([Uuid, Type.Null()]) }, { additionalProperties: false });

export const BannerPayload = Type.Object({ ...EventOnly, roomId: Type.Union([Uuid, Type.Null()]), text: ShortText(200) }, { additionalProperties: false });

export const BannerRemovePayload = Type.Object({ ...EventOnly, bannerId: Uuid }, { additionalProperties: false });

export const DonePayload = Type.Object({ ...EventOnly, done: Type.Boolean() }, { additionalProperties: false });

export const HelpRequestPayload = Type.Object({ ...EventOnly, text: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
export const HelpHandlePayload = Type.Object({ ...EventOnly, helpId: Uuid }, { additionalProperties: false });

export const SummonPayload = Type.Object(
  {
    ...EventOnly,
    roomId: Type.Union([Uuid, Type.Null()]),
    target: Type.Object(
      { element: Type.Union([Element, Type.Null()]), tab: Type.Union([Type.Literal('element'), Type.Literal('comparison')]) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SplitPayload = Type.Object(
  {
    ...EventOnly,
    size: Type.Optional(Type.Integer({ minimum: 2, maximum: 8 })),
    keepApart: Type.Optional(Type.Boolean()),
    /** Only companies with someone online (default), or all of the event's companies. */
    presentOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const MovePayload = Type.Object({ ...EventOnly, eventCompanyId: Uuid, roomId: Type.Union([Uuid, Type.Null()]) }, { additionalProperties: false });
export const RoomCreatePayload = Type.Object({ ...EventOnly, name: OneLineName(40) }, { additionalProperties: false });
export const RoomRenamePayload = Type.Object({ ...EventOnly, roomId: Uuid, name: OneLineName(40) }, { additionalProperties: false });
export const RoomRemovePayload = Type.Object({ ...EventOnly, roomId: Uuid }, { additionalProperties: false });
export const RoomChoosePayload = Type.Object({ ...EventOnly, roomId: Uuid }, { additionalProperties: false });

export const PhasePayload = Type.Object(
  {
    ...EventOnly,
    phase: Type.Union([Type.Literal('breakout'), Type.Literal('closing'), Type.Literal('plenary')]),
    /** Countdown before the plenary (phase 'closing'). */
    seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
  },
  { additionalProperties: false },
);

export const SpotlightPayload = Type.Object(
  {
    ...EventOnly,
    spotlight: Type.Union([
      Type.Object({ kind: Type.Literal('card'), docName: DocName, cardId: CardId }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('element'), element: Element }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
