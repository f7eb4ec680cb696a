// Boards stay live across a graceful server restart without a reload, and a score set while the
// server cannot be reached is shown as not yet sent (never "saved"), kept across a reload, and
// delivered on reconnect — or, if the event was closed meanwhile, refused visibly.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let eventId: string;
let aliceUserId: string;
/** Alice (青空通販) and Bob (みどり本舗), each on the board in their own browser context. */
let alice: Page;
let bob: Page;

async function openBoard(cookie: string): Promise<Page> {
  const page = await suite.page(cookie, DESKTOP);
  await gotoBoard(page);
  return page;
}

async function gotoBoard(page: Page): Promise<void> {
  await page.goto(`${suite.server.origin}/events/${eventId}/board`);
  await page.locator('svg.diagram').waitFor();
  await waitOnline(page);
  // Set on this document only: still there afterwards proves the page was never reloaded.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
}

function status(page: Page) {
  return page.locator('.connection').getAttribute('data-status');
}

async function waitOnline(page: Page, timeout = 15_000): Promise<void> {
  await page.locator('.connection[data-status=online]').waitFor({ timeout });
}

async function notReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);
}

/** Opens an element and picks a score in the viewer's own (first) score picker. */
async function score(page: Page, element: string, value: number): Promise<void> {
  await page.click(`[data-element=${element}]`);
  await page.locator('fieldset.score-picker').first().locator('label.option', { hasText: String(value) }).first().click();
}

/** The score marks on the diagram for one element, as text ("2", "未採点"…). */
function marks(page: Page, element: string) {
  return page.locator(`[data-element=${element}] .score:not(.unscored)`).allTextContents();
}

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  const a = await joinAs(suite.server.origin, event.joinCode, 'Alice', '青空通販');
  aliceUserId = a.userId;
  const b = await joinAs(suite.server.origin, event.joinCode, 'Bob', 'みどり本舗');
  alice = await openBoard(a.client.cookie!);
  bob = await openBoard(b.client.cookie!);
}, 120_000);

describe('boards across a server restart and while offline', { timeout: 120_000 }, () => {
  it('after a graceful restart, open boards reconnect by themselves and scores flow both ways within seconds', async () => {
    await suite.stopServer();
    await expect.poll(() => status(alice)).not.toBe('online');
    await expect.poll(() => status(bob)).not.toBe('online');
    // Down about as long as a real process takes to start again (≈2 s, see process.test.ts), so the
    // clients' reconnection back-off has grown.
    await alice.waitForTimeout(3_000);
    await suite.startServer();
    const restarted = Date.now();

    await Promise.all([waitOnline(alice, 5_000), waitOnline(bob, 5_000)]);
    const reconnectMs = Date.now() - restarted;

    await score(alice, 'customers', 2);
    await expect.poll(() => marks(bob, 'customers'), { timeout: 5_000 }).toContain('2');
    await score(bob, 'brand', 1);
    await expect.poll(() => marks(alice, 'brand'), { timeout: 5_000 }).toContain('1');
    const flowingMs = Date.now() - restarted;
    console.log(`graceful restart: boards online ${reconnectMs} ms after the server was back, scores both ways after ${flowingMs} ms`);
    // Typically 2–3.5 s here (back-off ≤ 2.5 s, then the board refetches); the bound is loose because
    // CI runs browser tests beside other test files on two cores (one run took 5.2 s). Each step
    // above has its own 5 s limit; the numbers belong to the log line, not to a tight assertion.
    expect(flowingMs).toBeLessThan(10_000);
    expect(await notReloaded(alice)).toBe(true);
    expect(await notReloaded(bob)).toBe(true);
  });

  it('a score set while the server is down is shown as not sent, kept across a reload, and delivered on reconnect', async () => {
    await alice.click('[data-element=pr]');
    await suite.stopServer();
    await expect.poll(() => status(alice)).not.toBe('online');
    await score(alice, 'pr', 3);

    // Shown at once, marked as not sent; the indicator counts it and never says 保存済み.
    const picker = alice.locator('fieldset.score-picker').first();
    await expect.poll(() => picker.locator('legend strong').textContent()).toBe('3');
    await expect.poll(() => picker.locator('.pending').isVisible()).toBe(true);
    expect(await picker.locator('.pending').textContent()).toBe('未送信');
    const indicator = alice.locator('.connection');
    await expect.poll(() => indicator.textContent()).toContain('未送信の変更 1 件（再接続時に送信）');
    expect(await indicator.textContent()).not.toContain('保存済み');

    // Several changes to the same score while offline collapse into the last one.
    await score(alice, 'pr', 1);
    await expect.poll(() => picker.locator('legend strong').textContent()).toBe('1');
    expect(await indicator.getAttribute('data-pending')).toBe('1');

    for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await alice.setViewportSize(viewport);
      await alice.screenshot({ path: `${SCREENSHOT_DIR}/board-pending-${label}.png` });
    }
    await alice.setViewportSize(DESKTOP);

    // Kept in this browser: a new page (as after a reload) still has it and sends it.
    const stored = await alice.evaluate((key) => localStorage.getItem(key), `kizuki:outbox:${eventId}:${aliceUserId}`);
    expect(stored).toContain('"value":1');
    const context = alice.context();
    await alice.close();
    await suite.startServer();
    alice = await context.newPage();
    await gotoBoard(alice);
    await expect.poll(() => marks(bob, 'pr'), { timeout: 5_000 }).toContain('1');
    await alice.click('[data-element=pr]');
    await expect.poll(() => alice.locator('fieldset.score-picker').first().locator('.pending').count()).toBe(0);
    await expect.poll(() => alice.locator('.connection').textContent()).toContain('保存済み');
    expect(await alice.evaluate((key) => localStorage.getItem(key), `kizuki:outbox:${eventId}:${aliceUserId}`)).toBeNull();
  });

  it('a score set offline in the same page is sent when the connection comes back, and what others did meanwhile shows up', async () => {
    await alice.click('[data-element=data]');
    await alice.context().setOffline(true);
    await expect.poll(() => status(alice)).toBe('offline');
    const offlineText = await alice.locator('.connection').textContent();
    expect(offlineText).toContain('ワークシートと気付きはこの端末に保存');
    await score(alice, 'data', 2);
    await score(bob, 'culture', 3);
    await expect.poll(() => alice.locator('.connection').textContent()).toContain('未送信の変更 1 件');
    await alice.context().setOffline(false);
    await expect.poll(() => marks(bob, 'data'), { timeout: 15_000 }).toContain('2');
    await expect.poll(() => marks(alice, 'culture'), { timeout: 15_000 }).toContain('3');
    await expect.poll(() => alice.locator('.connection').getAttribute('data-pending')).toBe('0');
    expect(await notReloaded(alice)).toBe(true);
  });

  it('a change made offline in an event closed meanwhile is refused visibly, and the board says the event is closed', async () => {
    await alice.click('[data-element=products]');
    await alice.context().setOffline(true);
    await expect.poll(() => status(alice)).toBe('offline');
    await score(alice, 'products', 2);
    await alice.locator('section.column').first().locator('textarea').last().fill('終了後に届いたメモ');
    await alice.waitForTimeout(300); // y-indexeddb stores asynchronously

    expect((await facilitator.post(`/api/events/${eventId}/close`)).status).toBe(200);
    // Bob's board, online all along, follows at once.
    await expect.poll(() => bob.locator('.banner').allTextContents()).toContain('この勉強会は終了しました（閲覧のみ）');

    await alice.context().setOffline(false);
    await expect.poll(() => alice.locator('.banner').allTextContents(), { timeout: 15_000 }).toContain('この勉強会は終了しました（閲覧のみ）');
    const refusal = alice.locator('[data-refused]');
    await expect.poll(() => refusal.textContent(), { timeout: 15_000 }).toContain('青空通販の「商品・サービス」のスコア');
    expect(await refusal.textContent()).toContain('この会は終了しています');
    await expect.poll(() => alice.locator('.connection').getAttribute('data-pending')).toBe('0');
    // The worksheet edit the server dropped: the notice names the closed event, not someone else's document.
    await expect.poll(() => alice.locator('[data-notice]').getAttribute('data-notice'), { timeout: 15_000 }).toBe('writeRefusedClosed');
    expect(await alice.locator('[data-notice]').textContent()).toContain('この会は終了したため');
    await alice.screenshot({ path: `${SCREENSHOT_DIR}/board-closed-refused-desktop.png` });
    expect(await marks(bob, 'products')).not.toContain('2');
  });
});
