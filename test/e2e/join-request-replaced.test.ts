// A person waiting for approval who asks again for another company (from another tab) gets a new
// request (the facilitator must not approve a company they did not see). The first tab's waiting
// page then says its request was replaced, instead of polling a request that is gone for ever.
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { seriesWithHistory, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let february: { id: string; joinCode: string };

beforeAll(async () => {
  const origin = suite.server.origin;
  const facilitator = await setupFacilitator(origin);
  ({ february } = await seriesWithHistory(origin, facilitator, 'さくらコスメ'));
}, 120_000);

describe('a waiting page whose request was replaced', { timeout: 120_000 }, () => {
  it('says so instead of waiting for ever', async () => {
    const page = await suite.page(undefined, DESKTOP);
    await page.goto(`${suite.server.origin}/join/${february.joinCode}`);
    await page.fill('#join-name', '見知らぬ人');
    // No company in February yet: the form asks for a name straight away.
    await page.fill('#join-company', 'さくらコスメ');
    await page.click('button[type=submit]');
    await page.locator('[data-join-waiting]').waitFor();

    // The same person (this browser's sign-in) asks again for another company, as from a second tab.
    const session = (await page.context().cookies()).find((c) => c.name === 'kizuki_session')!;
    const again = new ApiClient(suite.server.origin);
    again.cookie = `kizuki_session=${session.value}`;
    const res = await again.post('/api/join', { code: february.joinCode, displayName: '見知らぬ人', companyName: '小さな商店' });
    expect(res.status).toBe(202);

    const replaced = page.locator('[data-join-rejected=replaced]');
    await replaced.waitFor({ timeout: 15_000 });
    expect(await replaced.textContent()).toContain('置き換えられました');
    expect(await page.locator('[data-join-waiting]').count()).toBe(0);
    for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/join-request-replaced-${label}.png` });
      await noHorizontalScroll(page);
    }
    // 「もう一度申請する」 shows the form again.
    await page.getByRole('button', { name: 'もう一度申請する' }).click();
    await page.locator('#join-name').waitFor();
    expect(suite.errors).toEqual([]);
  });
});
