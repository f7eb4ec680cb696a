// Session and document checks for WebSocket connections (Yjs and socket.io), with the database
// round trips shared between connections arriving together (TickBatcher): after a restart, 1,000
// browsers reconnecting cost a few queries per turn, not one or three each. A Yjs upgrade asks
// everything it needs (session, user, the document's event, the membership there) in one query;
// a socket.io handshake only its session. The answers are the ones validateSessionToken() and
// docAccess() give (same checks, loaded in bulk); nothing is cached beyond the turn, so a removed
// member or a closed session is refused at once.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, events, rooms, sessions, users } from '../db/schema.ts';
import { TickBatcher } from '../db/tick-batcher.ts';
import { checkSession, sessionRowsLoader, sessionIdFromToken, TOKEN_SHAPE, type SessionRow, type ValidSession } from '../auth/session.ts';
import { decideFor, toDecision, type DocDecision, type Membership } from './membership.ts';
import type { DocRef } from '../../shared/protocol/doc-names.ts';

/** What one Yjs upgrade needs to know, read in one row. */
interface DocAuthRow extends SessionRow {
  /** The document's event; null when the document does not exist. */
  eventId: string | null;
  /** The caller's membership in that event; null when none. */
  member: Omit<Membership, 'eventId'> | null;
}

/**
 * One prepared query for many (session, document) pairs: the keys go in as parallel arrays
 * (unnest), so the SQL text is the same whatever the batch size. Pairs whose session does not
 * exist are missing from the result.
 */
function docAuthLoader(db: Db): (keys: string[]) => Promise<Map<string, DocAuthRow>> {
  const key = sql<string>`k.key`;
  const docEventId = sql<string | null>`coalesce(${eventCompanies.eventId}, ${rooms.eventId})`;
  const query = db
    .select({
      key,
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      userId: users.id,
      kind: users.kind,
      email: users.email,
      displayName: users.displayName,
      eventId: docEventId,
      role: eventMembers.role,
      eventCompanyId: eventMembers.eventCompanyId,
      eventStatus: events.status,
    })
    .from(
      sql`unnest(${sql.placeholder('keys')}::text[], ${sql.placeholder('sessionIds')}::text[], ${sql.placeholder('sheetIds')}::uuid[], ${sql.placeholder('roomIds')}::uuid[]) as k(key, session_id, sheet_id, room_id)`,
    )
    .innerJoin(sessions, eq(sessions.id, sql`k.session_id`))
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(eventCompanies, eq(eventCompanies.id, sql`k.sheet_id`))
    .leftJoin(rooms, eq(rooms.id, sql`k.room_id`))
    .leftJoin(eventMembers, and(eq(eventMembers.eventId, docEventId), eq(eventMembers.userId, users.id)))
    .leftJoin(events, eq(events.id, eventMembers.eventId))
    .prepare('kizuki_doc_auth');
  return async (keys) => {
    const parsed = keys.map(parseDocAuthKey);
    const rows = await query.execute({
      keys,
      sessionIds: parsed.map((k) => k.sessionId),
      sheetIds: parsed.map((k) => (k.ref.kind === 'sheet' ? k.ref.eventCompanyId : null)),
      roomIds: parsed.map((k) => (k.ref.kind === 'room' ? k.ref.roomId : null)),
    });
    return new Map(
      rows.map((r) => [
        r.key,
        {
          expiresAt: r.expiresAt,
          absoluteExpiresAt: r.absoluteExpiresAt,
          user: { id: r.userId, kind: r.kind, email: r.email, displayName: r.displayName },
          eventId: r.eventId,
          member: r.role && r.eventStatus ? { role: r.role, eventCompanyId: r.eventCompanyId, eventStatus: r.eventStatus } : null,
        },
      ]),
    );
  };
}

/** key: `${sessionId} ${kind} ${id}` (the session id is hex, the id a uuid: no spaces in either). */
const docAuthKey = (sessionId: string, ref: DocRef) => `${sessionId} ${ref.kind === 'sheet' ? `sheet ${ref.eventCompanyId}` : `room ${ref.roomId}`}`;
function parseDocAuthKey(key: string): { sessionId: string; ref: DocRef } {
  const [sessionId, kind, id] = key.split(' ') as [string, 'sheet' | 'room', string];
  return { sessionId, ref: kind === 'sheet' ? { kind, eventCompanyId: id } : { kind, roomId: id } };
}

export interface DocAuthorization {
  session: ValidSession;
  decision: DocDecision;
  /** The company the user speaks for in the document's event (null: facilitator, observer, outsider). */
  eventCompanyId: string | null;
}

export class ConnectionAuth {
  private readonly sessions: TickBatcher<string, SessionRow>;
  private readonly docAuth: TickBatcher<string, DocAuthRow>;

  constructor(private readonly db: Db) {
    // Prepared once (one SQL text whatever the batch size): a storm of connections costs the
    // round trips, not rebuilding the queries.
    this.sessions = new TickBatcher(sessionRowsLoader(db));
    this.docAuth = new TickBatcher(docAuthLoader(db));
  }

  /** Same answer as validateSessionToken(). */
  async validate(token: string, now = new Date()): Promise<ValidSession | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const sessionId = sessionIdFromToken(token);
    return checkSession(this.db, sessionId, await this.sessions.get(sessionId), now);
  }

  /**
   * validateSessionToken() and then docAccess() for that user, in one round trip: null when the
   * session is not valid, else the session and the decision.
   */
  async authorizeDoc(token: string, ref: DocRef, now = new Date()): Promise<DocAuthorization | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const sessionId = sessionIdFromToken(token);
    const row = await this.docAuth.get(docAuthKey(sessionId, ref));
    const session = await checkSession(this.db, sessionId, row, now);
    if (!session || !row) return null;
    if (!row.eventId) return { session, decision: toDecision(['none', null]), eventCompanyId: null };
    const member = row.member && { eventId: row.eventId, ...row.member };
    return { session, decision: toDecision(decideFor(ref, row.eventId, member)), eventCompanyId: member?.eventCompanyId ?? null };
  }
}
