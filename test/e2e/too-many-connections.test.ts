// One sign-in holds at most 20 control connections per node (server/plugins/control.ts). A board
// opened beyond that says why it is not live, in the UI language, and the message goes once a
// place is free and the board connects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { DESKTOP, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { MAX_CONTROL_SOCKETS_PER_SESSION } from '../../server/plugins/control.ts';

const suite = browserSuite();
const held: ControlClient[] = [];

afterAll(() => {
  for (const c of held) c.socket.disconnect();
});

let eventId: string;
let cookie: string;

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator, '接続の多い勉強会');
  eventId = event.id;
  cookie = (await joinAs(suite.server.origin, event.joinCode, '佐藤', '多重接続商事')).client.cookie!;
  for (let i = 0; i < MAX_CONTROL_SOCKETS_PER_SESSION; i++) held.push(await connectControlClient(suite.server.origin, cookie, eventId));
}, 120_000);

describe('a board beyond the sign-in’s connections', () => {
  it('says why it is not live, and the message goes once it connects', async () => {
    const page = await suite.page(cookie, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${eventId}/board`);
    const alert = page.locator('.error.banner[role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('接続が多すぎます');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/too-many-connections-1280.png` });
    held.pop()!.socket.disconnect();
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(0);
  });
});
