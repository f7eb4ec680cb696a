// Mistakes you can take back, with two members of one company in two browsers: undo takes back
// only my own change (theirs stays, for both of us), redo brings it back, the keyboard shortcut
// works outside text fields, and deleting a 気付き card offers 「元に戻す」, which restores it for
// everyone.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let eventId: string;
let sato: Page;
let suzuki: Page;

async function openBoard(cookie: string, viewport = DESKTOP): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await page.goto(`${suite.server.origin}/events/${eventId}/board`);
  await page.locator('svg.diagram').waitFor();
  await page.click('[data-element=customers]');
  await page.locator('section.column').first().waitFor({ timeout: 10_000 }).catch((err) => {
    throw new Error(`${(err as Error).message}\npage errors: ${suite.errors.join(' | ')}`);
  });
  return page;
}

/** The "doing" lines of the company's own worksheet column, as this page shows them. */
function lines(page: Page): Promise<string[]> {
  return page
    .locator('section.column')
    .first()
    .locator('[data-list=doing] .item-text:not([readonly])')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
}

async function addLine(page: Page, text: string): Promise<void> {
  const column = page.locator('section.column').first();
  await column.locator('[data-list=doing] button.add').click();
  await column.locator('[data-list=doing] .item-text:not([readonly])').last().fill(text);
  // Leave the field, as people do: the board's shortcuts act outside text fields.
  await page.locator('article.panel h2').click();
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator, '元に戻すの確認');
  eventId = event.id;
  const a = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
  const b = await joinAs(suite.server.origin, event.joinCode, '鈴木', '青空通販');
  expect(b.eventCompanyId).toBe(a.eventCompanyId);
  sato = await openBoard(a.client.cookie!);
  suzuki = await openBoard(b.client.cookie!);
}, 120_000);

describe('undo and redo', { timeout: 120_000 }, () => {
  it('undo takes back my line only; theirs stays for both; redo brings mine back', async () => {
    await expect.poll(() => sato.locator('button[data-action=undo]').isDisabled()).toBe(true);
    await addLine(sato, '佐藤の行');
    await addLine(suzuki, '鈴木の行');
    for (const page of [sato, suzuki]) await expect.poll(() => lines(page)).toEqual(['佐藤の行', '鈴木の行']);

    // Adding a line and typing into it may be one step or two: undo until my line is gone.
    for (let i = 0; i < 3 && (await lines(suzuki)).includes('佐藤の行'); i++) {
      await sato.click('button[data-action=undo]');
      await sato.waitForTimeout(300);
      expect(await lines(suzuki)).toContain('鈴木の行');
    }
    for (const page of [sato, suzuki]) await expect.poll(() => lines(page)).toEqual(['鈴木の行']);

    await expect.poll(() => sato.locator('button[data-action=redo]').isDisabled()).toBe(false);
    for (let i = 0; i < 3 && !(await lines(suzuki)).includes('佐藤の行'); i++) {
      await sato.click('button[data-action=redo]');
      await sato.waitForTimeout(300);
    }
    // Restored where it was.
    for (const page of [sato, suzuki]) await expect.poll(() => lines(page)).toEqual(['佐藤の行', '鈴木の行']);
  });

  it('Ctrl+Z outside a text field undoes my own change, never the other member\'s', async () => {
    await addLine(suzuki, '鈴木の二行目');
    for (const page of [sato, suzuki]) await expect.poll(() => lines(page)).toContain('鈴木の二行目');
    for (let i = 0; i < 3 && (await lines(sato)).includes('鈴木の二行目'); i++) {
      await suzuki.keyboard.press('Control+z');
      await suzuki.waitForTimeout(300);
    }
    for (const page of [sato, suzuki]) await expect.poll(() => lines(page)).toEqual(['佐藤の行', '鈴木の行']);
  });

  it('deleting a 気付き card offers 元に戻す, which restores it for everyone', async () => {
    await sato.fill('#card-draft', '紹介制度の数字を毎月見る');
    await sato.click('form.composer button[type=submit]');
    const card = (page: Page) => page.locator('li.card-item', { hasText: '紹介制度の数字を毎月見る' });
    await expect.poll(() => card(suzuki).count()).toBe(1);

    await card(sato).locator('button.danger').click();
    const toast = sato.locator('.toast[data-offer=card]');
    await toast.waitFor();
    await expect.poll(() => card(suzuki).count()).toBe(0);
    await sato.screenshot({ path: `${SCREENSHOT_DIR}/undo-toast-1280.png` });
    await toast.locator('button.primary').click();
    for (const page of [sato, suzuki]) await expect.poll(() => card(page).count()).toBe(1);
    await expect.poll(() => toast.count()).toBe(0);

    // A deleted worksheet line too, and on a phone.
    const phone = await openBoard((await sato.context().cookies())[0]!.name + '=' + (await sato.context().cookies())[0]!.value, PHONE);
    await phone.locator('section.column').first().locator('[data-list=doing] button.remove').first().click();
    const lineToast = phone.locator('.toast[data-offer=line]');
    await lineToast.waitFor();
    await expect.poll(() => lines(suzuki)).toEqual(['鈴木の行']);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/undo-toast-390.png` });
    await lineToast.locator('button.primary').click();
    await expect.poll(() => lines(suzuki)).toEqual(['佐藤の行', '鈴木の行']);
    expect(suite.errors).toEqual([]);
  });
});
