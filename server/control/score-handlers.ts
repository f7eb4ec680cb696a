// Self-assessment scores over the control plane: read all, set / clear one, read one's history.
// A participant scores only their own company, a facilitator any company of the event, an
// observer none; a closed event is read-only. Every change is pushed to the event's room; setting
// the value a score already has is acknowledged but writes and pushes nothing. score:set is
// rate-limited per socket.
import type { Socket } from 'socket.io';
import type { Db } from '../db/client.ts';
import type { SessionUser } from '../auth/session.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import type { Membership } from '../access/membership.ts';
import { EVENT_CLOSED, requireMember } from './guards.ts';
import { findEventCompany } from '../domain/events.ts';
import { mayViewScoresOf, scoreHistory, scoreVisibility, setScore, visibleScores } from '../domain/scores.ts';
import { badRequest, conflict, forbidden, HttpError } from '../errors.ts';
import { onValidated, type HandlerLogger } from './define-handler.ts';
import { tokenBucket } from './socket-limits.ts';
import { eq } from 'drizzle-orm';
import { events } from '../db/schema.ts';
import { EventOnlyPayload, ScoreHistoryPayload as HistoryPayload, ScoreSetPayload as SetPayload } from '../../shared/schemas/control.ts';

const GetPayload = EventOnlyPayload;

/** score:set per socket: bursts of up to `burst`, refilled at `burst` per `windowMs`. */
export const SCORE_SET_LIMIT = { burst: 20, windowMs: 10_000 };
export const SCORE_SET_TOO_FAST = '点数の変更が多すぎます。少し待ってください / Too many score changes, slow down';


export function registerScoreHandlers(
  socket: Socket,
  db: Db,
  user: SessionUser,
  log: HandlerLogger,
  publish: (event: DomainEvent) => Promise<void>,
): void {
  const member = (eventId: string): Promise<Membership> => requireMember(db, eventId, user.id);

  async function companyOfEvent(eventId: string, eventCompanyId: string): Promise<void> {
    if (!(await findEventCompany(db, eventId, eventCompanyId))) {
      throw badRequest('eventCompanyId: この会社はこの会に参加していません / not a company of this session');
    }
  }

  const scoreSets = tokenBucket(SCORE_SET_LIMIT.burst, SCORE_SET_LIMIT.burst / SCORE_SET_LIMIT.windowMs);

  onValidated(socket, log, 'scores:get', GetPayload, async ({ eventId }) => {
    const me = await member(eventId);
    return { scores: await visibleScores(db, eventId, me) };
  });

  onValidated(socket, log, 'score:set', SetPayload, async ({ eventId, eventCompanyId, element, value }) => {
    if (!scoreSets.take()) throw new HttpError(429, SCORE_SET_TOO_FAST);
    const me = await member(eventId);
    await companyOfEvent(eventId, eventCompanyId);
    if (me.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    if (me.role === 'observer') throw forbidden('オブザーバーは採点できません / Observers cannot score');
    if (me.role === 'participant' && me.eventCompanyId !== eventCompanyId) {
      throw forbidden('自社のみ採点できます / You can only score your own company');
    }
    const [settings] = await db.select({ elementScoring: events.elementScoring }).from(events).where(eq(events.id, eventId));
    if (settings && !settings.elementScoring) {
      throw conflict('この回は項目の採点をしません（ファシリテーターが採点をオフにしています） / Element scoring is turned off for this session');
    }
    const { score, changed } = await setScore(db, { eventCompanyId, element, value, userId: user.id });
    if (changed) await publish({ type: 'score.changed', eventId, score, visibility: await scoreVisibility(db, eventId, eventCompanyId) });
    return { score };
  });

  onValidated(socket, log, 'score:history', HistoryPayload, async ({ eventId, eventCompanyId, element }) => {
    const me = await member(eventId);
    await companyOfEvent(eventId, eventCompanyId);
    const history = await scoreHistory(db, eventCompanyId, element);
    // Hidden scores stay hidden here too (their history named every value set before the reveal).
    if (await mayViewScoresOf(db, eventId, me, eventCompanyId)) return { history };
    return { history: history.map((entry) => ({ value: null, setAt: entry.setAt, setByName: entry.setByName, hidden: true as const })) };
  });
}
