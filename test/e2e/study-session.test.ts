// A whole study session in real browsers: a facilitator sets up an event, three companies join
// in three browser contexts, fill worksheets, post 気付き cards and score; everyone sees everyone
// live; permissions hold; and everything is still there after a server restart.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const COMPANIES = [
  { person: '佐藤', company: '青空通販' },
  { person: 'Tanaka', company: 'みどり本舗' },
  { person: '鈴木 🌸', company: 'Sakura EC <b>株式会社</b>' },
];

const suite = browserSuite();
const pages: Page[] = [];
let facilitator: Page;
let boardUrl: string;

const newPage = (): Promise<Page> => suite.page(undefined, DESKTOP);

describe('a study session in the browser', { timeout: 120_000 }, () => {
  it('a facilitator sets up the first account and creates an event with a join code and QR code', async () => {
    facilitator = await newPage();
    await facilitator.goto(`${suite.server.origin}/setup`);
    await facilitator.fill('#setup-name', '進行役 山田');
    await facilitator.fill('#setup-email', 'yamada@example.jp');
    await facilitator.fill('#setup-password', 'very secret passphrase');
    await facilitator.click('button[type=submit]');
    await facilitator.waitForURL('**/events');
    await facilitator.fill('#event-title', '12月 JCRM 勉強会');
    await facilitator.fill('#event-date', '2026-12-01');
    await facilitator.fill('#event-theme', '顧客とデータ');
    for (const element of ['顧客', 'データ']) await facilitator.locator('fieldset.covered label', { hasText: element }).locator('input').check();
    await facilitator.click('button[type=submit]');
    await facilitator.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    await expect.poll(() => facilitator.locator('#join-code-value').textContent()).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await expect.poll(() => facilitator.locator('img[src^="data:image/png"]').count()).toBeGreaterThan(0);
    // The event page shows what was chosen: format, theme and the elements covered, in both languages.
    const setup = facilitator.locator('[data-event-setup]');
    await expect.poll(() => setup.locator('[data-setup=kind]').textContent()).toBe('勉強会（1ルーム）');
    expect(await setup.locator('[data-setup=theme]').textContent()).toBe('顧客とデータ');
    expect(await setup.locator('[data-setup=covered]').textContent()).toBe('顧客、データ');
    expect(await setup.locator('dt').allTextContents()).toEqual(['形式', 'テーマ', '扱う項目']);
    await facilitator.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => setup.locator('[data-setup=kind]').textContent()).toBe('Study session (one room)');
    expect(await setup.locator('[data-setup=covered]').textContent()).toBe('Customers, Data');
    expect(await setup.locator('dt').allTextContents()).toEqual(['Format', 'Theme', 'Elements covered']);
    await facilitator.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => setup.locator('dt').first().textContent()).toBe('形式');
    boardUrl = `${facilitator.url()}/board`;
  });

  it('three participants join as three companies and land on their room board', async () => {
    const code = (await facilitator.locator('#join-code-value').textContent())!;
    for (const who of COMPANIES) {
      const page = await newPage();
      pages.push(page);
      // The code as people type it: lower case, no hyphen.
      await page.goto(`${suite.server.origin}/`);
      await page.fill('input.code-input', code.toLowerCase().replace('-', ''));
      await page.press('input.code-input', 'Enter');
      await page.waitForURL(/\/join\//);
      await page.fill('#join-name', who.person);
      const newCompany = page.locator('input[type=radio][value=new]');
      if (await newCompany.count()) await newCompany.check();
      await page.fill('#join-company', who.company);
      await page.click('button[type=submit]');
      await page.waitForURL(/\/board$/);
      await page.locator('svg.diagram').waitFor();
    }
    // Everyone sees all three companies' score marks on the diagram.
    for (const page of pages) {
      await expect.poll(() => page.locator('[data-element=customers] .score').count()).toBe(3);
    }
  });

  it('each company writes a worksheet item, posts a 気付き card and scores two elements; all see it live', async () => {
    for (const [i, page] of pages.entries()) {
      await page.click('[data-element=customers]');
      const mine = page.locator('section.column').first();
      await mine.locator('[data-list=doing] button.add').click();
      await mine.locator('[data-list=doing] .item-text:not([readonly])').last().fill(`会員制度 (${COMPANIES[i]!.company})`);
      await page.fill('#card-draft', `気付き from ${COMPANIES[i]!.person}: <script>alert(1)</script>`);
      await page.click('form.composer button[type=submit]');
      const pickers = page.locator('fieldset.score-picker');
      await pickers.first().locator('label.option', { hasText: String(3 - i) }).first().click();
      await page.click('[data-element=brand]');
      await page.locator('fieldset.score-picker').first().locator('label.option', { hasText: String(i) }).first().click();
      await page.click('[data-element=customers]');
    }

    for (const page of pages) {
      // Cards from all three, rendered as text (no HTML injection).
      await expect.poll(() => page.locator('li.card-item').count()).toBe(3);
      expect(await page.locator('li.card-item script').count()).toBe(0);
      await expect.poll(() => page.locator('li.card-item .text').allTextContents()).toContain('気付き from Tanaka: <script>alert(1)</script>');
      // Worksheets of the other companies, side by side.
      await expect.poll(() => page.locator('section.column .item-text').evaluateAll((els) => els.map((e) => (e as HTMLInputElement | HTMLTextAreaElement).value))).toEqual(
        expect.arrayContaining(COMPANIES.map((c) => `会員制度 (${c.company})`)),
      );
      // The diagram's card count.
      await expect.poll(() => page.locator('[data-element=customers] .count').textContent()).toContain('3');
    }
  });

  it('the comparison table and radar chart update live as anyone scores', async () => {
    for (const page of pages) {
      await page.click('button[role=tab]:nth-child(2)');
      await expect
        .poll(() => page.locator('tr[data-element=customers] td[data-company]').allTextContents())
        .toEqual(expect.arrayContaining([expect.stringContaining('3'), expect.stringContaining('2'), expect.stringContaining('1')]));
      await page.locator('canvas').waitFor();
    }
    // Nobody has scored the inner frame yet: "–" (as in the plenary), not 0/15, a real score of zero.
    for (const page of pages) {
      expect((await page.locator('tr[data-subtotal=inner] td[data-company]').allTextContents()).map((text) => text.trim())).toEqual(['–', '–', '–']);
      expect((await page.locator('tr[data-subtotal=outer] td[data-company]').allTextContents()).map((text) => text.replace(/\s/g, ''))).toEqual(['3/15', '3/15', '3/15']);
    }
    const watcher = pages[1]!;
    const chartBefore = await watcher.locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const totalBefore = (await watcher.locator('tr[data-subtotal=total] td[data-company]').allTextContents()).join(' ');

    // Company 1 scores its 理念 from its element panel; company 2's open comparison must follow.
    const scorer = pages[0]!;
    await scorer.click('[data-element=philosophy]');
    await scorer.locator('fieldset.score-picker').first().locator('label.option', { hasText: '3' }).first().click();
    await expect.poll(async () => (await watcher.locator('tr[data-subtotal=total] td[data-company]').allTextContents()).join(' ')).not.toBe(totalBefore);
    await expect.poll(() => watcher.locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(chartBefore);
    // Its inner frame now has a sum; the others' still have none (columns in the watcher's order).
    const inner = (await watcher.locator('tr[data-subtotal=inner] td[data-company]').allTextContents()).map((text) => text.replace(/\s/g, ''));
    expect(inner.sort()).toEqual(['3/15', '–', '–']);
  });

  it("a participant cannot edit another company's worksheet", async () => {
    const page = pages[0]!;
    await page.click('[data-element=customers]');
    const others = page.locator('section.column').nth(1);
    const field = others.locator('.item-text').first();
    expect(await field.getAttribute('readonly')).not.toBeNull();
    const before = await field.inputValue();
    await field.click();
    await page.keyboard.type('改ざん');
    expect(await field.inputValue()).toBe(before);
    await expect.poll(() => others.locator('.tag').allTextContents()).toContain('閲覧のみ');
  });

  it('keeps screenshots of the board, an element panel and the comparison at desktop and phone width', async () => {
    const page = pages[0]!;
    for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      await page.click('[data-element=customers]');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/board-${label}.png` });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/board-panel-${label}.png`, fullPage: label === 'phone' });
      await page.click('button[role=tab]:nth-child(2)');
      await page.locator('canvas').waitFor();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/comparison-${label}.png`, fullPage: true });
      await page.click('button[role=tab]:nth-child(1)');
    }
    await page.setViewportSize(DESKTOP);
    // English on request, Japanese by default.
    await page.click('.topbar .tools button:has-text("English")');
    await expect.poll(() => page.locator('button[role=tab]').allTextContents()).toEqual(['Element', 'Compare scores']);
    await page.click('[data-element=customers]');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/board-panel-english-desktop.png` });
    await page.click('.topbar .tools button:has-text("日本語")');
    await expect.poll(() => page.locator('button[role=tab]').first().textContent()).toBe('項目');
    // The printed page is the diagram alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.side-pane').isVisible()).toBe(false);
    expect(await page.locator('svg.diagram').isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/print-diagram.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await facilitator.goto(boardUrl);
    await facilitator.locator('svg.diagram').waitFor();
    await facilitator.screenshot({ path: `${SCREENSHOT_DIR}/board-facilitator-desktop.png` });
    expect(existsSync(`${SCREENSHOT_DIR}/comparison-phone.png`)).toBe(true);
  });

  it('works from the keyboard: an element opens with Enter and a score is set with the arrow keys', async () => {
    const page = pages[2]!;
    await page.click('button[role=tab]:nth-child(1)');
    await page.focus('[data-element=pr]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('PR');
    const radios = page.locator('fieldset.score-picker').first().locator('input[type=radio]');
    await radios.first().focus(); // the "3" option (options run 3 → 0)
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('fieldset.score-picker legend strong').first().textContent()).toBe('3');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('fieldset.score-picker legend strong').first().textContent()).toBe('2');
    // Everyone else sees it on the diagram.
    await expect.poll(() => pages[0]!.locator('[data-element=pr] .score:not(.unscored)').allTextContents()).toContain('2');
  });

  it('refuses a 10,000-character card with a clear message and posts nothing', async () => {
    const page = pages[1]!;
    await page.click('button[role=tab]:nth-child(1)');
    await page.click('[data-element=data]');
    await page.fill('#card-draft', 'あ'.repeat(10_000));
    await expect.poll(() => page.locator('form.composer .error').textContent()).toContain('2000');
    expect(await page.locator('form.composer button[type=submit]').isDisabled()).toBe(true);
    expect(await page.locator('li.card-item').count()).toBe(0);
    await page.fill('#card-draft', '');
  });

  it('keeps edits made while the server is down and sends them after a reload', async () => {
    const writer = pages[1]!;
    const reader = pages[0]!;
    await writer.click('button[role=tab]:nth-child(1)');
    await writer.click('[data-element=products]');
    await suite.stopServer();
    await expect.poll(() => writer.locator('.connection').getAttribute('data-status')).not.toBe('online');
    await writer.locator('section.column').first().locator('textarea').last().fill('オフライン中に書いたメモ');
    // y-indexeddb writes asynchronously; give it a moment before the page goes away.
    await writer.waitForTimeout(500);
    await suite.startServer();
    await writer.reload();
    await writer.locator('svg.diagram').waitFor();
    await expect.poll(() => writer.locator('.connection').getAttribute('data-status')).toBe('online');
    await reader.click('button[role=tab]:nth-child(1)');
    await reader.click('[data-element=products]');
    await expect
      .poll(() => reader.locator('section.column textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)))
      .toContain('オフライン中に書いたメモ');
  });

  it('everything is still there after a server restart', async () => {
    await suite.stopServer();
    await suite.startServer();
    const page = pages[2]!;
    await page.reload();
    await page.locator('svg.diagram').waitFor();
    await page.click('[data-element=customers]');
    await expect.poll(() => page.locator('li.card-item').count()).toBe(3);
    await expect.poll(() => page.locator('section.column .item-text').evaluateAll((els) => els.map((e) => (e as HTMLInputElement | HTMLTextAreaElement).value))).toEqual(
      expect.arrayContaining(COMPANIES.map((c) => `会員制度 (${c.company})`)),
    );
    await page.click('button[role=tab]:nth-child(2)');
    await expect
      .poll(() => page.locator('tr[data-element=brand] td[data-company]').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('0'), expect.stringContaining('1'), expect.stringContaining('2')]));
  });
});
