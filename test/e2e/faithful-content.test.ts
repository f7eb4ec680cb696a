// The concept diagram's texts as people read them in the browser: the association's 目標イメージ
// exactly as written, beside the company's own figure without a pass/fail colour; all three 記入例
// and the worksheet question; 内枠 / 外枠 on the diagram and in the subtotals; the English names;
// and the guide page (/help), linked from the start page and the board.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let eventId: string;
const cookies: string[] = [];

async function open(path: string, viewport: { width: number; height: number }, cookie?: string): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await page.goto(suite.server.origin + path);
  return page;
}

async function openBoard(viewport: { width: number; height: number }): Promise<Page> {
  const page = await open(`/events/${eventId}/board`, viewport, cookies[0]);
  await page.locator('svg.diagram').waitFor();
  return page;
}

/** Diagram boxes whose text does not fit (it would be clipped or hide the score marks). */
function overfullBoxes(page: Page): Promise<string[]> {
  return page.locator('svg.diagram .node-body').evaluateAll((els) =>
    els.filter((el) => el.scrollHeight > el.clientHeight + 1).map((el) => el.querySelector('.name')?.textContent ?? '?'),
  );
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator, '1月 JCRM 勉強会');
  eventId = event.id;
  for (const [person, company] of [['佐藤', '青空通販'], ['Tanaka', 'みどり本舗'], ['鈴木', 'さくらEC']] as const) {
    const joined = await joinAs(suite.server.origin, event.joinCode, person, company);
    cookies.push(joined.client.cookie!);
  }
}, 120_000);

describe('the concept diagram as people read it', { timeout: 120_000 }, () => {
  it('shows the 目標イメージ exactly as the association writes it, beside the company figure in a neutral tone', async () => {
    const page = await openBoard(DESKTOP);
    const diagram = page.locator('svg.diagram');
    await expect.poll(() => diagram.locator('[data-element=customers] .target').allTextContents()).toEqual(['◎ 友達紹介制度 紹介率 20%以上']);
    await expect.poll(() => diagram.locator('[data-element=data] .target').allTextContents()).toEqual(['◎ 顧客コミュニケーション 100%']);
    expect(await diagram.locator('[data-frame=inner]').textContent()).toContain('内枠');
    expect(await diagram.locator('[data-frame=outer]').textContent()).toContain('外枠');
    expect(await overfullBoxes(page)).toEqual([]);

    await diagram.locator('[data-element=customers]').click();
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('顧客');
    const targetImage = page.locator('.panel .target-image');
    expect(await targetImage.textContent()).toContain('目標イメージ');
    expect(await targetImage.locator('.target').allTextContents()).toEqual(['友達紹介制度 紹介率 20%以上']);
    expect(await page.locator('.panel .question').textContent()).toContain('お客様');
    expect(await page.locator('.panel .example').allTextContents()).toEqual(['会員制度がある', '友達紹介制度がある', 'お客様の声を紹介している']);

    // Below the target image and above it: the company writes its own figure; no red or green verdict.
    const mine = page.locator('section.column').first();
    const actual = mine.locator('.actual input');
    await actual.fill('12');
    await actual.press('Tab');
    const vs = mine.locator('.actual .vs');
    expect((await vs.textContent())!.trim()).toBe('目標イメージ 20%以上');
    const look = await vs.evaluate((el) => ({ className: el.className, color: getComputedStyle(el).color, weight: getComputedStyle(el).fontWeight }));
    expect(look.className).not.toMatch(/\b(met|unmet)\b/);
    const muted = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--muted)';
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    expect(look.color).toBe(muted);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/content-board-customers-1280.png` });

    await diagram.locator('[data-element=pr]').click();
    await expect.poll(() => page.locator('.panel .target').allTextContents()).toEqual(['理念共感度 90%以上', '30年以上の事業継続']);
    expect(await mine.locator('.actual .unit').allTextContents()).toEqual(['%', '年']);
    expect(await page.locator('body').textContent()).not.toContain('≥');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/content-board-pr-1280.png`, fullPage: true });

    await page.click('button[role=tab]:nth-child(2)');
    await expect.poll(() => page.locator('tfoot [data-subtotal=inner] th').textContent()).toBe('内枠（会社として持つべきもの）');
    expect(await page.locator('tfoot [data-subtotal=outer] th').textContent()).toBe('外枠（CRMの実行）');
    // Nobody has scored the inner frame: "–", not 0/15 (a real score of zero).
    expect((await page.locator('tfoot [data-subtotal=inner] td').first().textContent())!.trim()).toBe('–');
  });

  it('names 思いやり and 共感 properly in English', async () => {
    const page = await openBoard(DESKTOP);
    await page.click('.topbar .tools button:has-text("English")');
    await expect.poll(() => page.locator('[data-element=consideration] .name').textContent()).toBe('Consideration (care)');
    expect(await overfullBoxes(page)).toEqual([]);
    await page.locator('svg.diagram [data-element=brand]').click();
    await expect.poll(() => page.locator('.panel .target-image').textContent()).toContain('Target image');
    expect(await page.locator('.panel .target').allTextContents()).toEqual([
      'Brand penetration: 20%+ of new and 80%+ of existing customers know the brand',
    ]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/content-board-brand-en-1280.png` });
    await page.fill('form.composer textarea', 'An insight about the brand');
    await page.click('form.composer button[type=submit]');
    await expect.poll(() => page.locator('li.card-item button', { hasText: 'Empathy' }).count()).toBe(1);
    expect(await page.locator('body').textContent()).not.toContain('Agree');
    await page.click('.topbar .tools button:has-text("日本語")');
    await expect.poll(() => page.locator('button[role=tab]').first().textContent()).toBe('項目');
  });

  it('shows the element panel on a phone without cutting its texts', async () => {
    const page = await openBoard(PHONE);
    await page.locator('svg.diagram [data-element=products]').click();
    await expect.poll(() => page.locator('#panel-title').textContent()).toBe('商品・サービス');
    await page.locator('#panel-title').scrollIntoViewIfNeeded();
    const cut = await page.locator('.panel .target, .panel .tagline, .panel .example, .panel .question').evaluateAll((els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/content-board-products-390.png` });
    await page.locator('.panel h3').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/content-board-products-worksheet-390.png` });
  });

  it('has a guide page, linked from the start page and the board, Japanese first and in English too', async () => {
    const start = await open('/', DESKTOP);
    await start.locator('a[href="/help"]').waitFor();
    await start.screenshot({ path: `${SCREENSHOT_DIR}/content-start-1280.png` });
    await start.click('a[href="/help"]');
    await start.waitForURL('**/help');
    await expect.poll(() => start.locator('h1').first().textContent()).toBe('Kizuki ガイド');
    const text = (await start.locator('article.help').textContent())!;
    for (const words of ['関係管理', '関係構築', '内枠', '外枠', '気付き', '完全に達成している', 'コンサルタント', '独自の応用']) expect(text).toContain(words);
    await start.screenshot({ path: `${SCREENSHOT_DIR}/content-help-1280.png`, fullPage: true });
    await start.click('.shell-header button:has-text("English")');
    await expect.poll(() => start.locator('h1').first().textContent()).toBe('Kizuki guide');
    expect(await start.locator('article.help').textContent()).toContain('adaptation');
    await start.screenshot({ path: `${SCREENSHOT_DIR}/content-help-en-1280.png`, fullPage: true });

    const phone = await open('/help', PHONE);
    await expect.poll(() => phone.locator('h1').first().textContent()).toBe('Kizuki ガイド');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/content-help-390.png`, fullPage: true });

    const board = await openBoard(DESKTOP);
    const link = board.locator('.topbar a.help-link');
    expect(await link.getAttribute('href')).toBe('/help');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(suite.errors).toEqual([]);
  });
});
