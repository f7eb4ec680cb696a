// Closing a session, walkthrough 14: the facilitator's 「…を終了する」 sits at the foot of the event
// page; once clicked, the form went away and the page stayed down there, on the members panel, with
// nothing in view saying the session had ended. Now the page goes up to the 終了 notice (and the
// series' 「次の回を作る」). A participant in the plenary, meanwhile, was still offered
// 「自社のボードを開く（持ち帰りの記入など）」 on a board nobody can write on any more.
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();

describe('closing a session', () => {
  it('shows the facilitator the 終了 notice, and the plenary offers no 持ち帰り any more', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '1月 オンライン交流会', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    await joinAs(suite.server.origin, event.joinCode, '田中', 'みどり本舗');
    const control = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);
    expect(await ask(control.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).toMatchObject({ ok: true });

    const phone = await suite.page(sato.client.cookie!, PHONE);
    await phone.goto(`${suite.server.origin}/events/${event.id}/board`);
    const openBoard = phone.locator('[data-open-board]');
    await expect.poll(() => openBoard.textContent()).toContain('持ち帰り');

    const page = await suite.page(facilitator.cookie!, DESKTOP);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${suite.server.origin}/events/${event.id}`);
    const close = page.locator('.danger-zone button.danger');
    await close.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await close.click();

    const notice = page.locator('[data-closed-notice]');
    await notice.waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    const box = (await notice.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP.height);
    expect(await notice.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/closing-event-page-1280.png` });

    // The participant's plenary, live: a board to look at, nothing to write.
    await expect.poll(() => openBoard.textContent()).toBe('自社のボードを見る');
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/closing-plenary-390.png` });
    control.socket.disconnect();
    expect(suite.errors).toEqual([]);
  });
});
