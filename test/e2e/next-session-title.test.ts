// The next session's form (「次の回を作る」), walkthrough 14: format, series and theme come along and
// the title starts empty; 作成 without one said only 「入力してください」 by the button, naming no
// field. It now says which field is missing and puts the cursor there.
import { describe, expect, it } from 'vitest';
import { DESKTOP, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();

describe('the next session’s form', () => {
  it('names the missing title and focuses it', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const seriesId = (await facilitator.post('/api/series', { title: 'JCRM 定例会' })).body.id as string;
    const first = await facilitator.post('/api/events', { title: '1月 交流会', date: '2026-01-20', kind: 'meetup', seriesId });
    expect(first.status).toBe(201);

    const page = await suite.page(facilitator.cookie!, DESKTOP);
    await page.goto(`${suite.server.origin}/events?next=${first.body.id}`);
    await page.locator('[data-following]').waitFor();
    await expect.poll(() => page.locator('#event-series-select').inputValue()).toBe(seriesId);
    // The facilitator looks at the other fields first, then presses 作成.
    await page.locator('#event-date').focus();
    await page.click('form button[type=submit]');
    const error = page.locator('form .error');
    await expect.poll(() => error.textContent()).toBe('タイトルを入力してください');
    expect(await page.locator('#event-title').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/next-session-title-1280.png` });
    expect(page.url()).toContain('/events?next=');
    expect(suite.errors).toEqual([]);
  });
});
