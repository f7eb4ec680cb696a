// The company boundary in real browsers: the facilitator locks the event's companies, a newcomer
// asks to join an existing company and waits, the facilitator approves on the event page, the
// newcomer lands on the board by themselves and the company's member there is told; then the
// facilitator removes the newcomer, whose board turns into a "you were removed" page.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let event: { id: string; joinCode: string };
let facilitatorApi: ApiClient;
let facilitator: Page;
let alice: Page;
let newcomer: Page;

/** A browser context, signed in with the given API client's session when there is one. */
async function newPage(signedInAs?: ApiClient): Promise<Page> {
  const page = await suite.page(signedInAs?.cookie, DESKTOP);
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

beforeAll(async () => {
  facilitatorApi = await setupFacilitator(suite.server.origin);
  event = await createEvent(facilitatorApi, '1月 JCRM 勉強会');
  const a = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
  await joinAs(suite.server.origin, event.joinCode, 'Tanaka', 'みどり本舗株式会社ホールディングス');
  alice = await newPage(a.client);
}, 120_000);

describe('company boundary in the browser', { timeout: 120_000 }, () => {
  it('the facilitator locks the companies on the event page', async () => {
    facilitator = await newPage(facilitatorApi);
    await facilitator.goto(`${suite.server.origin}/events/${event.id}`);
    await facilitator.locator('[data-member]', { hasText: '佐藤' }).waitFor();
    expect(await facilitator.locator('.lock').getAttribute('data-locked')).toBe('false');
    await facilitator.click('button.lock-button');
    await expect.poll(() => facilitator.locator('.lock').getAttribute('data-locked')).toBe('true');
    await expect.poll(() => facilitator.locator('#requests-title').count()).toBe(1);
  });

  it('a newcomer cannot add a company, asks to join an existing one and waits for approval', async () => {
    await alice.goto(`${suite.server.origin}/events/${event.id}/board`);
    await alice.locator('svg.diagram').waitFor();

    newcomer = await newPage();
    await newcomer.goto(`${suite.server.origin}/join/${event.joinCode}`);
    await newcomer.locator('[data-join-locked]').waitFor();
    expect(await newcomer.locator('input[type=radio][value=new]').count()).toBe(0);
    await newcomer.fill('#join-name', '鈴木');
    await newcomer.locator('label.choice', { hasText: '青空通販' }).click();
    await newcomer.click('button[type=submit]');
    await newcomer.locator('[data-join-waiting]').waitFor();
    expect(newcomer.url()).toContain('/join/');
    await newcomer.screenshot({ path: `${SCREENSHOT_DIR}/join-waiting-desktop.png` });
  });

  it('the request appears on the event page live; screenshots of requests and members at both sizes', async () => {
    const request = facilitator.locator('[data-request]', { hasText: '鈴木' });
    await request.waitFor();
    expect(await request.textContent()).toContain('青空通販');
    // An invite link for the other company, shown in its member card.
    const other = facilitator.locator('article.company', { hasText: 'みどり本舗' });
    await other.locator('button.create').click();
    await expect.poll(() => other.locator('input[readonly]').inputValue()).toMatch(/\/join\/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await facilitator.setViewportSize(viewport);
      await facilitator.locator('#requests-title').scrollIntoViewIfNeeded();
      await facilitator.screenshot({ path: `${SCREENSHOT_DIR}/admin-requests-${label}.png` });
      await facilitator.locator('#members-title').scrollIntoViewIfNeeded();
      await facilitator.screenshot({ path: `${SCREENSHOT_DIR}/admin-members-${label}.png` });
      await facilitator.screenshot({ path: `${SCREENSHOT_DIR}/admin-boundary-full-${label}.png`, fullPage: true });
      // Nothing wider than the viewport (no clipped panels, no sideways scrolling).
      expect(await facilitator.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await facilitator.setViewportSize(DESKTOP);
  });

  it("the company's invite link joins that company directly, without approval", async () => {
    const url = await facilitator.locator('article.company', { hasText: 'みどり本舗' }).locator('input[readonly]').inputValue();
    const invited = await newPage();
    await invited.goto(url);
    await invited.locator('[data-join-invited]').waitFor();
    expect(await invited.locator('input[type=radio]').count()).toBe(0);
    await invited.fill('#join-name', '高橋');
    await invited.click('button[type=submit]');
    await invited.waitForURL(/\/board$/);
    await invited.locator('svg.diagram').waitFor();
    await facilitator.locator('article.company', { hasText: 'みどり本舗' }).locator('[data-member]', { hasText: '高橋' }).waitFor();
    // 鈴木's request is still waiting.
    expect(await facilitator.locator('[data-request]').count()).toBe(1);
  });

  it('the facilitator approves; the newcomer lands on the board and the company is told', async () => {
    await facilitator.locator('[data-request]', { hasText: '鈴木' }).locator('button[data-approve]').click();
    await expect.poll(() => facilitator.locator('[data-request]').count()).toBe(0);
    await newcomer.waitForURL(/\/board$/, { timeout: 15_000 });
    await newcomer.locator('svg.diagram').waitFor();
    // 鈴木 writes 青空通販's worksheet: its own column is editable.
    await newcomer.click('[data-element=customers]');
    await newcomer.locator('section.column').first().locator('[data-list=doing] button.add').waitFor();
    // 佐藤 (青空通販) sees the notice on the board.
    const notice = alice.locator('[data-member-joined="鈴木"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('鈴木さんが青空通販に参加しました');
    await alice.screenshot({ path: `${SCREENSHOT_DIR}/board-member-joined-desktop.png` });
    await notice.locator('button').click();
    await expect.poll(() => notice.count()).toBe(0);
    // The member list shows the newcomer under the company.
    await facilitator.locator('[data-member]', { hasText: '鈴木' }).waitFor();
  });

  it('removing the newcomer turns their board into a "removed" page, also after a reload', async () => {
    await facilitator.locator('[data-member]', { hasText: '鈴木' }).locator('button.danger').click();
    await expect.poll(() => facilitator.locator('[data-member]', { hasText: '鈴木' }).count()).toBe(0);
    const removed = newcomer.locator('[data-removed=removed]');
    await removed.waitFor();
    expect(await removed.textContent()).toContain('この会から外されました');
    await newcomer.reload();
    await removed.waitFor();
    await newcomer.screenshot({ path: `${SCREENSHOT_DIR}/board-removed-desktop.png` });
    await newcomer.setViewportSize(PHONE);
    await newcomer.screenshot({ path: `${SCREENSHOT_DIR}/board-removed-phone.png` });
  });
});
