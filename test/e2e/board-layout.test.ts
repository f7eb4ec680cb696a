// The board's layout with three companies, as people see it at 1280×800 and on a 390 px phone:
// three worksheet columns side by side without horizontal scrolling, the comparison table whole
// (gap column included), a one-row header even with a 60-character name, no word broken inside a
// header label on a phone, the comparison's first column fixed while the companies scroll, and
// other companies' worksheets folded on a phone so the element panel stays short.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let eventId: string;
const cookies: string[] = [];
const LONG_NAME = '長い名前の参加者'.repeat(7) + '確認用テキスト'.slice(0, 4); // 60 characters

async function openBoard(viewport: { width: number; height: number }, cookie: string): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await page.goto(`${suite.server.origin}/events/${eventId}/board`);
  await page.locator('svg.diagram').waitFor();
  return page;
}

/** Fills the company's 顧客 worksheet through the UI: three "doing" lines, two "not yet", a memo. */
async function fillWorksheet(page: Page, company: string): Promise<void> {
  await page.click('[data-element=customers]');
  const mine = page.locator('section.column').first();
  for (const [list, n] of [['doing', 3], ['notYet', 2]] as const) {
    for (let i = 0; i < n; i++) {
      await mine.locator(`[data-list=${list}] button.add`).click();
      await mine.locator(`[data-list=${list}] input.item-text`).last().fill(`${company}の取り組み ${list} ${i + 1}：会員向けの定期便と誕生日のお手紙`);
    }
  }
  await mine.locator('textarea').last().fill(`${company}のメモ。次回までに紹介制度の数字を確認する。`);
}

/** Elements whose text wraps onto a second line (a word broken inside a label). */
function wrappedLabels(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .filter((el) => {
        const style = getComputedStyle(el);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
        const content = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
        return content > line * 1.5;
      })
      .map((el) => el.textContent?.trim() ?? ''),
  );
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator, '1月 JCRM 勉強会（レイアウト確認）');
  eventId = event.id;
  for (const [person, company] of [[LONG_NAME, '青空通販'], ['Tanaka', 'みどり本舗'], ['鈴木', 'さくらEC']] as const) {
    const joined = await joinAs(suite.server.origin, event.joinCode, person, company);
    cookies.push(joined.client.cookie!);
  }
  for (const [i, company] of ['青空通販', 'みどり本舗', 'さくらEC'].entries()) {
    const page = await openBoard(DESKTOP, cookies[i]!);
    await fillWorksheet(page, company);
    // Scores, so the comparison has values in every company's column.
    await page.locator('fieldset.score-picker').first().locator('label.option', { hasText: String(i + 1) }).first().click();
  }
}, 180_000);

describe('board layout', { timeout: 120_000 }, () => {
  it('1280×800: three worksheet columns side by side, none behind a horizontal scroll', async () => {
    const page = await openBoard(DESKTOP, cookies[0]!);
    await page.click('[data-element=customers]');
    await expect.poll(() => page.locator('section.column input.item-text').count()).toBe(15);
    const columns = page.locator('section.column');
    expect(await columns.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const box = (await columns.nth(i).boundingBox())!;
      expect(box.x, `column ${i} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `column ${i} ends on screen`).toBeLessThanOrEqual(DESKTOP.width);
    }
    const overflow = await page.locator('.columns').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width);
    // The diagram's text as drawn on screen (font size × the SVG's scale): names and 目標イメージ readable.
    const rendered = await page.locator('svg.diagram').evaluate((svg) => {
      const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
      const px = (selector: string) => Math.min(...[...svg.querySelectorAll(selector)].map((el) => parseFloat(getComputedStyle(el).fontSize) * scale));
      return { name: px('.name'), target: px('.target') };
    });
    expect(rendered.name).toBeGreaterThanOrEqual(13);
    expect(rendered.target).toBeGreaterThanOrEqual(9.5);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-element-1280.png` });
  });

  it('1280×800: the comparison table is whole (gap column inside its box) and the header is one row with a 60-character name', async () => {
    const page = await openBoard(DESKTOP, cookies[0]!);
    await page.click('button[role=tab]:nth-child(2)');
    const wrap = page.locator('.table-wrap');
    await wrap.waitFor();
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const wrapBox = (await wrap.boundingBox())!;
    const gapHeader = (await page.locator('.comparison thead th').last().boundingBox())!;
    expect(gapHeader.x + gapHeader.width).toBeLessThanOrEqual(wrapBox.x + wrapBox.width + 0.5);

    // One row: the top bar's items share one horizontal band (each starts above where every one ends).
    const rows = await page.locator('header.topbar > *').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => ({ top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom })),
    );
    expect(Math.max(...rows.map((r) => r.top)), JSON.stringify(rows)).toBeLessThan(Math.min(...rows.map((r) => r.bottom)));
    expect((await page.locator('header.topbar').boundingBox())!.height).toBeLessThan(60);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-comparison-1280.png` });
  });

  it('390×844: no word broken inside the header; the comparison keeps its first column while companies scroll', async () => {
    const page = await openBoard(PHONE, cookies[0]!);
    expect(await wrappedLabels(page, 'header.topbar a, header.topbar button, header.topbar .brand, header.topbar .room-name')).toEqual([]);
    // Nothing of the header runs off the screen (the tools wrap as whole items instead).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const toolsRight = await page.locator('header.topbar .tools > *').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(toolsRight).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-board-390.png` });
    // Two short rows (it was ~140 px, three rows of links): the links fold behind one menu button.
    expect((await page.locator('header.topbar').boundingBox())!.height).toBeLessThan(90);
    const menu = page.locator('#board-menu');
    expect(await menu.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'メニュー' }).click();
    await menu.getByRole('link', { name: 'ガイド' }).waitFor();
    const links = await menu.locator('a, button').evaluateAll((els) => els.map((e) => ({ text: e.textContent, right: e.getBoundingClientRect().right })));
    expect(links.map((l) => l.text)).toEqual(['自社のページ', 'レポート', 'アセスメント', 'ガイド', '印刷', 'English']);
    for (const { right } of links) expect(right).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-board-menu-390.png` });
    // From the keyboard: Tab goes from the button into the menu; Escape closes it and gives focus back.
    await page.getByRole('button', { name: 'メニュー' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('自社のページ');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('メニュー');
    await page.getByRole('button', { name: 'メニュー' }).click();
    await page.locator('.diagram-pane').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => menu.isVisible()).toBe(false);

    await page.click('button[role=tab]:nth-child(2)');
    const wrap = page.locator('.table-wrap');
    await wrap.waitFor();
    expect(await wrappedLabels(page, '.comparison tbody th[scope=row]')).toEqual([]);
    const firstCell = page.locator('.comparison tbody tr').first().locator('th');
    const before = (await firstCell.boundingBox())!;
    await wrap.evaluate((el) => el.scrollBy({ left: 200 }));
    await expect.poll(() => wrap.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const after = (await firstCell.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(1);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-comparison-390.png` });
  });

  it('390×844: other companies\' worksheets are folded, so the element panel stays short; one tap opens one', async () => {
    const page = await openBoard(PHONE, cookies[0]!);
    await page.click('[data-element=customers]');
    await expect.poll(() => page.locator('section.column').count()).toBe(3);
    const panelHeight = async () => (await page.locator('article.panel').boundingBox())!.height;
    const folded = await panelHeight();
    // It was ~3,700 px with every worksheet open.
    expect(folded).toBeLessThan(2600);
    const other = page.locator('details.other-sheet').first();
    await other.locator('summary').click();
    await expect.poll(async () => other.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await expect.poll(panelHeight).toBeGreaterThan(folded + 200);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-element-390.png`, fullPage: true });
    expect(suite.errors).toEqual([]);
  });
});
