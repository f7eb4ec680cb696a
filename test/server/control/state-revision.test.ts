// The meetup state carries a revision counted in the database: every change raises it (commands,
// rooms made, renamed and removed, the close), a command that changes nothing (or a help request,
// which participants do not see) leaves it, and what one client receives never goes back.
import { describe, expect, it } from 'vitest';
import { controlSuite } from '../../helpers/control-suite.ts';
import { createEvent, joinAs } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask, type ControlClient } from '../../helpers/control-client.ts';

const suite = controlSuite();
const { testServer, connect } = suite;

async function revisionNow(client: ControlClient, eventId: string): Promise<number> {
  const res = await ask(client.socket, 'meetup:get', { eventId });
  expect(res.ok).toBe(true);
  return res.state.revision;
}

describe('meetup state revision', () => {
  it('grows with every kind of change, and a member’s pushes never go back', async () => {
    const event = await createEvent(suite.facilitator, `交流会 ${Math.random()}`, 'meetup');
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 4)}`);
    const fac = await connect(suite.facilitator.cookie, event.id);
    const board = await connect(alice.client.cookie, event.id);
    const seen: number[] = [await revisionNow(fac, event.id)];
    const expectHigher = async (what: string) => {
      const now = await revisionNow(fac, event.id);
      expect(now, what).toBeGreaterThan(seen.at(-1)!);
      seen.push(now);
    };

    expect((await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 0 })).state.revision).toBeGreaterThan(seen[0]!);
    await expectHigher('clock:start');
    expect(await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: null, text: 'あと5分です' })).toMatchObject({ ok: true });
    await expectHigher('banner:send');
    expect((await ask(board.socket, 'step:done', { eventId: event.id, done: true })).ok).toBe(true);
    await expectHigher('step:done');
    // Rooms are part of the state: members are pushed the new list (reveal flags, names).
    const roomNames = () => (board.last('meetup:state')?.rooms ?? []).map((r: { name: string }) => r.name);
    const { roomId } = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルームB' });
    await expectHigher('room:create');
    await eventually(() => expect(roomNames()).toContain('ルームB'));
    expect((await ask(fac.socket, 'room:rename', { eventId: event.id, roomId, name: 'ルームC' })).ok).toBe(true);
    await expectHigher('room:rename');
    await eventually(() => expect(roomNames()).toContain('ルームC'));
    expect((await ask(fac.socket, 'room:remove', { eventId: event.id, roomId })).ok).toBe(true);
    await expectHigher('room:remove');
    await eventually(() => expect(roomNames()).not.toContain('ルームC'));
    expect((await ask(fac.socket, 'scores:reveal', { eventId: event.id, roomId: null })).ok).toBe(true);
    await expectHigher('scores:reveal');

    // A mark as it already is: same revision, nothing pushed. Help requests are the
    // facilitators' business: the revision participants see must not tell when someone asks.
    const before = seen.at(-1)!;
    expect((await ask(board.socket, 'step:done', { eventId: event.id, done: true })).state.revision).toBe(before);
    for (const text of ['付箋の使い方がわかりません', '付箋の使い方がわかりません', 'もう一つ']) {
      expect((await ask(board.socket, 'help:request', { eventId: event.id, text })).ok).toBe(true);
    }
    expect(await revisionNow(board, event.id)).toBe(before);

    expect((await suite.facilitator.post(`/api/events/${event.id}/close`, {})).status).toBe(200);
    await eventually(() => expect(board.last('meetup:state')?.clock.status).toBe('idle'));
    expect(board.last('meetup:state').revision).toBeGreaterThan(before);

    const pushed = board.frames.filter(([e]) => e === 'meetup:state').map(([, s]) => s.revision as number);
    expect(pushed.length).toBeGreaterThan(1);
    expect(pushed).toEqual([...pushed].sort((a, b) => a - b));
  });
});
