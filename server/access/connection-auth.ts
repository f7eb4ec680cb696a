// Session and document checks for WebSocket connections (Yjs and socket.io), with the database
// round trips shared between connections arriving together (TickBatcher): after a restart, 1,000
// browsers reconnecting cost a few queries per turn, not three each. The answers are the same as
// validateSessionToken() and docAccess() give (same checks, loaded in bulk); nothing is cached
// beyond the turn, so a removed member or a closed session is refused at once.
import { and, eq } from 'drizzle-orm';
import { anyOf } from '../db/any-of.ts';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, events, rooms } from '../db/schema.ts';
import { TickBatcher } from '../db/tick-batcher.ts';
import { checkSession, sessionRowsLoader, sessionIdFromToken, type SessionRow, type ValidSession } from '../auth/session.ts';
import { decideFor, toDecision, type DocDecision, type Membership } from './membership.ts';
import type { DocRef } from '../../shared/protocol/doc-names.ts';

const TOKEN_SHAPE = /^[a-z2-7]{20,64}$/;

export class ConnectionAuth {
  private readonly sessions: TickBatcher<string, SessionRow>;
  private readonly sheetEvents: TickBatcher<string, string>;
  private readonly roomEvents: TickBatcher<string, string>;
  /** key: `${eventId} ${userId}` */
  private readonly memberships: TickBatcher<string, Membership>;

  constructor(private readonly db: Db) {
    // Prepared once (one SQL text whatever the batch size): a storm of connections costs the
    // round trips, not rebuilding the queries.
    this.sessions = new TickBatcher(sessionRowsLoader(db));
    const sheetEvents = db.select({ id: eventCompanies.id, eventId: eventCompanies.eventId }).from(eventCompanies).where(anyOf(eventCompanies.id, 'ids')).prepare('kizuki_sheet_events');
    this.sheetEvents = new TickBatcher(async (ids) => new Map((await sheetEvents.execute({ ids })).map((r) => [r.id, r.eventId])));
    const roomEvents = db.select({ id: rooms.id, eventId: rooms.eventId }).from(rooms).where(anyOf(rooms.id, 'ids')).prepare('kizuki_room_events');
    this.roomEvents = new TickBatcher(async (ids) => new Map((await roomEvents.execute({ ids })).map((r) => [r.id, r.eventId])));
    const memberships = db
      .select({ eventId: eventMembers.eventId, userId: eventMembers.userId, role: eventMembers.role, eventCompanyId: eventMembers.eventCompanyId, eventStatus: events.status })
      .from(eventMembers)
      .innerJoin(events, eq(events.id, eventMembers.eventId))
      .where(and(anyOf(eventMembers.eventId, 'eventIds'), anyOf(eventMembers.userId, 'userIds')))
      .prepare('kizuki_memberships');
    this.memberships = new TickBatcher(async (keys) => {
      const pairs = keys.map((k) => k.split(' ') as [string, string]);
      const rows = await memberships.execute({ eventIds: [...new Set(pairs.map((p) => p[0]))], userIds: [...new Set(pairs.map((p) => p[1]))] });
      const wanted = new Set(keys);
      const found = new Map<string, Membership>();
      for (const { userId, ...row } of rows) {
        const key = `${row.eventId} ${userId}`;
        if (wanted.has(key)) found.set(key, row);
      }
      return found;
    });
  }

  /** Same answer as validateSessionToken(). */
  async validate(token: string, now = new Date()): Promise<ValidSession | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const sessionId = sessionIdFromToken(token);
    return checkSession(this.db, sessionId, await this.sessions.get(sessionId), now);
  }

  /** Same answer as docAccess(). */
  async docAccess(userId: string, ref: DocRef): Promise<DocDecision> {
    const eventId = ref.kind === 'sheet' ? await this.sheetEvents.get(ref.eventCompanyId) : await this.roomEvents.get(ref.roomId);
    if (!eventId) return toDecision(['none', null]);
    const member = (await this.memberships.get(`${eventId} ${userId}`)) ?? null;
    return toDecision(decideFor(ref, eventId, member));
  }
}
