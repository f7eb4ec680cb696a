// A facilitator's 呼び寄せ switches a room's panel to the comparison or an element: the panel must
// come into view from its top. On a phone it sits below the diagram (only its tab row showed), and
// on a laptop whose panel was scrolled down the comparison opened in its middle, table off-screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let control: ControlClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

afterAll(() => control?.socket.disconnect());

/** Where the panel's top is, relative to the part of the screen below the sticky header. */
async function panelTop(page: Page): Promise<{ top: number; headBottom: number; height: number }> {
  return page.evaluate(() => ({
    top: document.querySelector('.side-pane')!.getBoundingClientRect().top,
    headBottom: document.querySelector('.sticky-head')!.getBoundingClientRect().bottom,
    height: innerHeight,
  }));
}

describe('呼び寄せ brings the panel into view', { timeout: 120_000 }, () => {
  it('on a phone and on a scrolled laptop board', async () => {
    const event = await createEvent(facilitator, '呼び寄せ', 'meetup');
    const phoneUser = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    const laptopUser = await joinAs(suite.server.origin, event.joinCode, '鈴木', 'みどり本舗');
    control = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);

    const phone = await suite.page(phoneUser.client.cookie, PHONE);
    const laptop = await suite.page(laptopUser.client.cookie, DESKTOP);
    for (const page of [phone, laptop]) {
      await page.goto(`${suite.server.origin}/events/${event.id}/board`);
      await page.locator('[data-element=customers]').first().waitFor();
    }
    // The laptop user opened an element and scrolled down its long panel.
    await laptop.locator('[data-element=customers]').first().click();
    await laptop.locator('#card-draft').waitFor();
    await laptop.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    const before = await panelTop(laptop);
    expect(before.top).toBeLessThan(before.headBottom);

    expect((await ask(control.socket, 'summon', { eventId: event.id, roomId: null, target: { element: null, tab: 'comparison' } })).ok).toBe(true);
    for (const page of [phone, laptop]) {
      await page.locator('[role=tab][aria-selected=true]', { hasText: 'スコア比較' }).waitFor();
      await expect.poll(async () => {
        const { top, headBottom } = await panelTop(page);
        return top >= headBottom - 1 && top <= headBottom + 40;
      }, { timeout: 5_000 }).toBe(true);
    }
  });
});
