// Element scoring can be turned off for a session (issue 9): the facilitator's setting reaches
// every browser in the meetup state, and the server then refuses score:set with a clear message.
import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient } from '../../helpers/control-client.ts';

const testServer = serverPerFile();

describe('element scoring on and off', () => {
  it('refuses scores while off, says why, and takes them again once on', async () => {
    const facilitator = await setupFacilitator(testServer.server.origin);
    const event = await createEvent(facilitator);
    const member = await joinAs(testServer.server.origin, event.joinCode, '佐藤', '青空通販');
    const fac = await connectControlClient(testServer.server.origin, facilitator.cookie, event.id);
    const sato = await connectControlClient(testServer.server.origin, member.client.cookie, event.id);
    try {
      const score = { eventId: event.id, eventCompanyId: member.eventCompanyId, element: 'customers', value: 2 };
      expect((await ask(sato.socket, 'meetup:get', { eventId: event.id })).state.elementScoring).toBe(true);
      // Only facilitators change it.
      expect((await ask(sato.socket, 'meetup:settings', { eventId: event.id, elementScoring: false })).ok).toBe(false);
      expect((await ask(fac.socket, 'meetup:settings', { eventId: event.id, elementScoring: false })).ok).toBe(true);
      await expect.poll(() => sato.last('meetup:state')?.elementScoring).toBe(false);
      const refused = await ask(sato.socket, 'score:set', score);
      expect(refused.ok).toBe(false);
      expect(refused.error).toContain('採点をオフ');
      expect((await ask(sato.socket, 'scores:get', { eventId: event.id })).scores).toEqual([]);
      expect((await ask(fac.socket, 'meetup:settings', { eventId: event.id, elementScoring: true })).ok).toBe(true);
      expect((await ask(sato.socket, 'score:set', score)).ok).toBe(true);
    } finally {
      fac.socket.disconnect();
      sato.socket.disconnect();
    }
  });
});
