// The board's layout with three companies, as people see it at 1280×800 and on a 390 px phone:
// three worksheet columns side by side without horizontal scrolling, the comparison table whole
// (gap column included), a one-row header even with a 60-character name, no word broken inside a
// header label on a phone, the comparison whole on a phone too (three companies and the gap), and
// other companies' worksheets folded on a phone so the element panel stays short; a 44-character
// company name that keeps the phone page 390 px wide (the legend wraps); five people in the header
// ("+N" for who does not fit); in English, the frames' labels clear the boxes and card times name the month.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let eventId: string;
let joinCode: string;
const cookies: string[] = [];
const companyIds: string[] = [];
const LONG_NAME = '長い名前の参加者'.repeat(7) + '確認用テキスト'.slice(0, 4); // 60 characters
const LONG_COMPANY = 'ひかり酒造株式会社（旧 光醸造合資会社）オンラインショップ事業部 CRM推進グループ';
const COMPANIES = ['青空通販', 'みどり本舗', LONG_COMPANY] as const;

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
      await mine.locator(`[data-list=${list}] .item-text:not([readonly])`).last().fill(`${company}の取り組み ${list} ${i + 1}：会員向けの定期便と誕生日のお手紙`);
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
  joinCode = event.joinCode;
  for (const [i, person] of [LONG_NAME, 'Tanaka', '鈴木'].entries()) {
    const joined = await joinAs(suite.server.origin, event.joinCode, person, COMPANIES[i]!);
    cookies.push(joined.client.cookie!);
    companyIds.push(joined.eventCompanyId);
  }
  for (const [i, company] of COMPANIES.entries()) {
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
    await expect.poll(() => page.locator('section.column .item-text').count()).toBe(15);
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

  it('390×844: no word broken inside the header; the comparison fits without sideways scrolling', async () => {
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
    expect(links.map((l) => l.text)).toEqual(['自社のページ', 'レポート', 'アセスメント', 'ガイド', '印刷', 'English', 'ログアウト']);
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
    // Three companies (one with a 60-character name) and the gap column fit the phone: the table
    // does not scroll sideways any more (the third company's column was cut off).
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const gapHeader = (await page.locator('.comparison thead th').last().boundingBox())!;
    expect(gapHeader.x + gapHeader.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
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

  it('five people in the room: the 1280 header shows everyone who fits and "+N" for the rest; the phone page stays 390 px wide with a long company name', async () => {
    // Two more people, in companies already here (the worksheet columns stay three).
    const more: string[] = [];
    for (const [name, company] of [['佐藤', companyIds[1]], ['渡辺', companyIds[2]]] as const) {
      const client = new ApiClient(suite.server.origin);
      const res = await client.post('/api/join', { code: joinCode, displayName: name, eventCompanyId: company });
      expect(res.status).toBe(201);
      more.push(client.cookie!);
    }
    const others: Page[] = [];
    for (const cookie of [...cookies.slice(1), more[0]!]) others.push(await openBoard(DESKTOP, cookie));
    const page = await openBoard(DESKTOP, cookies[0]!);
    const presence = page.locator('header.topbar .presence');
    const badge = presence.locator('li.more');
    // Four fit at 1280: no badge.
    await expect.poll(() => presence.locator('li.person').count()).toBe(4);
    await expect.poll(() => presence.locator('li.person').evaluateAll((els) => els.filter((e) => getComputedStyle(e).visibility !== 'hidden').length)).toBe(4);
    expect(await badge.isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-presence-4-1280.png` });
    // A fifth does not.
    others.push(await openBoard(DESKTOP, more[1]!));
    await expect.poll(() => presence.locator('li.person').count()).toBe(5);
    await expect.poll(() => badge.getAttribute('data-presence-more')).not.toBe('0');
    const shown = await presence.evaluate((bar) => {
      const box = bar.getBoundingClientRect();
      const people = [...bar.querySelectorAll<HTMLElement>('li.person')];
      const visible = people.filter((li) => getComputedStyle(li).visibility !== 'hidden');
      const more = bar.querySelector<HTMLElement>('li.more')!;
      return {
        visible: visible.length,
        more: Number(more.dataset.presenceMore),
        title: more.title,
        label: more.textContent ?? '',
        hidden: people.filter((li) => !visible.includes(li)).map((li) => li.title.split(' — ')[0]!),
        rights: [...visible, more].map((li) => li.getBoundingClientRect().right - box.right),
        tops: [...visible, more].map((li) => li.getBoundingClientRect().top),
      };
    });
    expect(shown.visible, JSON.stringify(shown)).toBeGreaterThanOrEqual(2);
    expect(shown.visible + shown.more).toBe(5);
    // The badge names who it counts (tooltip, and the text a screen reader reads).
    for (const name of shown.hidden) {
      expect(shown.title).toContain(name);
      expect(shown.label).toContain(name);
    }
    // Nothing cut at the bar's edge, all on one line.
    for (const right of shown.rights) expect(right).toBeLessThanOrEqual(0.5);
    expect(Math.max(...shown.tops) - Math.min(...shown.tops)).toBeLessThan(2);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-presence-1280.png` });

    // On a phone, as a member of the long-named company with its worksheet and the insights open.
    const phone = await openBoard(PHONE, cookies[2]!);
    await phone.click('[data-element=customers]');
    await phone.locator('#card-draft').fill('紹介制度の数字、次回までに確認します');
    await phone.click('form.composer button[type=submit]');
    await phone.locator('li.card-item').first().waitFor();
    await expect.poll(() => phone.locator('header.topbar .presence li.person').count()).toBe(5);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const legendRight = await phone.locator('.legend li').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(legendRight).toBeLessThanOrEqual(PHONE.width);
    const svgRight = (await phone.locator('svg.diagram').boundingBox())!;
    expect(svgRight.x + svgRight.width).toBeLessThanOrEqual(PHONE.width);
    await phone.evaluate(() => scrollTo(0, 0));
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/layout-long-company-390.png` });
    for (const other of others) await other.close();
    expect(suite.errors).toEqual([]);
  });

  it('English: the frames\' labels run under no box at 1280 and 390; a card\'s time names the month', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await openBoard(viewport, cookies[1]!);
      await page.evaluate(() => localStorage.setItem('kizuki.locale', 'en'));
      await page.reload();
      await page.locator('svg.diagram').waitFor();
      await expect.poll(() => page.locator('.frame-label[data-frame=inner] .frame-name').textContent()).toBe('Inner frame');
      const overlaps = await page.locator('svg.diagram').evaluate((svg) => {
        const boxes = [...svg.querySelectorAll('g.node > rect')].map((r) => r.getBoundingClientRect());
        const labels: Array<{ text: string; box: DOMRect }> = [];
        for (const name of svg.querySelectorAll('.frame-name')) labels.push({ text: name.textContent ?? '', box: name.getBoundingClientRect() });
        // The hints' lines as drawn (none on a phone, where they are not shown).
        for (const hint of svg.querySelectorAll<HTMLElement>('.frame-hint div')) {
          const range = document.createRange();
          range.selectNodeContents(hint);
          for (const line of range.getClientRects()) labels.push({ text: hint.textContent ?? '', box: line });
        }
        return labels
          .filter(({ box }) => box.width > 0)
          .filter(({ box }) => boxes.some((b) => box.left < b.right && box.right > b.left && box.top < b.bottom && box.bottom > b.top))
          .map(({ text }) => text);
      });
      expect(overlaps, `${viewport.width}px`).toEqual([]);
      if (viewport === DESKTOP) {
        await page.click('[data-element=products]');
        await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-en-products-1280.png` });
        await page.click('[data-element=customers]');
        const time = page.locator('li.card-item time').first();
        await time.waitFor();
        // "3 Dec, 22:16", not "03/12, 22:16" (read as 12 March by some).
        expect(await time.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2,3}, \d{2}:\d{2}$/);
      } else {
        await page.screenshot({ path: `${SCREENSHOT_DIR}/layout-en-390.png` });
      }
    }
    expect(suite.errors).toEqual([]);
  });
});
