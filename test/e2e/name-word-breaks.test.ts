// Company names wrap between words, in Chromium at 390×844 and 1280×800: 「株式会社みどり本舗」
// read 「株式会社みど/り本舗」 in the plenary's table on a phone (word-break: auto-phrase, which
// the table relied on, breaks anywhere in Debian's Chromium and does not exist in Safari or
// Firefox). The words come from Intl.Segmenter now; a name that fits its column stays on one line
// (at 1280 the board's comparison keeps 「さくらコスメ」 whole, not 「さくら/コスメ」).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
const COMPANIES = ['青空通販', 'さくらコスメ', '株式会社みどり本舗'];
let eventId = '';
const cookies: string[] = [];
const companyIds: string[] = [];
let control: ControlClient;

/** The element's text as laid out, one string per line. */
function lines(locator: Locator): Promise<string[]> {
  return locator.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    let lastTop: number | null = null;
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent!;
      for (let i = 0; i < text.length; i++) {
        const char = text[i]!;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (lastTop === null || rect.top > lastTop + 1) out.push(char);
        else out[out.length - 1] += char;
        lastTop = rect.top;
      }
    }
    return out;
  });
}

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator, '12月 オンライン交流会', 'meetup');
  eventId = event.id;
  for (const [i, company] of COMPANIES.entries()) {
    const joined = await joinAs(suite.server.origin, event.joinCode, `参加者${i + 1}`, company);
    cookies.push(joined.client.cookie!);
    companyIds.push(joined.eventCompanyId);
  }
  control = await connectControlClient(suite.server.origin, facilitator.cookie, eventId);
}, 120_000);

afterAll(() => {
  control?.socket.disconnect();
});

describe('company names wrap between words', { timeout: 120_000 }, () => {
  it('the board’s comparison: whole names at 1280, 「株式会社/みどり本舗」 at 390', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await suite.page(cookies[0]!, viewport);
      await page.goto(`${suite.server.origin}/events/${eventId}/board`);
      await page.locator('svg.diagram').waitFor();
      await page.click('[data-element=customers]');
      await page.getByRole('tab', { name: 'スコア比較' }).click();
      const heads = page.locator('th[data-company] .phrase-label');
      await expect.poll(() => heads.count()).toBe(3);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/name-word-breaks-compare-${viewport.width}.png` });
      const byName = Object.fromEntries(await Promise.all((await heads.all()).map(async (h) => [await h.textContent(), await lines(h)])));
      expect(byName['さくらコスメ'], `${viewport.width}`).toEqual(['さくらコスメ']);
      expect(byName['青空通販'], `${viewport.width}`).toEqual(['青空通販']);
      expect(byName['株式会社みどり本舗'], `${viewport.width}`).toEqual(viewport === DESKTOP ? ['株式会社みどり本舗'] : ['株式会社', 'みどり本舗']);
    }
  });

  it('the plenary’s table on a phone: 「株式会社/みどり本舗」, never 「株式会社みど/り本舗」', async () => {
    // Three elements scored (the phone table shows only scored columns): the name column is narrow.
    for (const [i, cookie] of cookies.entries()) {
      const member = await connectControlClient(suite.server.origin, cookie, eventId);
      for (const element of ['customers', 'pr', 'data'] as const) {
        expect((await ask(member.socket, 'score:set', { eventId, eventCompanyId: companyIds[i]!, element, value: 2 })).ok).toBe(true);
      }
      member.socket.disconnect();
    }
    expect((await ask(control.socket, 'phase:set', { eventId, phase: 'plenary' })).ok).toBe(true);
    const page = await suite.page(cookies[0]!, PHONE);
    await page.goto(`${suite.server.origin}/events/${eventId}/board`);
    await expect.poll(() => page.locator('.plenary-table tbody tr').count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/name-word-breaks-plenary-390.png` });
    const name = page.locator('.plenary-table tbody th.company-col .name', { hasText: '株式会社みどり本舗' });
    expect(await lines(name)).toEqual(['株式会社', 'みどり本舗']);
    expect(await lines(page.locator('.plenary-table tbody th.company-col .name', { hasText: 'さくらコスメ' }))).toEqual(['さくらコスメ']);
  });
});
