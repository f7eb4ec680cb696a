// Ids in control payloads are lower case only: socket.io channel names are case-sensitive, so an
// event id in upper case (which format uuid and PostgreSQL accept) once put a socket in
// event:<UPPER> plus the real company channel, and removing the member, which looked for their
// sockets in event:<lower>, left it hearing the company's pushes. A removal now finds every socket
// of the user through their own channel.
import { describe, expect, it } from 'vitest';
import { controlSuite } from '../../helpers/control-suite.ts';
import { createEvent, joinAs } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask, type ControlClient } from '../../helpers/control-client.ts';
import { controlRoom } from '../../../shared/protocol/control-events.ts';

const suite = controlSuite();
const { testServer, connect } = suite;

/** The server's side of a connected client's socket. */
const serverSocket = (client: ControlClient) => testServer.server.app.io.sockets.sockets.get(client.socket.id!)!;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ids in upper case', () => {
  it('are refused by every control payload with a clear, field-naming error', async () => {
    const event = await createEvent(suite.facilitator, `大文字 ${Math.random()}`);
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 4)}`);
    const client = await connect(alice.client.cookie);
    const upper = event.id.toUpperCase();
    for (const [name, payload] of [
      ['event:subscribe', { eventId: upper }],
      ['scores:get', { eventId: upper }],
      ['meetup:get', { eventId: upper }],
      ['cards:get', { eventId: upper }],
      ['score:history', { eventId: event.id, eventCompanyId: alice.eventCompanyId.toUpperCase(), element: 'philosophy' }],
    ] as const) {
      const res = await ask(client.socket, name, payload);
      expect(res, name).toMatchObject({ ok: false, rule: 'pattern' });
      expect(res.error).toMatch(/\//); // bilingual
      expect(res.retry).toBeUndefined();
    }
    const server = serverSocket(client);
    expect([...server.rooms].filter((r) => r.startsWith('event:') || r.startsWith('company:'))).toEqual([]);
    // The same id in lower case works.
    expect(await ask(client.socket, 'event:subscribe', { eventId: event.id })).toEqual({ ok: true, role: 'participant' });
  });
});

describe('removing a member', () => {
  it("takes every socket of theirs out of the company's channels, even one that is not in the event's channel", async () => {
    const event = await createEvent(suite.facilitator, `境界 ${Math.random()}`);
    const mate = await joinAs(testServer.server.origin, event.joinCode, 'Mate', `Boundary-${event.id.slice(0, 4)}`);
    const evil = await joinAs(testServer.server.origin, event.joinCode, 'Evil', `Boundary-${event.id.slice(0, 4)}`);
    expect(evil.eventCompanyId).toBe(mate.eventCompanyId);

    const subscribed = await connect(evil.client.cookie, event.id);
    // What event:subscribe with an upper-case id used to leave behind: the company's channel
    // without the event's (under its real name).
    const stray = await connect(evil.client.cookie);
    serverSocket(stray).join(controlRoom.company(mate.eventCompanyId));

    expect((await suite.facilitator.delete(`/api/events/${event.id}/members/${evil.userId}`)).status).toBe(204);
    await eventually(() => expect(subscribed.last('member:removed')).toEqual({ eventId: event.id }));
    await eventually(() => expect(stray.last('member:removed')).toEqual({ eventId: event.id }));
    for (const c of [subscribed, stray]) {
      const rooms = [...serverSocket(c).rooms];
      expect(rooms.filter((r) => r.startsWith('event:') || r.startsWith('company:'))).toEqual([]);
    }

    // The company carries on; neither socket hears it.
    const mateSocket = await connect(mate.client.cookie, event.id);
    expect((await ask(mateSocket.socket, 'score:set', { eventId: event.id, eventCompanyId: mate.eventCompanyId, element: 'philosophy', value: 3 })).ok).toBe(true);
    await eventually(() => expect(mateSocket.last('score:changed')).toMatchObject({ value: 3 }));
    await sleep(300);
    expect(subscribed.frames.filter(([e]) => e === 'score:changed')).toEqual([]);
    expect(stray.frames.filter(([e]) => e === 'score:changed')).toEqual([]);
  });
});
