// Help requests cannot be flooded: one person keeps at most one open request per event (asking
// again replaces its text), and an event holds at most MAX_OPEN_HELP_REQUESTS open ones. Every
// change pushes the whole open list to every facilitator socket; one participant on 10 sockets
// had made 1,888 requests in a minute, each push 820 KB.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import { helpRequests } from '../../../server/db/schema.ts';
import { MAX_OPEN_HELP_REQUESTS } from '../../../server/domain/meetup.ts';

const testServer = serverPerFile();
const clients: ControlClient[] = [];
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.socket.disconnect();
});

async function connect(cookie: string | undefined, eventId: string): Promise<ControlClient> {
  const client = await connectControlClient(testServer.server.origin, cookie, eventId);
  clients.push(client);
  return client;
}

async function cast(people: number) {
  const event = await createEvent(facilitator, `ヘルプ ${randomUUID()}`);
  const joined = [];
  for (let i = 0; i < people; i++) joined.push(await joinAs(testServer.server.origin, event.joinCode, `P${i}`, `会社${i}-${event.id.slice(0, 8)}`));
  return { event, people: joined, fac: await connect(facilitator.cookie, event.id) };
}

async function openHelp(fac: ControlClient, eventId: string): Promise<Array<{ id: string; userName: string; text: string }>> {
  const res = await ask(fac.socket, 'meetup:get', { eventId });
  expect(res.ok).toBe(true);
  return res.help;
}

/** Open requests written straight to the database, as an event flooded before the cap was. */
async function seedOpen(eventId: string, userId: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), eventId, userId, roomId: null, text: `古い依頼 ${i}` }));
  await testServer.server.app.db.insert(helpRequests).values(rows);
}

describe('help requests under a flood', () => {
  it('one person on ten sockets keeps one open request, its text the latest; another person adds their own', async () => {
    const { event, people, fac } = await cast(2);
    const sockets = [];
    for (let i = 0; i < 10; i++) sockets.push(await connect(people[0]!.client.cookie, event.id));

    // All ten at once (they race for the same open request), then more, one after another.
    const atOnce = await Promise.all(sockets.map((s, i) => ask(s.socket, 'help:request', { eventId: event.id, text: `${'h'.repeat(190)} ${i}` })));
    expect(atOnce.every((res) => res.ok)).toBe(true);
    for (let round = 0; round < 3; round++) {
      for (const [i, s] of sockets.entries()) expect((await ask(s.socket, 'help:request', { eventId: event.id, text: `依頼 ${round}-${i}` })).ok).toBe(true);
    }
    expect(await openHelp(fac, event.id)).toEqual([expect.objectContaining({ userName: 'P0', text: '依頼 2-9' })]);
    await eventually(() => expect(fac.last('help:requests')).toMatchObject({ added: false, requests: [expect.objectContaining({ text: '依頼 2-9' })] }));
    // Only the first one was new (the facilitators' cue); the rest changed its text.
    expect(fac.frames.filter(([e, p]) => e === 'help:requests' && p.added)).toHaveLength(1);

    // The same text again: answered ok, nothing pushed.
    const pushes = fac.frames.filter(([e]) => e === 'help:requests').length;
    expect((await ask(sockets[0]!.socket, 'help:request', { eventId: event.id, text: '依頼 2-9' })).ok).toBe(true);
    expect((await ask(fac.socket, 'time:sync', {})).ok).toBe(true);
    expect(fac.frames.filter(([e]) => e === 'help:requests').length).toBe(pushes);

    // Asking again with nothing typed ("still waiting") keeps what they asked for.
    expect((await ask(sockets[0]!.socket, 'help:request', { eventId: event.id, text: '' })).ok).toBe(true);
    expect((await openHelp(fac, event.id))[0]).toMatchObject({ text: '依頼 2-9' });

    const other = await connect(people[1]!.client.cookie, event.id);
    expect((await ask(other.socket, 'help:request', { eventId: event.id, text: '私も' })).ok).toBe(true);
    expect((await openHelp(fac, event.id)).map((h) => [h.userName, h.text])).toEqual([
      ['P0', '依頼 2-9'],
      ['P1', '私も'],
    ]);
    await eventually(() => expect(fac.last('help:requests')).toMatchObject({ added: true }));

    // Handled, the next request is a new one again.
    const [first] = await openHelp(fac, event.id);
    expect((await ask(fac.socket, 'help:handle', { eventId: event.id, helpId: first!.id })).ok).toBe(true);
    expect((await ask(sockets[0]!.socket, 'help:request', { eventId: event.id, text: 'もう一度' })).ok).toBe(true);
    const after = await openHelp(fac, event.id);
    expect(after.map((h) => h.text)).toEqual(['私も', 'もう一度']);
    expect(after[1]!.id).not.toBe(first!.id);
  });

  it(`an event holds at most ${MAX_OPEN_HELP_REQUESTS} open requests: beyond, a bilingual refusal until one is handled`, async () => {
    const { event, people, fac } = await cast(3);
    const [asker, refused, flooder] = await Promise.all(people.map((p) => connect(p.client.cookie, event.id)));
    await seedOpen(event.id, people[2]!.userId, MAX_OPEN_HELP_REQUESTS - 1);

    expect((await ask(asker!.socket, 'help:request', { eventId: event.id, text: '最後の一枠' })).ok).toBe(true);
    const full = await ask(refused!.socket, 'help:request', { eventId: event.id, text: '入らない' });
    expect(full).toMatchObject({ ok: false });
    expect(full.retry).toBeUndefined();
    expect(full.error).toMatch(/ヘルプの依頼が多すぎます.* \/ Too many open help requests/);
    // Someone with an open request may still change its text.
    expect((await ask(flooder!.socket, 'help:request', { eventId: event.id, text: '書き直し' })).ok).toBe(true);
    const open = await openHelp(fac, event.id);
    expect(open).toHaveLength(MAX_OPEN_HELP_REQUESTS);
    expect(open.some((h) => h.text === '入らない')).toBe(false);

    const mine = open.find((h) => h.text === '最後の一枠')!;
    expect((await ask(fac.socket, 'help:handle', { eventId: event.id, helpId: mine.id })).ok).toBe(true);
    expect((await ask(refused!.socket, 'help:request', { eventId: event.id, text: '今度は入る' })).ok).toBe(true);
    expect((await openHelp(fac, event.id)).some((h) => h.text === '今度は入る')).toBe(true);

    // An event flooded before the cap still sends facilitators at most the cap.
    await seedOpen(event.id, people[2]!.userId, 50);
    expect(await openHelp(fac, event.id)).toHaveLength(MAX_OPEN_HELP_REQUESTS);
  });
});
