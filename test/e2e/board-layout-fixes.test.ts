// Three layout fixes, in Chromium at 1280×800 and 390×844: with eight companies in one room (a
// meetup before its split, a large 勉強会) every company's score mark stays inside its diagram box
// (they were cut off on a second row), while four companies keep full-size marks at 1280; on a phone
// the comparison's first column wraps its long 内枠/外枠 labels, so company columns fit beside it,
// and at 1280 four companies fit without horizontal scrolling; the facilitator's message stays in
// view for a participant scrolled to the bottom of the page, until dismissed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
const EIGHT = ['青空通販', 'みどり本舗', 'さくらEC', '山田商店', '海の幸ネット', '北国ファーム', 'ひかり酒造株式会社 通販事業部', 'Blue Sky Foods'];
/** Other companies (a company name is the same company in every event). */
const FOUR = ['東京商事', '大阪物産', '名古屋フーズ', '福岡ストア'];
/** Per event: its id and one session cookie per company. */
const events: Record<'eight' | 'four', { id: string; cookies: string[] }> = { eight: { id: '', cookies: [] }, four: { id: '', cookies: [] } };
let control: ControlClient;

async function openBoard(which: keyof typeof events, viewport: { width: number; height: number }, i = 0): Promise<Page> {
  const page = await suite.page(events[which].cookies[i], viewport);
  await page.goto(`${suite.server.origin}/events/${events[which].id}/board`);
  await page.locator('svg.diagram').waitFor();
  return page;
}

/** Score marks whose box is not wholly inside their node's box (cut off by it), as "element company". */
function marksOutside(page: Page): Promise<string[]> {
  return page.locator('svg.diagram g.node').evaluateAll((nodes) =>
    nodes.flatMap((node) => {
      const box = node.querySelector('rect')!.getBoundingClientRect();
      return [...node.querySelectorAll('.score')]
        .map((mark) => ({ mark, r: mark.getBoundingClientRect() }))
        .filter(({ r }) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        .map(({ mark }) => `${node.getAttribute('data-element')} ${mark.getAttribute('title')}`);
    }),
  );
}

/** The narrowest share of a mark left uncovered by the next one (1 = none overlaps), over all nodes. */
function leastVisibleShare(page: Page): Promise<number> {
  return page.locator('svg.diagram g.node').evaluateAll((nodes) =>
    Math.min(
      ...nodes.flatMap((node) => {
        const marks = [...node.querySelectorAll('.score')].map((m) => m.getBoundingClientRect());
        return marks.slice(0, -1).map((r, i) => {
          const next = marks[i + 1]!;
          // The next mark on another row does not cover this one.
          if (next.top >= r.bottom - 0.5 || next.left <= r.left) return 1;
          return Math.min(1, (next.left - r.left) / r.width);
        });
      }),
    ),
  );
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  for (const [which, names] of [['eight', EIGHT], ['four', FOUR]] as const) {
    const event = await createEvent(facilitator, which === 'eight' ? '2月 JCRM 勉強会（8社）' : '2月 JCRM 勉強会（4社）');
    events[which].id = event.id;
    for (const [i, company] of names.entries()) {
      const joined = await joinAs(suite.server.origin, event.joinCode, `参加者${i + 1}`, company);
      events[which].cookies.push(joined.client.cookie!);
    }
  }
  // Half the eight score 文化 and 理念 (digits beside the unscored "–" marks); the four score 文化.
  for (const [which, n] of [['eight', 4], ['four', 4]] as const) {
    for (let i = 0; i < n; i++) {
      const page = await openBoard(which, DESKTOP, i);
      for (const element of which === 'eight' ? ['culture', 'philosophy'] : ['culture']) {
        await page.click(`[data-element=${element}]`);
        await page.locator('fieldset.score-picker').first().locator('label.option', { hasText: String((i % 3) + 1) }).first().click();
        // This company's mark shows its score (synced) before the page closes.
        await page.waitForFunction(([el, n]) => document.querySelectorAll(`[data-element=${el}] .score:not(.unscored)`).length >= n, [element, i + 1] as const);
      }
      await page.context().close();
    }
  }
  control = await connectControlClient(suite.server.origin, facilitator.cookie, events.eight.id);
}, 180_000);

afterAll(() => {
  control?.socket.disconnect();
});

describe('board layout fixes', { timeout: 120_000 }, () => {
  it('eight companies in one room: every score mark is inside its diagram box, at 1280 and on a phone', async () => {
    for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]] as const) {
      const page = await openBoard('eight', viewport);
      await expect.poll(() => page.locator('[data-element=culture] .score:not(.unscored)').count()).toBe(4);
      expect(await page.locator('svg.diagram .score').count()).toBe(10 * 8);
      await page.locator('svg.diagram').screenshot({ path: `${SCREENSHOT_DIR}/fixes-diagram-8-${label}.png` });
      expect(await marksOutside(page), label).toEqual([]);
      // Marks may overlap, but each keeps most of itself (its digit) in view.
      expect(await leastVisibleShare(page), label).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('four companies at 1280: full-size marks side by side; on a phone all inside their boxes', async () => {
    const desktop = await openBoard('four', DESKTOP);
    await expect.poll(() => desktop.locator('[data-element=culture] .score:not(.unscored)').count()).toBe(4);
    expect(await marksOutside(desktop)).toEqual([]);
    expect(await leastVisibleShare(desktop)).toBe(1);
    // 21 diagram units, as drawn before there were more companies than fit.
    const size = await desktop.locator('svg.diagram').evaluate((svg) => {
      const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
      return Math.min(...[...svg.querySelectorAll('.score')].map((m) => m.getBoundingClientRect().width / scale));
    });
    expect(size).toBeCloseTo(21, 0);
    await desktop.locator('svg.diagram').screenshot({ path: `${SCREENSHOT_DIR}/fixes-diagram-4-1280.png` });
    const phone = await openBoard('four', PHONE);
    expect(await marksOutside(phone)).toEqual([]);
    await phone.locator('svg.diagram').screenshot({ path: `${SCREENSHOT_DIR}/fixes-diagram-4-390.png` });
  });

  it('the comparison: at 390 the first column wraps and two company columns fit beside it; at 1280 four companies need no scrolling', async () => {
    for (const which of ['eight', 'four'] as const) {
      const page = await openBoard(which, PHONE);
      await page.click('button[role=tab]:nth-child(2)');
      const wrap = page.locator('.comparison .table-wrap');
      await wrap.waitFor();
      await wrap.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/fixes-comparison-${which}-390.png` });
      const first = (await page.locator('.comparison thead th').first().boundingBox())!;
      expect(first.width).toBeLessThan(130);
      const wrapBox = (await wrap.boundingBox())!;
      const inView = await page.locator('.comparison thead th[data-company]').evaluateAll(
        (ths, right) => ths.filter((th) => th.getBoundingClientRect().right <= right + 0.5).length,
        Math.min(wrapBox.x + wrapBox.width, PHONE.width),
      );
      expect(inView, which).toBeGreaterThanOrEqual(2);
      // The element names themselves still keep to one line.
      const twoLines = await page.locator('.comparison tbody th[scope=row]').evaluateAll((ths) =>
        ths.filter((th) => th.getBoundingClientRect().height > parseFloat(getComputedStyle(th).lineHeight || '20') * 1.5 + 12).map((th) => th.textContent),
      );
      expect(twoLines).toEqual([]);
    }
    const page = await openBoard('four', DESKTOP);
    await page.click('button[role=tab]:nth-child(2)');
    const wrap = page.locator('.comparison .table-wrap');
    await wrap.waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/fixes-comparison-four-1280.png` });
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  });

  it('a message from the facilitator is in view for a participant scrolled to the bottom, until dismissed', async () => {
    const page = await openBoard('eight', PHONE, 1);
    await page.click('[data-element=customers]');
    await page.locator('section.column').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    const text = '残り5分です。各社のスコアを入れてください';
    expect((await ask(control.socket, 'banner:send', { eventId: events.eight.id, roomId: null, text })).ok).toBe(true);
    const banner = page.locator('p.broadcast', { hasText: text });
    await banner.waitFor();
    // Announced to screen readers (a live region around it), and in the viewport below the header.
    expect(await banner.evaluate((el) => el.closest('[aria-live], [role=status]') !== null)).toBe(true);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/fixes-broadcast-390.png` });
    const box = (await banner.boundingBox())!;
    const head = (await page.locator('header.topbar').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(head.y + head.height - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    // The header's menu opens over the message, not under it.
    await page.getByRole('button', { name: 'メニュー' }).click();
    const link = page.locator('#board-menu').getByRole('link', { name: '自社のページ' });
    await link.waitFor();
    const linkBox = (await link.boundingBox())!;
    const topmost = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('#board-menu') !== null, [linkBox.x + linkBox.width / 2, linkBox.y + linkBox.height / 2]);
    expect(topmost).toBe(true);
    await page.getByRole('button', { name: 'メニュー' }).click();
    // Dismissed, it is gone (and covers nothing).
    await banner.getByRole('button', { name: '閉じる' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(await page.locator('.broadcasts').evaluate((el) => el.getBoundingClientRect().height)).toBe(0);

    // At 1280 too, scrolled down to the worksheets.
    const desktop = await openBoard('eight', DESKTOP, 2);
    await desktop.click('[data-element=customers]');
    await desktop.locator('section.column').first().waitFor();
    const onDesktop = desktop.locator('p.broadcast', { hasText: text });
    await onDesktop.waitFor();
    await desktop.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => desktop.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await desktop.screenshot({ path: `${SCREENSHOT_DIR}/fixes-broadcast-1280.png` });
    const deskBox = (await onDesktop.boundingBox())!;
    expect(deskBox.y).toBeGreaterThanOrEqual(0);
    expect(deskBox.y + deskBox.height).toBeLessThanOrEqual(DESKTOP.height);
    expect(suite.errors).toEqual([]);
  });
});
