// Three more layout fixes, in Chromium at 1280×800 and 390×844, in Japanese and English:
// the plenary's score table keeps its first column (the companies) narrow on a phone, so several
// score columns fit beside it, as the board's comparison does; every element name in the concept
// diagram stays inside its box (English ones were broken mid-word, 「Philoso/phy」, and ran past
// the box); the facilitator's message goes under the board's phone menu while the menu is open,
// told so by the board rather than by a selector naming the menu's id (renaming it broke that).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

type Locale = 'ja' | 'en';
type Viewport = { width: number; height: number };

const suite = browserSuite();
const COMPANIES = ['青空通販', 'みどり本舗', 'ひかり酒造株式会社 通販事業部', 'Blue Sky Foods'];
/** Other companies for the plenary's event (a company name is the same company in every event). */
const PLENARY_COMPANIES = ['東京商事', '大阪物産', '名古屋フーズ株式会社 オンラインストア', 'Kaze Foods'];
const board = { id: '', cookies: [] as string[] };
const plenary = { id: '', cookies: [] as string[] };
let control: ControlClient;
let plenaryControl: ControlClient;

/** A page signed in with the cookie, in the given UI language (the app's own switch, remembered). */
async function open(cookie: string, viewport: Viewport, locale: Locale, path: string): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  if (locale === 'en') await page.context().addInitScript(() => localStorage.setItem('kizuki.locale', 'en'));
  await page.goto(`${suite.server.origin}${path}`);
  return page;
}

async function openBoard(viewport: Viewport, locale: Locale = 'ja', i = 0): Promise<Page> {
  const page = await open(board.cookies[i]!, viewport, locale, `/events/${board.id}/board`);
  await page.locator('svg.diagram').waitFor();
  return page;
}

async function openPlenary(viewport: Viewport, locale: Locale): Promise<Page> {
  const page = await open(plenary.cookies[0]!, viewport, locale, `/events/${plenary.id}/board`);
  await expect.poll(() => page.locator('.plenary-table tbody tr').count()).toBe(PLENARY_COMPANIES.length);
  return page;
}

/**
 * Element names that do not fit their node, as "element: why": the text's own extent (a word
 * running past its line overflows the block, not the block) outside the node's box or over the
 * score marks below it, or a Latin word split across two lines (「Philoso/phy」; Japanese may
 * break between any two characters, auto-phrase chooses where).
 */
function namesNotFitting(page: Page): Promise<string[]> {
  return page.locator('svg.diagram g.node').evaluateAll((nodes) =>
    nodes.flatMap((node) => {
      const box = node.querySelector('rect')!.getBoundingClientRect();
      const marks = node.querySelector('.marks')!.getBoundingClientRect();
      const name = node.querySelector<HTMLElement>('.name')!;
      const id = node.getAttribute('data-element');
      const problems: string[] = [];
      const range = document.createRange();
      range.selectNodeContents(name);
      const text = range.getBoundingClientRect();
      if (text.left < box.left - 0.5 || text.right > box.right + 0.5 || text.top < box.top - 0.5) problems.push(`${id}: outside its box`);
      if (text.bottom > marks.top + 0.5) problems.push(`${id}: over the marks`);
      const chars = name.firstChild!.textContent!;
      const tops = [...chars].map((_, i) => {
        range.setStart(name.firstChild!, i);
        range.setEnd(name.firstChild!, i + 1);
        return range.getBoundingClientRect().top;
      });
      for (let i = 1; i < chars.length; i++) {
        if (tops[i]! > tops[i - 1]! + 1 && /[A-Za-z]/.test(chars[i - 1]!) && /[A-Za-z]/.test(chars[i]!)) problems.push(`${id}: 「${chars.slice(0, i)}/${chars.slice(i)}」`);
      }
      return problems;
    }),
  );
}

/** Each element name's font size in diagram units (the foreignObject's content is laid out in them). */
function nameSizes(page: Page): Promise<Record<string, number>> {
  return page.locator('svg.diagram g.node').evaluateAll((nodes) =>
    Object.fromEntries(nodes.map((node) => [node.getAttribute('data-element')!, parseFloat(getComputedStyle(node.querySelector('.name')!).fontSize)])),
  );
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  for (const [which, names, title] of [[board, COMPANIES, '3月 JCRM 勉強会'], [plenary, PLENARY_COMPANIES, '3月 オンライン交流会']] as const) {
    const event = await createEvent(facilitator, title);
    which.id = event.id;
    for (const [i, company] of names.entries()) {
      const joined = await joinAs(suite.server.origin, event.joinCode, `参加者${i + 1}`, company);
      which.cookies.push(joined.client.cookie!);
      if (which === plenary) {
        const member = await connectControlClient(suite.server.origin, joined.client.cookie!, event.id);
        for (const [j, element] of ['philosophy', 'culture', 'customers', 'products', 'data'].entries()) {
          expect((await ask(member.socket, 'score:set', { eventId: event.id, eventCompanyId: joined.eventCompanyId, element, value: (i + j) % 4 })).ok).toBe(true);
        }
        member.socket.disconnect();
      }
    }
  }
  control = await connectControlClient(suite.server.origin, facilitator.cookie, board.id);
  plenaryControl = await connectControlClient(suite.server.origin, facilitator.cookie, plenary.id);
  expect((await ask(plenaryControl.socket, 'phase:set', { eventId: plenary.id, phase: 'plenary' })).ok).toBe(true);
}, 180_000);

afterAll(() => {
  control?.socket.disconnect();
  plenaryControl?.socket.disconnect();
});

describe('layout: names that fit', { timeout: 120_000 }, () => {
  it('the plenary table: on a phone a first column a quarter of the width, three or more scores beside it; at 1280 no sideways scrolling', async () => {
    for (const locale of ['ja', 'en'] as const) {
      const page = await openPlenary(PHONE, locale);
      const wrap = page.locator('.plenary .table-wrap');
      await wrap.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/names-plenary-${locale}-390.png` });
      const first = (await page.locator('.plenary-table thead th').first().boundingBox())!;
      // Was 7rem (105 px), with 「Consideration (care)」 on one line: two English scores beside it, four Japanese.
      expect(first.width, locale).toBeLessThanOrEqual(PHONE.width / 4);
      const wrapBox = (await wrap.boundingBox())!;
      const inView = await page.locator('.plenary-table thead th[data-column]').evaluateAll(
        (ths, right) => ths.filter((th) => th.getBoundingClientRect().right <= right + 0.5).length,
        Math.min(wrapBox.x + wrapBox.width, PHONE.width),
      );
      expect(inView, locale).toBeGreaterThanOrEqual(locale === 'ja' ? 5 : 3);
      // Every company's name stays inside the column (wrapped, not cut off or spilling over).
      const spilling = await page.locator('.plenary-table tbody th.company-col').evaluateAll((ths) => ths.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent));
      expect(spilling, locale).toEqual([]);

      const desktop = await openPlenary(DESKTOP, locale);
      await desktop.locator('.plenary .table-wrap').scrollIntoViewIfNeeded();
      await desktop.screenshot({ path: `${SCREENSHOT_DIR}/names-plenary-${locale}-1280.png` });
      // English headings wrap between words (「Consideration / (care)」) rather than push two columns out of view.
      expect(await desktop.locator('.plenary .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth), locale).toBeLessThanOrEqual(0);
    }
  });

  it('every element name inside its diagram box, in Japanese and English, at 1280 and on a phone', async () => {
    for (const locale of ['ja', 'en'] as const) {
      for (const [label, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
        const page = await openBoard(viewport, locale);
        await page.locator('svg.diagram').screenshot({ path: `${SCREENSHOT_DIR}/names-diagram-${locale}-${label}.png` });
        expect(await namesNotFitting(page), `${locale} ${label}`).toEqual([]);
        const sizes = await nameSizes(page);
        const [inner, centre] = label === '390' ? [28, 32] : [19, 23];
        if (locale === 'ja') {
          // Japanese as it was: every name at full size.
          expect(sizes, label).toEqual(Object.fromEntries(Object.keys(sizes).map((id) => [id, id === 'philosophy' ? centre : inner])));
        } else {
          // Only the long English names are smaller; short ones keep the full size.
          for (const id of ['culture', 'people', 'brand', 'pr', 'data', 'customers', 'products']) expect(sizes[id], `${label} ${id}`).toBe(inner);
          expect(sizes.philosophy, label).toBeLessThanOrEqual(centre);
          // Still legible: at least 0.55 of the full size (the box is 150 units wide, 「Consideration」 13 letters).
          for (const id of ['philosophy', 'consideration', 'uniqueness']) expect(sizes[id]! / (id === 'philosophy' ? centre : inner), `${label} ${id}`).toBeGreaterThan(0.55);
        }
      }
    }
  });

  it('the facilitator’s message goes under the board’s open phone menu, whatever the menu’s id', async () => {
    const text = '休憩は15時まで。戻ったら各社の理念を共有してください';
    expect((await ask(control.socket, 'banner:send', { eventId: board.id, roomId: null, text })).ok).toBe(true);
    // At 1280 the links stand in the header's row: the message is on top, as before.
    const desktop = await openBoard(DESKTOP, 'ja', 2);
    const onDesktop = desktop.locator('p.broadcast', { hasText: text });
    await onDesktop.waitFor();
    await desktop.screenshot({ path: `${SCREENSHOT_DIR}/names-broadcast-1280.png` });
    const box = (await onDesktop.boundingBox())!;
    const center = await desktop.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('p.broadcast') !== null, [box.x + box.width / 2, box.y + box.height / 2]);
    expect(center).toBe(true);
    const page = await openBoard(PHONE, 'ja', 1);
    await page.click('[data-element=customers]');
    await page.locator('section.column').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const banner = page.locator('p.broadcast', { hasText: text });
    await banner.waitFor();
    // The board may name its menu as it likes: MeetupNotices is told the menu is open, not which
    // element it is (a rule naming #board-menu put the message over the renamed menu).
    await page.evaluate(() => {
      document.getElementById('board-menu')!.id = 'board-links';
      document.querySelector('[aria-controls=board-menu]')!.setAttribute('aria-controls', 'board-links');
    });
    await page.getByRole('button', { name: 'メニュー' }).click();
    const menu = page.locator('#board-links');
    await menu.getByRole('link').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/names-broadcast-menu-390.png` });
    const [menuBox, bannerBox] = [(await menu.boundingBox())!, (await banner.boundingBox())!];
    // The message lies under the menu (else the test shows nothing).
    expect(bannerBox.y < menuBox.y + menuBox.height && menuBox.y < bannerBox.y + bannerBox.height && bannerBox.x + bannerBox.width > menuBox.x).toBe(true);
    const covered = await menu.locator('a, button').evaluateAll((items) =>
      items
        .filter((item) => {
          const r = item.getBoundingClientRect();
          return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('#board-links') === null;
        })
        .map((item) => item.textContent),
    );
    expect(covered).toEqual([]);
    // Closed, the message is above the page's sticky parts again.
    await page.getByRole('button', { name: 'メニュー' }).click();
    await expect.poll(() => menu.isVisible()).toBe(false);
    expect(await banner.evaluate((el) => getComputedStyle(el.parentElement!).zIndex)).toBe('3');

    expect(suite.errors).toEqual([]);
  });
});
