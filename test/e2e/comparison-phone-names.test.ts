// The board's comparison on a phone (390 px) with three companies side by side: a short company
// name keeps to one line (「さくらコスメ」 broke as 「さくらコス/メ」 beside its colour dot), a long one
// wraps inside its column, and each column still shows its company's colour (the header's bottom line).
import { describe, expect, it } from 'vitest';
import { PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
const COMPANIES = ['さくらコスメ', '青空通販', '株式会社みどり本舗オンライン'];

describe('the comparison on a phone', () => {
  it('keeps short company names on one line and shows each company’s colour', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '12月 JCRM 勉強会');
    const cookies: string[] = [];
    for (const [i, company] of COMPANIES.entries()) cookies.push((await joinAs(suite.server.origin, event.joinCode, `参加者${i + 1}`, company)).client.cookie!);

    const page = await suite.page(cookies[0]!, PHONE);
    await page.goto(`${suite.server.origin}/events/${event.id}/board`);
    await page.locator('svg.diagram').waitFor();
    await page.click('button[role=tab]:nth-child(2)');
    const heads = page.locator('.comparison thead th[data-company]');
    await expect.poll(() => heads.count()).toBe(COMPANIES.length);
    await page.locator('.comparison .table-wrap').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/comparison-names-390.png` });

    const shown = await heads.evaluateAll((ths) =>
      ths.map((th) => {
        const label = th.querySelector('.phrase-label')!;
        return {
          name: th.getAttribute('title'),
          // An inline box gives one rectangle per line it runs over.
          lines: label.getClientRects().length,
          colour: getComputedStyle(th).borderBottomColor,
          bottomLine: parseFloat(getComputedStyle(th).borderBottomWidth),
          inside: label.getBoundingClientRect().right <= th.getBoundingClientRect().right + 0.5,
        };
      }),
    );
    for (const head of shown) {
      expect(head.inside, head.name!).toBe(true);
      expect(head.bottomLine, head.name!).toBeGreaterThanOrEqual(3);
      if ([...head.name!].length <= 6) expect(head.lines, head.name!).toBe(1);
    }
    // Three companies, three colours.
    expect(new Set(shown.map((h) => h.colour)).size).toBe(COMPANIES.length);
  });
});
