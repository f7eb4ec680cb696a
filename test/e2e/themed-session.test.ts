// A themed オンライン交流会 (covers only 顧客 and データ) on a phone: the スコア比較 table lists the
// covered elements first with a 「テーマ項目 4/6」 subtotal and fits 390 px without sideways scroll
// (three companies, the gap column), the radar chart is readable (full width, not ~60 px), the
// plenary's score table starts with the covered elements and their subtotal, and 自社のページ links
// back to the board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ask, connectControlClient } from '../helpers/control-client.ts';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
const sockets: Socket[] = [];
let eventId = '';
const people: Array<{ cookie: string; eventCompanyId: string }> = [];
let facCookie = '';

async function connectSocket(cookie: string): Promise<Socket> {
  const client = await connectControlClient(suite.server.origin, cookie);
  sockets.push(client.socket);
  return client.socket;
}

async function askOk(socket: Socket, event: string, payload: unknown): Promise<any> {
  const res = await ask(socket, event, payload);
  expect(res, event).toMatchObject({ ok: true });
  return res;
}

async function openBoard(cookie: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await page.goto(`${suite.server.origin}/events/${eventId}/board`);
  await page.locator('svg.diagram').waitFor();
  return page;
}

const COMPANIES = [
  { person: '佐藤', company: '青空通販', scores: { customers: 1, data: 3 } },
  { person: '鈴木', company: 'みどり本舗', scores: { customers: 2, data: 2 } },
  { person: '高橋', company: '株式会社かがやきライフスタイル', scores: { customers: 3, data: 0 } },
];

beforeAll(async () => {
  const facilitator = await setupFacilitator(suite.server.origin);
  facCookie = facilitator.cookie!;
  const res = await facilitator.post('/api/events', { title: '12月 オンライン交流会', date: '2026-12-04', kind: 'meetup', theme: '顧客との関係づくり', coveredElements: ['customers', 'data'] });
  expect(res.status).toBe(201);
  eventId = res.body.id;
  const detail = (await facilitator.get(`/api/events/${eventId}`)).body as { joinCode: string };
  const fac = await connectSocket(facCookie);
  await askOk(fac, 'event:subscribe', { eventId });
  // Everyone sees everyone's scores (a meetup hides them by default).
  await askOk(fac, 'meetup:settings', { eventId, scoresHidden: false });
  for (const c of COMPANIES) {
    const joined = await joinAs(suite.server.origin, detail.joinCode, c.person, c.company);
    const socket = await connectSocket(joined.client.cookie!);
    for (const [element, value] of Object.entries(c.scores)) await askOk(socket, 'score:set', { eventId, eventCompanyId: joined.eventCompanyId, element, value });
    people.push({ cookie: joined.client.cookie!, eventCompanyId: joined.eventCompanyId });
  }
}, 120_000);

afterAll(() => {
  for (const socket of sockets) socket.disconnect();
});

describe('a themed session on a phone', { timeout: 120_000 }, () => {
  it('スコア比較: the covered elements first, a theme subtotal, three companies within 390 px', async () => {
    const page = await openBoard(people[0]!.cookie, PHONE);
    await page.click('text=スコア比較');
    const table = page.locator('.comparison table');
    await table.waitFor();
    const rows = await table.locator('tbody tr[data-element]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-element')));
    expect(rows.slice(0, 3)).toEqual(['customers', 'data', 'philosophy']);
    expect(await table.locator('tr[data-element=philosophy]').getAttribute('data-in-theme')).toBe('false');
    const ecid = people[0]!.eventCompanyId;
    await expect.poll(() => table.locator(`tr[data-subtotal=theme] td[data-company="${ecid}"]`).textContent()).toBe('4/6');
    expect(await table.locator(`tr[data-subtotal=outer] td[data-company="${ecid}"]`).textContent()).toBe('4/15');
    // The theme row comes before 内枠/外枠/合計.
    expect(await table.locator('tfoot tr').first().getAttribute('data-subtotal')).toBe('theme');

    // Fits: no sideways scroll of the page nor of the table, the third company and the gap column in view.
    await noHorizontalScroll(page);
    const wrap = await page.locator('.comparison .table-wrap').evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    expect(wrap.scroll).toBeLessThanOrEqual(wrap.client);
    const third = await table.locator(`thead th[data-company="${people[2]!.eventCompanyId}"]`).boundingBox();
    const gap = await table.locator('thead th').last().boundingBox();
    expect(third!.x + third!.width).toBeLessThanOrEqual(PHONE.width);
    expect(gap!.x + gap!.width).toBeLessThanOrEqual(PHONE.width);

    // The radar chart is drawn across the panel (it came out about 60 px wide before).
    const radar = page.locator('.radar canvas');
    await radar.scrollIntoViewIfNeeded();
    const box = await radar.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(250);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/themed-compare-radar-390.png` });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/themed-compare-390-full.png`, fullPage: true });
  });

  it('自社のページ links back to the board', async () => {
    const page = await openBoard(people[0]!.cookie, PHONE);
    const href = await page.locator('a[href^="/companies/"]').first().getAttribute('href');
    await page.goto(suite.server.origin + href!);
    const back = page.locator('[data-back-to-board]');
    expect(await back.getAttribute('href')).toBe(`/events/${eventId}/board`);
    expect(await back.textContent()).toContain('12月 オンライン交流会');
    await back.click();
    await page.locator('svg.diagram').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/events/${eventId}/board`);
  });

  it('the report page says the theme, puts its elements first and folds the untouched others, as the Markdown does', async () => {
    const page = await suite.page(people[0]!.cookie, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${eventId}/companies/${people[0]!.eventCompanyId}/report`);
    await page.locator('[data-report-theme]').waitFor();
    expect(await page.locator('[data-report-theme-title]').textContent()).toBe('テーマ: 顧客との関係づくり');
    expect(await page.locator('[data-report-theme]').textContent()).toBe('扱う項目: 顧客、データ（先に載せています）');
    expect(await page.locator('section.element').evaluateAll((els) => els.map((e) => e.getAttribute('data-element')))).toEqual(['customers', 'data']);
    expect(await page.locator('[data-report-folded]').textContent()).toBe('扱わなかった項目（記入なし）: 理念、文化、思いやり、人材、独自性、ブランド、商品・サービス、PR');
    // 顧客 1 + データ 3 of 6.
    expect(await page.locator('tr[data-theme-subtotal] td').first().textContent()).toBe('4/6');
    expect(await page.locator('.report h2').first().textContent()).toBe('自社の理念');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/themed-report-1280.png`, fullPage: true });
  });

  it('the plenary: the covered elements and their subtotal first, no sideways page scroll', async () => {
    const fac = await connectSocket(facCookie);
    await askOk(fac, 'event:subscribe', { eventId });
    await askOk(fac, 'phase:set', { eventId, phase: 'plenary' });
    for (const viewport of [PHONE, DESKTOP]) {
      // The plenary replaces the diagram: wait for its table, not for the board's svg.
      const page = await suite.page(people[1]!.cookie, viewport);
      await page.goto(`${suite.server.origin}/events/${eventId}/board`);
      await page.locator('[data-plenary] .plenary-table').waitFor();
      const columns = await page.locator('.plenary-table thead th[data-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
      expect(columns.slice(0, 4)).toEqual(['customers', 'data', 'theme', 'philosophy']);
      expect(columns.slice(-3)).toEqual(['inner', 'outer', 'total']);
      const row = page.locator(`.plenary-table tr[data-company="${people[1]!.eventCompanyId}"]`);
      await expect.poll(() => row.locator('td[data-column=theme]').textContent()).toBe('4/6');
      // The covered elements' cells are in view on a phone without scrolling the table.
      const data = await row.locator('td[data-element=data]').boundingBox();
      expect(data!.x + data!.width).toBeLessThanOrEqual(viewport.width);
      await noHorizontalScroll(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/themed-plenary-${viewport.width}.png` });
    }
  });
});
