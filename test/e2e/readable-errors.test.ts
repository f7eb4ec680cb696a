// Errors people can read, in Chromium: a mangled link opens the app's "page not found" page (not
// Fastify's JSON) with a way back, and the join form with a 61-character name keeps what was typed
// and says, in Japanese, that names are at most 60 characters; a lost connection says what to do.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let event: { id: string; joinCode: string };

const newPage = (viewport: { width: number; height: number }): Promise<Page> => suite.page(undefined, viewport);

beforeAll(async () => {
  event = await createEvent(await setupFacilitator(suite.server.origin), '2月 JCRM 勉強会');
}, 120_000);

describe('errors people can read', { timeout: 120_000 }, () => {
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`a mangled invite link shows the app's not-found page with a way back (${label})`, async () => {
      const page = await newPage(viewport);
      const res = await page.goto(`${suite.server.origin}/join/%E0%A4%A`);
      expect(res?.headers()['content-type']).toContain('text/html');
      const notFound = page.locator('[data-not-found]');
      await notFound.waitFor();
      expect(await notFound.locator('h1').textContent()).toBe('ページが見つかりません');
      expect(await notFound.textContent()).toContain('参加コード');
      expect(await page.textContent('body')).not.toContain('statusCode');
      // Nothing wider than the screen (the address is long and unbroken).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/not-found-${label}.png`, fullPage: true });

      await page.getByRole('link', { name: 'トップへ戻る' }).click();
      await page.locator('#join-code').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
    });
  }

  it('a cut-off event link and an unknown path get the same page', async () => {
    const page = await newPage(DESKTOP);
    for (const path of ['/events/not-a-uuid/board', '/events/1234', '/evnets']) {
      await page.goto(suite.server.origin + path);
      await page.locator('[data-not-found]').waitFor();
      expect(await page.locator('[data-not-found] code').textContent()).toBe(path);
    }
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`the join form shows the name's limit and refuses 61 characters in Japanese (${label})`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${suite.server.origin}/join/${event.joinCode}`);
      const name = page.locator('#join-name');
      await name.waitFor();
      expect(await page.locator('#join-name-limit').textContent()).toContain('60文字以内');
      expect(await name.getAttribute('maxlength')).toBeNull();

      const tooLong = '山'.repeat(61);
      await name.fill(tooLong);
      expect(await name.inputValue()).toBe(tooLong); // kept, not cut to 60
      const limit = page.locator('#join-name-limit');
      expect(await limit.textContent()).toContain('1文字多すぎます');
      expect(await limit.textContent()).toContain('61/60');
      expect(await name.getAttribute('aria-invalid')).toBe('true');

      await page.locator('#join-company').fill('青空通販');
      await page.getByRole('button', { name: '参加する' }).click();
      const alert = page.locator('form [role="alert"]');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('名前は60文字以内で入力してください（いま61文字）');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/join-name-too-long-${label}.png`, fullPage: true });
      // Switching the language rewords the message shown (it stayed Japanese).
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => alert.textContent()).toBe('Name must be at most 60 characters (now 61)');
      await page.getByRole('button', { name: '日本語' }).click();
      await expect.poll(() => alert.textContent()).toBe('名前は60文字以内で入力してください（いま61文字）');

      // At 60 the limit is met, and the form goes through.
      await name.fill('山'.repeat(60));
      expect(await limit.textContent()).toContain('60/60');
      expect(await name.getAttribute('aria-invalid')).toBe('false');
    });
  }

  it('a lost connection while joining says so in Japanese, and what to do', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${suite.server.origin}/join/${event.joinCode}`);
    await page.locator('#join-name').fill('佐藤');
    await page.locator('#join-company').fill('青空通販');
    await page.route('**/api/join', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: '参加する' }).click();
    const alert = page.locator('form [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('サーバーに接続できません。接続を確認して、もう一度お試しください');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => alert.textContent()).toBe('Cannot reach the server. Check your connection and try again');
  });
});
