// Two real Kizuki processes sharing one PostgreSQL database and one Redis: documents converge
// across nodes (random edits and reconnects), the control plane's rights changes reach the other
// node at once, a node killed with -9 loses nothing the other node had received, and a Redis
// restart mid-session ends with every client converged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import pg from 'pg';
import type { WebsocketProvider } from 'y-websocket';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../helpers/yjs-client.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../shared/protocol/close-codes.ts';
import { newerState } from '../../shared/meetup/state-order.ts';
import type { MeetupState } from '../../shared/protocol/meetup.ts';

let cluster: Cluster;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
}, 90_000);

afterAll(async () => {
  for (const p of providers) p.destroy();
  await cluster?.stop();
}, 60_000);

function open(wsOrigin: string, docName: string, cookie: string | undefined, doc = new Y.Doc(), awareness?: WebsocketProvider['awareness']): WebsocketProvider {
  const provider = connectProvider(wsOrigin, docName, { cookie, doc, awareness });
  providers.push(provider);
  return provider;
}

/** The document as PostgreSQL holds it (snapshot + update rows), read directly. */
async function storedDoc(docName: string): Promise<Y.Doc> {
  const client = new pg.Client({ connectionString: cluster.db.url });
  await client.connect();
  try {
    const doc = new Y.Doc();
    const snapshot = await client.query('select state from yjs_snapshots where doc_name = $1', [docName]);
    for (const row of snapshot.rows) Y.applyUpdate(doc, row.state);
    const updates = await client.query('select update from yjs_updates where doc_name = $1 order by id', [docName]);
    for (const row of updates.rows) Y.applyUpdate(doc, row.update);
    return doc;
  } finally {
    await client.end();
  }
}

/** A sign-in with a wrong password (from `forwardedFor` when the node trusts the proxy header). */
function signIn(origin: string, email: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, ...(forwardedFor && { 'x-forwarded-for': forwardedFor }) },
    body: JSON.stringify({ email, password: 'wrong password 123' }),
  });
}

function contentOf(doc: Y.Doc): unknown {
  return { map: doc.getMap('notes').toJSON(), text: doc.getText('log').toString() };
}

/** A fresh event whose one company has two members, the first joined through `first`, the second through `second`. */
async function companyWithTwoMembers(first: string, second: string, title: string) {
  const facilitator = await setupFacilitator(first);
  const event = await createEvent(facilitator, title);
  const sato = await joinAs(first, event.joinCode, '佐藤', `株式会社あかね（${title}）`);
  const suzuki = await joinAs(second, event.joinCode, '鈴木', `株式会社あかね（${title}）`);
  expect(suzuki.eventCompanyId).toBe(sato.eventCompanyId);
  return { facilitator, event, sato, suzuki, docName: sheetDocName(sato.eventCompanyId) };
}

describe('two nodes over Redis', { timeout: 120_000 }, () => {
  it('clients on different nodes converge under random edits and reconnects, and PostgreSQL holds the result', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const { sato, suzuki, docName } = await companyWithTwoMembers(a.origin, b.origin, '収束テスト');
    const clients = [
      open(a.wsOrigin, docName, sato.client.cookie),
      open(b.wsOrigin, docName, suzuki.client.cookie),
      open(a.wsOrigin, docName, suzuki.client.cookie),
      open(b.wsOrigin, docName, sato.client.cookie),
    ];
    await Promise.all(clients.map((p) => whenSynced(p)));

    // A seeded generator: a failure can be replayed.
    let seed = 20261124;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const provider = clients[Math.floor(random() * clients.length)]!;
      const roll = random();
      if (roll < 0.06 && provider.wsconnected) provider.disconnect();
      else if (roll < 0.15 && !provider.shouldConnect) provider.connect();
      else if (roll < 0.6) provider.doc.getMap('notes').set(`k${Math.floor(random() * 40)}`, `${round}`);
      else provider.doc.getText('log').insert(0, `${round};`);
      if (round % 25 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    for (const provider of clients) if (!provider.shouldConnect) provider.connect();

    await eventually(() => {
      const expected = contentOf(clients[0]!.doc);
      for (const provider of clients) expect(contentOf(provider.doc)).toEqual(expected);
      expect(Y.encodeStateVector(clients[1]!.doc)).toEqual(Y.encodeStateVector(clients[0]!.doc));
    }, 20_000);
    expect(clients[0]!.doc.getText('log').length).toBeGreaterThan(0);

    // Each node stored what its own clients sent: together, everything.
    await eventually(async () => expect(contentOf(await storedDoc(docName))).toEqual(contentOf(clients[0]!.doc)), 10_000);

    // A client arriving later on either node gets the whole document in its first sync.
    for (const node of [a, b]) {
      const late = open(node.wsOrigin, docName, sato.client.cookie);
      await whenSynced(late);
      expect(contentOf(late.doc)).toEqual(contentOf(clients[0]!.doc));
    }
  });

  it('a node that loads a document gets the other node\'s edits that are not saved yet', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const { sato, suzuki, docName } = await companyWithTwoMembers(a.origin, b.origin, '未保存の取得');
    const writer = open(a.wsOrigin, docName, sato.client.cookie);
    await whenSynced(writer);
    // Written and at once read on the other node, which has not loaded the document before.
    writer.doc.getMap('notes').set('fresh', 'たった今');
    await new Promise((r) => setTimeout(r, 5));
    const reader = open(b.wsOrigin, docName, suzuki.client.cookie);
    await whenSynced(reader);
    await eventually(() => expect(reader.doc.getMap('notes').get('fresh')).toBe('たった今'), 2000);
  });

  it('rights and control-plane changes made on one node act on the other at once', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const { facilitator, event, suzuki, docName } = await companyWithTwoMembers(a.origin, b.origin, '権限の伝播');
    // The facilitator works on node A; Suzuki's socket and document are on node B.
    const console_ = await connectControlClient(a.origin, facilitator.cookie, event.id);
    const member = await connectControlClient(b.origin, suzuki.client.cookie, event.id);
    const sheet = open(b.wsOrigin, docName, suzuki.client.cookie);
    await whenSynced(sheet);
    try {
      // A company moved on A: its sockets on B follow it into the new room's channel.
      const { roomId } = await ask(console_.socket, 'room:create', { eventId: event.id, name: 'ルーム2' });
      expect(roomId).toBeTruthy();
      const moved = await ask(console_.socket, 'company:move', { eventId: event.id, eventCompanyId: suzuki.eventCompanyId, roomId });
      expect(moved.ok).toBe(true);
      await eventually(() => expect(member.frames.some(([e]) => e === 'event:changed')).toBe(true));
      const summoned = await ask(console_.socket, 'summon', { eventId: event.id, roomId, target: { element: 'data', tab: 'element' } });
      expect(summoned.ok).toBe(true);
      await eventually(() => expect(member.last('summon')).toMatchObject({ eventId: event.id, target: { element: 'data' } }));

      // Removed on A: the member's document on B closes with "removed", their socket is told.
      let closeCode: number | undefined;
      sheet.ws?.addEventListener('close', (e: { code: number }) => (closeCode ??= e.code));
      const removed = await facilitator.delete(`/api/events/${event.id}/members/${suzuki.userId}`);
      expect(removed.status).toBe(204);
      await eventually(() => expect(closeCode).toBe(CloseCode.Removed.code), 5000);
      await eventually(() => expect(member.last('member:removed')).toEqual({ eventId: event.id }), 5000);
    } finally {
      console_.socket.disconnect();
      member.socket.disconnect();
    }
  });

  it('meetup states pushed from both nodes at once: a member keeps the newest, the one PostgreSQL holds', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const facilitator = await setupFacilitator(a.origin);
    const event = await createEvent(facilitator, '時計の往復', 'meetup');
    const member = await joinAs(b.origin, event.joinCode, '鈴木', '株式会社みどり（時計の往復）');
    const onA = await connectControlClient(a.origin, facilitator.cookie, event.id);
    const onB = await connectControlClient(b.origin, facilitator.cookie, event.id);
    const board = await connectControlClient(b.origin, member.client.cookie, event.id);
    let kept: MeetupState | null = null;
    board.socket.on('meetup:state', (state: MeetupState) => (kept = newerState(kept, state, event.id)));
    try {
      // Both nodes hold pushes back (coalescing) and send them on their own timers.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => ask((i % 2 === 0 ? onA : onB).socket, 'clock:start', { eventId: event.id, stepIndex: i % 5 })),
      );
      expect(answers.filter((res) => !res.ok)).toEqual([]);
      const final = (await ask(onA.socket, 'meetup:get', { eventId: event.id })).state as MeetupState;
      await eventually(() => expect(kept?.revision).toBe(final.revision), 5000);
      expect(kept!.clock).toEqual(final.clock);
    } finally {
      for (const client of [onA, onB, board]) client.socket.disconnect();
    }
  });

  it('per-address limits count attempts on every node together', async () => {
    // Behind a proxy (X-Forwarded-For trusted from loopback): this test's own client address.
    const nodes = [await cluster.startNode('E', { TRUST_PROXY: 'loopback' }), await cluster.startNode('F', { TRUST_PROXY: 'loopback' })];
    const address = '203.0.113.41';
    // Sign-in allows 10 attempts a minute per address; spread over two nodes, the 11th is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(nodes[i % 2]!.origin, `nobody${i}@example.jp`, address)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // Another address is counted on its own.
    expect((await signIn(nodes[1]!.origin, 'nobody@example.jp', '203.0.113.42')).status).toBe(401);
  });

  it('while Redis is away, each node still limits an address by its own count', async () => {
    const node = await cluster.startNode('G', { TRUST_PROXY: 'loopback' });
    const address = '203.0.113.43';
    await cluster.redis.stop();
    try {
      const statuses: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 11; i++) statuses.push((await signIn(node.origin, `nobody${i}@example.jp`, address)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      // No attempt waited for Redis longer than its deadline.
      expect(Date.now() - started).toBeLessThan(11 * 1500);
    } finally {
      await cluster.redis.start();
    }
  });

  it('Redis restarted mid-session: nodes reconnect and resync, nothing is lost', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const { sato, suzuki, docName } = await companyWithTwoMembers(a.origin, b.origin, 'Redis 再起動');
    const onA = open(a.wsOrigin, docName, sato.client.cookie);
    const onB = open(b.wsOrigin, docName, suzuki.client.cookie);
    await Promise.all([whenSynced(onA), whenSynced(onB)]);
    onA.doc.getMap('notes').set('before', 'A');
    await eventually(() => expect(onB.doc.getMap('notes').get('before')).toBe('A'));

    await cluster.redis.stop();
    // While Redis is away each node still serves its own clients.
    onA.doc.getMap('notes').set('duringA', 'A');
    onB.doc.getMap('notes').set('duringB', 'B');
    // Sign-in does not wait for Redis (its per-address count is skipped, not awaited).
    const started = Date.now();
    expect((await signIn(a.origin, 'nobody@example.jp')).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 500));
    await cluster.redis.start();

    await eventually(() => {
      for (const doc of [onA.doc, onB.doc]) expect(doc.getMap('notes').toJSON()).toEqual({ before: 'A', duringA: 'A', duringB: 'B' });
    }, 15_000);
    onB.doc.getMap('notes').set('after', 'B');
    await eventually(() => expect(onA.doc.getMap('notes').get('after')).toBe('B'), 5000);
    for (const node of [a, b]) expect((await fetch(`${node.origin}/healthz`)).status).toBe(200);
    await eventually(async () => expect((await storedDoc(docName)).getMap('notes').toJSON()).toEqual(onA.doc.getMap('notes').toJSON()), 5000);
  });

  it('a node killed with -9 before saving: the other node stores what it received, and the clients converge there', async () => {
    const b = cluster.nodes[1]!;
    // Node C batches its writes for a minute: when it dies, none of its clients' edits is saved.
    const c = await cluster.startNode('C', { SYNC_FLUSH_DELAY_MS: '60000' });
    const { sato, suzuki, docName } = await companyWithTwoMembers(c.origin, b.origin, 'ノード停止');
    const onC = open(c.wsOrigin, docName, sato.client.cookie);
    const onB = open(b.wsOrigin, docName, suzuki.client.cookie);
    await Promise.all([whenSynced(onC), whenSynced(onB)]);
    // Sato's presence (on C) shows on B.
    const satoId = onC.doc.clientID;
    const presenceOnB = () => onB.awareness.getStates().get(satoId) as { user?: { name: string; moved?: boolean } } | undefined;
    onC.awareness.setLocalStateField('user', { name: '佐藤' });
    await eventually(() => expect(presenceOnB()?.user).toEqual({ name: '佐藤' }));

    for (let i = 0; i < 200; i++) onC.doc.getText('log').insert(onC.doc.getText('log').length, `${i},`);
    await eventually(() => expect(onB.doc.getText('log').length).toBe(onC.doc.getText('log').length), 10_000);
    const health = async () => (await (await fetch(`${b.origin}/healthz`)).json()) as { cluster: { heldForOthers: number; takenOver: number } };
    expect((await health()).cluster.heldForOthers).toBeGreaterThan(0);
    expect((await storedDoc(docName)).getText('log').length).toBe(0);

    await c.kill('SIGKILL');
    const expected = onC.doc.getText('log').toString();
    onC.destroy();

    // Once C's heartbeat has run out, B stores the edits C never saved.
    await eventually(async () => expect((await storedDoc(docName)).getText('log').toString()).toBe(expected), 15_000);
    const after = await health();
    expect(after.cluster.takenOver).toBeGreaterThan(0);
    expect(after.cluster.heldForOthers).toBe(0);
    // C's clients' presence went with C (not after the 30 s presence timeout).
    await eventually(() => expect(presenceOnB()).toBeUndefined(), 10_000);

    // C's user goes to B (as a load balancer would send them) with their document and presence, and converges.
    const moved = open(b.wsOrigin, docName, sato.client.cookie, onC.doc, onC.awareness);
    await whenSynced(moved);
    moved.awareness.setLocalStateField('user', { name: '佐藤', moved: true });
    await eventually(() => expect(presenceOnB()?.user).toEqual({ name: '佐藤', moved: true }));
    moved.doc.getMap('notes').set('afterFailover', 'ok');
    await eventually(() => expect(onB.doc.getMap('notes').get('afterFailover')).toBe('ok'));
    expect(onB.doc.getText('log').toString()).toBe(expected);
  });

  it('a node killed with -9 after answering a catch-up: the asker stores the unsaved edits the answer carried', async () => {
    const b = cluster.nodes[1]!;
    // D saves nothing for a minute; its edits reach B only in the answer to B's catch-up request
    // (B loads the document after they were made, so they were never relayed to it as updates).
    const d = await cluster.startNode('D', { SYNC_FLUSH_DELAY_MS: '60000' });
    const { sato, suzuki, docName } = await companyWithTwoMembers(d.origin, b.origin, '回答後の停止');
    const onD = open(d.wsOrigin, docName, sato.client.cookie);
    await whenSynced(onD);
    for (let i = 0; i < 20; i++) onD.doc.getText('log').insert(onD.doc.getText('log').length, `${i},`);
    const expected = onD.doc.getText('log').toString();
    const onB = open(b.wsOrigin, docName, suzuki.client.cookie);
    await whenSynced(onB);
    await eventually(() => expect(onB.doc.getText('log').toString()).toBe(expected));
    expect((await storedDoc(docName)).getText('log').length).toBe(0);

    await d.kill('SIGKILL');
    onD.destroy();
    await eventually(async () => expect((await storedDoc(docName)).getText('log').toString()).toBe(expected), 15_000);
  });

  it('a node killed with -9 after saving: nothing is stored twice by the survivor', async () => {
    const [a, b] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0]];
    const { sato, suzuki, docName } = await companyWithTwoMembers(a.origin, b.origin, '保存後の停止');
    const onA = open(a.wsOrigin, docName, sato.client.cookie);
    const onB = open(b.wsOrigin, docName, suzuki.client.cookie);
    await Promise.all([whenSynced(onA), whenSynced(onB)]);
    for (let i = 0; i < 50; i++) onA.doc.getText('log').insert(0, `${i};`);
    await eventually(() => expect(onB.doc.getText('log').length).toBe(onA.doc.getText('log').length));
    // A saved and said so: B lets go of its copies.
    const held = async () => ((await (await fetch(`${b.origin}/healthz`)).json()) as { cluster: { heldForOthers: number; takenOver: number } }).cluster;
    await eventually(async () => expect((await held()).heldForOthers).toBe(0), 5000);
    const takenBefore = (await held()).takenOver;
    await a.kill('SIGKILL');
    onA.destroy();
    await new Promise((r) => setTimeout(r, 5000));
    expect((await held()).takenOver).toBe(takenBefore);
    expect((await storedDoc(docName)).getText('log').toString()).toBe(onB.doc.getText('log').toString());
  });
});
