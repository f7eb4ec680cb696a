// Tapping an element of the diagram on a phone, walkthrough 14: the element's panel (worksheet
// carried over from last time, score, cards) sits below the diagram, and in the next session of a
// series also below the 「前回から引き継ぎ」 and 持ち帰り review notices; tapping データ changed only
// the box's outline, the panel's heading at the foot of the screen or a screen further down. Now the panel comes up under the sticky
// header; at 1280, where it sits beside the diagram, the page does not move.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();

async function panelTop(page: Page): Promise<{ top: number; headBottom: number }> {
  return page.evaluate(() => ({
    top: document.querySelector('.side-pane')!.getBoundingClientRect().top,
    headBottom: document.querySelector('.sticky-head')!.getBoundingClientRect().bottom,
  }));
}

describe('tapping an element', { timeout: 120_000 }, () => {
  it('brings its panel into view on a phone, and leaves a laptop page where it is', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '2月 オンライン交流会', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    const tanaka = await joinAs(suite.server.origin, event.joinCode, '田中', 'みどり本舗');

    const phone = await suite.page(sato.client.cookie!, PHONE);
    await phone.goto(`${suite.server.origin}/events/${event.id}/board`);
    await phone.locator('[data-element=data]').first().waitFor();
    // Only the panel's tab row shows under the diagram.
    expect((await panelTop(phone)).top).toBeGreaterThan(PHONE.height / 2);
    await phone.locator('[data-element=data]').first().click();
    await phone.locator('.side-pane h2, .side-pane h3').first().waitFor();
    await expect
      .poll(async () => {
        const { top, headBottom } = await panelTop(phone);
        return top >= headBottom - 1 && top <= headBottom + 40;
      }, { timeout: 5_000 })
      .toBe(true);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/element-tap-390.png` });

    const laptop = await suite.page(tanaka.client.cookie!, DESKTOP);
    await laptop.goto(`${suite.server.origin}/events/${event.id}/board`);
    await laptop.locator('[data-element=data]').first().click();
    await laptop.locator('.side-pane h2, .side-pane h3').first().waitFor();
    await laptop.waitForTimeout(600);
    expect(await laptop.evaluate(() => window.scrollY)).toBe(0);
    expect(suite.errors).toEqual([]);
  });
});
