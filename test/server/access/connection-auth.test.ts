// ConnectionAuth.authorizeDoc answers a Yjs upgrade's questions (session, then access to one
// document) in one batched query: it must give exactly what validateSessionToken() + docAccess()
// give, for every kind of caller and document, when many connections ask in the same turn.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { ConnectionAuth } from '../../../server/access/connection-auth.ts';
import { docAccess } from '../../../server/access/membership.ts';
import { sessionIdFromToken, validateSessionToken } from '../../../server/auth/session.ts';
import { rooms, sessions } from '../../../server/db/schema.ts';
import type { DocRef } from '../../../shared/protocol/doc-names.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
let cast: Awaited<ReturnType<typeof makeCast>>;

const tokenOf = (client: ApiClient) => client.cookie!.split('=')[1]!;

async function makeCast() {
  const event = await createEvent(facilitator, '認可テスト');
  const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', '青空通販');
  const bob = await joinAs(testServer.server.origin, event.joinCode, 'Bob', 'みどり本舗');
  const other = await createEvent(facilitator, '別のイベント');
  const carol = await joinAs(testServer.server.origin, other.joinCode, 'Carol', '山田商店');
  const roomId = randomUUID();
  await testServer.db.database.db.insert(rooms).values({ id: roomId, eventId: event.id, name: 'ルーム1' });
  const docs: Record<string, DocRef> = {
    aliceSheet: { kind: 'sheet', eventCompanyId: alice.eventCompanyId },
    bobSheet: { kind: 'sheet', eventCompanyId: bob.eventCompanyId },
    room: { kind: 'room', roomId },
    carolSheet: { kind: 'sheet', eventCompanyId: carol.eventCompanyId },
    missingSheet: { kind: 'sheet', eventCompanyId: randomUUID() },
    missingRoom: { kind: 'room', roomId: randomUUID() },
  };
  const tokens: Record<string, string> = {
    facilitator: tokenOf(facilitator),
    alice: tokenOf(alice.client),
    bob: tokenOf(bob.client),
    carol: tokenOf(carol.client),
    unknown: 'a'.repeat(39),
    malformed: 'not a token!',
  };
  const companies = { alice: alice.eventCompanyId, bob: bob.eventCompanyId };
  return { event, docs, tokens, companies };
}

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  cast = await makeCast();
});

/** What the one-query-at-a-time functions answer for every caller × document. */
async function expected() {
  const db = testServer.db.database.db;
  const out: Record<string, unknown> = {};
  for (const [who, token] of Object.entries(cast.tokens)) {
    for (const [doc, ref] of Object.entries(cast.docs)) {
      const session = await validateSessionToken(db, token);
      out[`${who} ${doc}`] = session ? { userId: session.user.id, decision: await docAccess(db, session.user.id, ref) } : null;
    }
  }
  return out;
}

/** The same questions asked of ConnectionAuth all at once (one turn: they share batched queries). */
async function batched() {
  const auth = new ConnectionAuth(testServer.db.database.db);
  const pairs = Object.entries(cast.tokens).flatMap(([who, token]) => Object.entries(cast.docs).map(([doc, ref]) => ({ key: `${who} ${doc}`, token, ref })));
  // Every pair twice: the same key asked twice in one turn gets the same answer.
  const answers = await Promise.all([...pairs, ...pairs].map(({ token, ref }) => auth.authorizeDoc(token, ref)));
  const out: Record<string, unknown> = {};
  pairs.forEach(({ key }, i) => {
    const a = answers[i];
    expect(answers[i + pairs.length]).toEqual(a);
    out[key] = a ? { userId: a.session.user.id, decision: a.decision } : null;
  });
  return out;
}

describe('ConnectionAuth.authorizeDoc', () => {
  it('answers as validateSessionToken() + docAccess() for every caller and document, many at once', async () => {
    const want = await expected();
    const got = await batched();
    expect(got).toEqual(want);
    // The matrix is not trivially uniform: spot-check what the rules say.
    const access = (key: string) => (got[key] as { decision: { access: string; readOnlyReason?: string } } | null)?.decision;
    expect(access('alice aliceSheet')).toEqual({ access: 'write', eventId: cast.event.id });
    expect(access('alice bobSheet')).toMatchObject({ access: 'read', readOnlyReason: 'other-party' });
    expect(access('alice room')).toMatchObject({ access: 'read', readOnlyReason: 'other-party' });
    expect(access('facilitator room')).toMatchObject({ access: 'write' });
    expect(access('facilitator carolSheet')).toMatchObject({ access: 'write' });
    expect(access('carol aliceSheet')).toEqual({ access: 'none', eventId: cast.event.id });
    expect(access('alice missingSheet')).toEqual({ access: 'none', eventId: null });
    expect(access('bob missingRoom')).toEqual({ access: 'none', eventId: null });
    expect(got['unknown aliceSheet']).toBeNull();
    expect(got['malformed room']).toBeNull();
  });

  it('names the company the user speaks for in the document’s event (presence must carry it)', async () => {
    const auth = new ConnectionAuth(testServer.db.database.db);
    const companyOf = async (who: string, doc: string) => (await auth.authorizeDoc(cast.tokens[who]!, cast.docs[doc]!))?.eventCompanyId;
    expect(await companyOf('alice', 'room')).toBe(cast.companies.alice);
    expect(await companyOf('alice', 'bobSheet')).toBe(cast.companies.alice);
    expect(await companyOf('bob', 'room')).toBe(cast.companies.bob);
    expect(await companyOf('facilitator', 'room')).toBeNull();
    // Carol belongs to another event: she speaks for no company in this one.
    expect(await companyOf('carol', 'room')).toBeNull();
  });

  it('makes a closed event read-only for everyone, as docAccess() does', async () => {
    const closed = await facilitator.post(`/api/events/${cast.event.id}/close`, {});
    expect(closed.status).toBe(200);
    const got = await batched();
    expect(got).toEqual(await expected());
    expect((got['alice aliceSheet'] as { decision: unknown }).decision).toEqual({ access: 'read', eventId: cast.event.id, readOnlyReason: 'closed' });
    expect((got['facilitator room'] as { decision: unknown }).decision).toMatchObject({ access: 'read', readOnlyReason: 'closed' });
  });

  it('refuses an expired session and deletes it', async () => {
    const db = testServer.db.database.db;
    const sessionId = sessionIdFromToken(cast.tokens.bob!);
    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sessionId));
    const auth = new ConnectionAuth(db);
    expect(await auth.authorizeDoc(cast.tokens.bob!, cast.docs.bobSheet!)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, sessionId))).toHaveLength(0);
  });
});
