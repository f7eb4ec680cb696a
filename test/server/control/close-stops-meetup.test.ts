// Closing a session stops its meetup clock and takes down its messages, on every open page at
// once: a closed board kept counting overtime ("+5:55") under 「あと5分で全体共有です」.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';
import type { MeetupState } from '../../../shared/protocol/meetup.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
const clients: ControlClient[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});
afterAll(() => {
  for (const c of clients) c.socket.disconnect();
});

describe('closing a session', () => {
  it('stops the clock and clears the banners, pushed to open boards', async () => {
    const event = await createEvent(facilitator, '終了する交流会');
    const participant = await joinAs(testServer.server.origin, event.joinCode, '佐藤', '終了商事');
    const control = await connectControlClient(testServer.server.origin, facilitator.cookie, event.id);
    const board = await connectControlClient(testServer.server.origin, participant.client.cookie, event.id);
    clients.push(control, board);
    expect((await ask(control.socket, 'clock:start', { eventId: event.id, stepIndex: 0 })).ok).toBe(true);
    expect((await ask(control.socket, 'banner:send', { eventId: event.id, roomId: null, text: 'あと5分で全体共有です' })).ok).toBe(true);
    const before = (await ask(board.socket, 'meetup:get', { eventId: event.id })).state as MeetupState;
    expect(before.clock.status).toBe('running');
    expect(before.banners).toHaveLength(1);

    expect((await facilitator.post(`/api/events/${event.id}/close`, {})).status).toBe(200);
    await eventually(() => {
      const pushed = board.last('meetup:state') as MeetupState | undefined;
      expect(pushed?.clock.status).toBe('idle');
      expect(pushed?.banners).toEqual([]);
    });
    const after = (await ask(board.socket, 'meetup:get', { eventId: event.id })).state as MeetupState;
    expect(after.clock).toMatchObject({ status: 'idle', stepIndex: null, endsAt: null });
    expect(after.banners).toEqual([]);
  });
});
