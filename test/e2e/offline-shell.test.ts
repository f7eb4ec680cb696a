// Reloading the board without a network: the service worker serves the built app (not Chrome's
// error page), the board opens with what was last known (who is signed in, the event), says it is
// offline, and shows the worksheet from IndexedDB. Signing out clears those kept answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DESKTOP, SCREENSHOT_DIR, launchBrowser } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';

let testDb: TestDatabase;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let boardUrl: string;

beforeAll(async () => {
  if (!existsSync(`${CLIENT_DIST}/sw.js`)) throw new Error('client not built with its service worker: run "npm run build" (npm test does it first)');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database, { serveClient: true });
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator, 'オフライン確認');
  const member = await joinAs(server.origin, event.joinCode, '佐藤', '青空通販');
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' });
  const [name, value] = member.client.cookie!.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.origin }]);
  page = await context.newPage();
  boardUrl = `${server.origin}/events/${event.id}/board`;
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.close();
  await testDb?.drop();
});

describe('offline reload', { timeout: 120_000 }, () => {
  it('shows the board from the cached app and IndexedDB, not the browser\'s error page', async () => {
    await page.goto(boardUrl);
    await page.locator('svg.diagram').waitFor();
    // The worker installs on the first visit; from the next load on it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.locator('svg.diagram').waitFor();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await page.click('[data-element=customers]');
    const column = page.locator('section.column').first();
    await column.locator('[data-list=doing] button.add').click();
    await column.locator('[data-list=doing] .item-text:not([readonly])').last().fill('オフラインでも見える行');
    await expect.poll(() => page.locator('.connection').textContent()).toContain('保存済み');
    await page.waitForTimeout(500); // y-indexeddb writes after the update

    await context.setOffline(true);
    await page.reload();
    expect(page.url()).toBe(boardUrl);
    await page.locator('svg.diagram').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.connection').textContent()).toContain('オフライン');
    await page.click('[data-element=customers]');
    await expect
      .poll(() => page.locator('section.column').first().locator('[data-list=doing] .item-text:not([readonly])').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)))
      .toEqual(['オフラインでも見える行']);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/offline-reload-1280.png` });
    await context.setOffline(false);
  });

  it('signing out clears what was kept for offline use', async () => {
    await page.goto(boardUrl);
    await page.locator('svg.diagram').waitFor();
    const kept = () => page.evaluate(async () => (await (await caches.open('kizuki-api')).keys()).map((r) => new URL(r.url).pathname));
    await expect.poll(kept).toContain('/api/auth/session');
    await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }).then(() => undefined));
    await expect.poll(kept).toEqual([]);
  });
});
