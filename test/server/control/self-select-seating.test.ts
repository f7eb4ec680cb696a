// Where participants choose their room (self-select), a company that joins waits unseated and is
// asked to choose; with rooms assigned it is seated in the room with the fewest companies until the
// facilitator moves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import type { ApiClient } from '../../helpers/api-client.ts';

const testServer = serverPerFile();
let facilitator: ApiClient;
const clients: ControlClient[] = [];

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
});
afterAll(() => {
  for (const c of clients) c.socket.disconnect();
});

async function roomOf(eventId: string, eventCompanyId: string): Promise<string | null | undefined> {
  const detail = (await facilitator.get(`/api/events/${eventId}`)).body as { companies: Array<{ id: string; roomId: string | null }> };
  return detail.companies.find((c) => c.id === eventCompanyId)?.roomId;
}

describe('seating a company that joins', () => {
  it('self-select: unseated (the board asks its people to choose); assigned: the first room', async () => {
    const event = await createEvent(facilitator, '自分で選ぶ交流会');
    const control = await connectControlClient(testServer.server.origin, facilitator.cookie, event.id);
    clients.push(control);
    const first = await joinAs(testServer.server.origin, event.joinCode, '佐藤', '割り当て商事');
    const assignedRoom = await roomOf(event.id, first.eventCompanyId);
    expect(assignedRoom).toEqual(expect.any(String));

    expect((await ask(control.socket, 'meetup:settings', { eventId: event.id, roomMode: 'self-select' })).ok).toBe(true);
    const joined = await joinAs(testServer.server.origin, event.joinCode, '鈴木', '選ぶ通販');
    expect(await roomOf(event.id, joined.eventCompanyId)).toBeNull();
    const added = await facilitator.post(`/api/events/${event.id}/companies`, { name: '追加された本舗' });
    expect(added.status).toBe(201);
    expect((added.body as { roomId: string | null }).roomId).toBeNull();
    // Companies seated before the switch stay where they are.
    expect(await roomOf(event.id, first.eventCompanyId)).toBe(assignedRoom);

    const participant = await connectControlClient(testServer.server.origin, joined.client.cookie, event.id);
    clients.push(participant);
    expect((await ask(participant.socket, 'room:choose', { eventId: event.id, roomId: assignedRoom })).ok).toBe(true);
    expect(await roomOf(event.id, joined.eventCompanyId)).toBe(assignedRoom);
  });

  it('assigned: a company joining after the split sits in the room with the fewest companies', async () => {
    const event = await createEvent(facilitator, '遅れて来る交流会');
    const control = await connectControlClient(testServer.server.origin, facilitator.cookie, event.id);
    clients.push(control);
    const a = await joinAs(testServer.server.origin, event.joinCode, '一', '一番商事');
    const b = await joinAs(testServer.server.origin, event.joinCode, '二', '二番商事');
    const firstRoom = (await roomOf(event.id, a.eventCompanyId))!;
    expect(await roomOf(event.id, b.eventCompanyId)).toBe(firstRoom);
    const created = await ask(control.socket, 'room:create', { eventId: event.id, name: 'ルーム 2' });
    expect(created.ok).toBe(true);
    // ルーム 1 holds two, ルーム 2 none: the next company goes to ルーム 2, the one after that too
    // (one against two), then the rooms are even and the first in order takes the next.
    const c = await joinAs(testServer.server.origin, event.joinCode, '三', '三番商事');
    expect(await roomOf(event.id, c.eventCompanyId)).toBe(created.roomId);
    const d = await joinAs(testServer.server.origin, event.joinCode, '四', '四番商事');
    expect(await roomOf(event.id, d.eventCompanyId)).toBe(created.roomId);
    const e = await joinAs(testServer.server.origin, event.joinCode, '五', '五番商事');
    expect(await roomOf(event.id, e.eventCompanyId)).toBe(firstRoom);
  });
});

