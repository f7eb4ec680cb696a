// 気付き cards on the control plane: authorship as the server recorded it, and 共感 reactions,
// whose author is always this socket's user. Reacting is rate-limited per socket.
import type { Socket } from 'socket.io';
import type { Db } from '../db/client.ts';
import type { SessionUser } from '../auth/session.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import type { Membership } from '../access/membership.ts';
import { EVENT_CLOSED, requireMember } from './guards.ts';
import { findLiveCard, setReaction } from '../domain/cards.ts';
import type { CardLists } from './card-lists.ts';
import { CardReactPayload, CardsGetPayload } from '../../shared/schemas/control.ts';
import { conflict, forbidden, HttpError, notFound } from '../errors.ts';
import { onValidated, type HandlerLogger } from './define-handler.ts';
import { tokenBucket } from './socket-limits.ts';

/** card:react per socket: bursts of up to 30, refilled at 30 per 10 s. */
export const CARD_REACT_LIMIT = { burst: 30, windowMs: 10_000 };

export function registerCardHandlers(
  socket: Socket,
  db: Db,
  user: SessionUser,
  log: HandlerLogger,
  publish: (event: DomainEvent) => Promise<void>,
  /** The node's shared card lists (one query for many readers, paced per user). */
  cardLists: CardLists,
): void {
  const member = (eventId: string): Promise<Membership> => requireMember(db, eventId, user.id);

  const reacts = tokenBucket(CARD_REACT_LIMIT.burst, CARD_REACT_LIMIT.burst / CARD_REACT_LIMIT.windowMs);

  onValidated(socket, log, 'cards:get', CardsGetPayload, async ({ eventId }) => {
    await member(eventId);
    return { cards: await cardLists.read(user.id, eventId) };
  });

  onValidated(socket, log, 'card:react', CardReactPayload, async ({ eventId, docName, cardId, on }) => {
    if (!reacts.take()) throw new HttpError(429, '共感の操作が速すぎます。少し待ってください / Too many reactions, slow down');
    const me = await member(eventId);
    if (me.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    if (me.role === 'observer') throw forbidden('オブザーバーは共感できません / Observers cannot react');
    if (!(await findLiveCard(db, eventId, docName, cardId))) throw notFound('カードが見つかりません / No such card');
    const reactions = await setReaction(db, { eventId, docName, cardId, userId: user.id, on });
    await publish({ type: 'card.reactions', eventId, docName, cardId, reactions });
    return { reactions };
  });
}
