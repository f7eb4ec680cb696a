// socket.io payload schemas (TypeBox), one per client→server event; the server validates every
// payload against them and the types are the ones declared in shared/protocol/control-events.ts.
import { Type } from 'typebox';
import { MAX_CARD_ID_LENGTH } from '../protocol/doc-shapes.ts';

const Uuid = Type.String({ format: 'uuid' });
/** sheet:<uuid> or room:<uuid> (checked further by parseDocName). */
const DocName = Type.String({ minLength: 5, maxLength: 48, pattern: '^(sheet|room):[0-9a-f-]{36}$' });
const CardId = Type.String({ minLength: 1, maxLength: MAX_CARD_ID_LENGTH });

export const CardsGetPayload = Type.Object({ eventId: Uuid }, { additionalProperties: false });

export const CardReactPayload = Type.Object(
  { eventId: Uuid, docName: DocName, cardId: CardId, on: Type.Boolean() },
  { additionalProperties: false },
);
