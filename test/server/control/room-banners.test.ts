// A banner sent to one room reaches that room's people and the facilitators only: the other rooms'
// copies of the meetup state (pushes and meetup:get) do not carry its text.
import { describe, expect, it } from 'vitest';
import { controlSuite } from '../../helpers/control-suite.ts';
import { createEvent, joinAs } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask, type ControlClient } from '../../helpers/control-client.ts';

const suite = controlSuite();
const { testServer, connect } = suite;

const texts = (state: { banners: Array<{ text: string }> } | undefined) => (state?.banners ?? []).map((b) => b.text);

describe('room banners', () => {
  it('go to their room and the facilitators; everyone gets the banners for all', async () => {
    const event = await createEvent(suite.facilitator, `交流会 ${Math.random()}`, 'meetup');
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 4)}`);
    const bob = await joinAs(testServer.server.origin, event.joinCode, 'Bob', `Beta-${event.id.slice(0, 4)}`);
    const fac = await connect(suite.facilitator.cookie, event.id);
    const { roomId: room2 } = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルーム 2' });
    expect((await ask(fac.socket, 'company:move', { eventId: event.id, eventCompanyId: bob.eventCompanyId, roomId: room2 })).ok).toBe(true);
    const inRoom1 = await connect(alice.client.cookie, event.id);
    const inRoom2 = await connect(bob.client.cookie, event.id);

    expect((await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: room2, text: 'ルーム2だけ：あと5分' })).ok).toBe(true);
    expect((await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: null, text: '全体：10分後に戻ります' })).ok).toBe(true);

    await eventually(() => expect(texts(inRoom2.last('meetup:state'))).toEqual(['ルーム2だけ：あと5分', '全体：10分後に戻ります']));
    await eventually(() => expect(texts(inRoom1.last('meetup:state'))).toEqual(['全体：10分後に戻ります']));
    await eventually(() => expect(texts(fac.last('meetup:state'))).toEqual(['ルーム2だけ：あと5分', '全体：10分後に戻ります']));
    for (const [, state] of inRoom1.frames.filter(([e]) => e === 'meetup:state')) expect(texts(state)).not.toContain('ルーム2だけ：あと5分');

    // Asked directly, and in a done mark's answer: the same view.
    expect(texts((await ask(inRoom1.socket, 'meetup:get', { eventId: event.id })).state)).toEqual(['全体：10分後に戻ります']);
    expect(texts((await ask(inRoom2.socket, 'meetup:get', { eventId: event.id })).state)).toContain('ルーム2だけ：あと5分');
    expect((await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 0 })).ok).toBe(true);
    expect(texts((await ask(inRoom1.socket, 'step:done', { eventId: event.id, done: true })).state)).toEqual(['全体：10分後に戻ります']);
  });

  it('sent during the breakout are taken back when everyone returns to the plenary; one sent in the plenary stays', async () => {
    const event = await createEvent(suite.facilitator, `交流会 ${Math.random()}`, 'meetup');
    const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 4)}`);
    const fac = await connect(suite.facilitator.cookie, event.id);
    const { roomId } = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルーム 1' });
    expect((await ask(fac.socket, 'company:move', { eventId: event.id, eventCompanyId: alice.eventCompanyId, roomId })).ok).toBe(true);
    expect((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'breakout' })).ok).toBe(true);
    const member = await connect(alice.client.cookie, event.id);
    expect((await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: null, text: 'あと5分で戻ります' })).ok).toBe(true);
    expect((await ask(fac.socket, 'banner:send', { eventId: event.id, roomId, text: 'ルーム1：採点を先に' })).ok).toBe(true);
    await eventually(() => expect(texts(member.last('meetup:state'))).toEqual(['あと5分で戻ります', 'ルーム1：採点を先に']));

    expect((await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).ok).toBe(true);
    await eventually(() => expect(member.last('meetup:state')?.phase).toBe('plenary'));
    expect(texts(member.last('meetup:state'))).toEqual([]);
    expect(texts((await ask(fac.socket, 'meetup:get', { eventId: event.id })).state)).toEqual([]);

    expect((await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: null, text: '全体共有：ルーム1から' })).ok).toBe(true);
    await eventually(() => expect(texts(member.last('meetup:state'))).toEqual(['全体共有：ルーム1から']));
    // Setting the plenary again (already there) takes nothing back.
    await ask(fac.socket, 'phase:set', { eventId: event.id, phase: 'plenary' });
    expect(texts((await ask(member.socket, 'meetup:get', { eventId: event.id })).state)).toEqual(['全体共有：ルーム1から']);
  });
});
