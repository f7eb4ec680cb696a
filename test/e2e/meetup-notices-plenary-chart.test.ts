// What a new user running a real meetup ran into, in Chromium at 1280×800 and 390×844:
// - sticky notices piled up over the diagram: 「…に移動しました」 goes by itself after ~10 s (and can
//   be dismissed), older messages from the facilitator take one line (「全文を表示」 opens them), and
//   neither the messages nor the notice ever cover the diagram, also scrolled down;
// - the plenary opened at the room board's old scroll position: it opens at its top; the theme's
//   element comes first across the row, and the elements without cards are named in one line;
// - the company page's score chart drew 理念 3 and 顧客 3 as one point: each element has its own bars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import type { WebsocketProvider } from 'y-websocket';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { connectProvider, whenSynced } from '../helpers/yjs-client.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { docCards, newCard } from '../../shared/protocol/doc-shapes.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let event: { id: string; joinCode: string };
let sato: Awaited<ReturnType<typeof joinAs>>;
let control: ControlClient;
const providers: WebsocketProvider[] = [];

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function createEvent(title: string, extra: Record<string, unknown> = {}) {
  const res = await facilitator.post('/api/events', { title, date: '2026-12-01', ...extra });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

async function openBoard(cookie: string, viewport = DESKTOP, beforeLoad?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await beforeLoad?.(page);
  await page.goto(`${suite.server.origin}/events/${event.id}/board`);
  await page.locator('svg.diagram, [data-plenary]').first().waitFor();
  return page;
}

async function command(name: string, payload: unknown): Promise<void> {
  expect(await ask(control.socket, name, payload), name).toMatchObject({ ok: true });
}

/** Every sticky notice (the moved notice, the facilitator's messages) against the diagram. */
async function noticesOverDiagram(page: Page): Promise<string[]> {
  const diagram = (await page.locator('.diagram-pane').boundingBox())!;
  const hits: string[] = [];
  for (const notice of await page.locator('.sticky-head .notice, p.broadcast').all()) {
    const box = await notice.boundingBox();
    if (box && overlap(box, diagram)) hits.push((await notice.textContent()) ?? '');
  }
  return hits;
}

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  event = await createEvent('6月 オンライン交流会', { theme: '顧客を知る', coveredElements: ['customers'] });
  sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
  control = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);
}, 120_000);

afterAll(() => {
  for (const provider of providers) provider.destroy();
  control?.socket.disconnect();
});

describe('notices, plenary and the company chart in a real meetup', { timeout: 120_000 }, () => {
  it('the moved notice goes by itself after ~10 s; older messages take one line; no notice covers the diagram', async () => {
    const older = '前半おつかれさまでした。休憩は15時10分までです。戻ったら各社の「顧客」のワークシートを見ながら、やっていることとまだ出来ていないことを一つずつ書き足してください。質問はヘルプからどうぞ';
    const newest = '残り5分です。スコアを入れてください';
    await command('banner:send', { eventId: event.id, roomId: null, text: older });
    await command('banner:send', { eventId: event.id, roomId: null, text: newest });
    // Playwright's clock: time runs as usual, and the test can jump it forward.
    const page = await openBoard(sato.client.cookie!, DESKTOP, (p) => p.clock.install());
    await page.click('[data-element=customers]');
    await page.locator('section.column').first().waitFor();
    const room = await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム 2' });
    expect(room.status).toBe(201);
    expect((await facilitator.patch(`/api/events/${event.id}/companies/${sato.eventCompanyId}`, { roomId: room.body.id })).status).toBe(200);
    const moved = page.locator('[data-moved-to]');
    await expect.poll(() => moved.getAttribute('data-moved-to')).toBe('ルーム 2');
    // Time stands still while the layout is checked (a loaded machine takes seconds for it).
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 200);

    // Older message: one line with 「全文を表示」; the newest in full, nothing to open.
    const olderBanner = page.locator('p.broadcast', { hasText: older.slice(0, 12) });
    const newestBanner = page.locator('p.broadcast', { hasText: newest });
    const lineHeight = await olderBanner.locator('.text').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    await expect.poll(() => olderBanner.locator('.text').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(lineHeight + 1);
    expect(await olderBanner.getByRole('button', { name: '全文を表示' }).count()).toBe(1);
    expect(await newestBanner.locator('.text').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    expect(await newestBanner.getByRole('button', { name: '全文を表示' }).count()).toBe(0);

    // Scrolled down to the worksheets, the diagram sticks below the notices, not under them.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/notices-moved-broadcasts-1280.png` });
    expect(await noticesOverDiagram(page)).toEqual([]);
    // Also with the older message opened in full.
    await olderBanner.getByRole('button', { name: '全文を表示' }).click();
    await expect.poll(() => olderBanner.locator('.text').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(lineHeight + 1);
    await expect.poll(() => noticesOverDiagram(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/notices-older-open-1280.png` });
    await olderBanner.getByRole('button', { name: '折りたたむ' }).click();

    // Still there after 9 s, gone after 10.
    await page.clock.fastForward(8_000);
    expect(await moved.count()).toBe(1);
    await page.clock.fastForward(2_500);
    await expect.poll(() => moved.count()).toBe(0);
    await page.clock.resume();
    expect(await noticesOverDiagram(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/notices-moved-gone-1280.png` });

    // Moved back: the notice comes again, and 閉じる takes it away at once.
    const firstRoom = (await facilitator.get(`/api/events/${event.id}`)).body.rooms.find((r: { name: string }) => r.name !== 'ルーム 2');
    expect((await facilitator.patch(`/api/events/${event.id}/companies/${sato.eventCompanyId}`, { roomId: firstRoom.id })).status).toBe(200);
    await expect.poll(() => moved.count()).toBe(1);
    await moved.getByRole('button', { name: '閉じる' }).click();
    await expect.poll(() => moved.count()).toBe(0);

    // On a phone: the newest in two lines at most, the older in one, and the diagram below them.
    const phone = await openBoard(sato.client.cookie!, PHONE);
    const phoneOlder = phone.locator('p.broadcast', { hasText: older.slice(0, 12) });
    await phoneOlder.waitFor();
    const phoneLine = await phoneOlder.locator('.text').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    await expect.poll(() => phoneOlder.locator('.text').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(phoneLine + 1);
    expect(await noticesOverDiagram(phone)).toEqual([]);
    const notices = (await phone.locator('.broadcasts').boundingBox())!;
    expect(notices.y + notices.height).toBeLessThanOrEqual(PHONE.height * 0.4);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/notices-broadcasts-390.png` });
    await noHorizontalScroll(phone);
    expect(suite.errors).toEqual([]);
    await page.context().close();
    await phone.context().close();
  });

  it('the plenary opens at its top; the theme’s element comes first across the row; elements without cards are one line', async () => {
    const provider = connectProvider(suite.server.wsOrigin, sheetDocName(sato.eventCompanyId), { cookie: sato.client.cookie, doc: new Y.Doc() });
    providers.push(provider);
    await whenSynced(provider);
    for (let i = 1; i <= 6; i++) docCards(provider.doc).set(`c${i}`, newCard({ element: 'customers', text: `顧客の声 ${i}：会員アンケートの自由記述を毎月読む` }));
    docCards(provider.doc).set('b1', newCard({ element: 'brand', text: 'ブランドの言葉を店頭で揃える' }));

    const page = await openBoard(sato.client.cookie!);
    await page.click('[data-element=customers]');
    await page.locator('section.column').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);

    await command('phase:set', { eventId: event.id, phase: 'plenary' });
    await page.locator('[data-plenary]').waitFor();
    await expect.poll(() => page.locator('.groups [data-card]').count()).toBe(7);
    // Two rooms: cards say their room, and the room filter is there.
    expect(await page.locator('[data-filter=room]').count()).toBe(1);
    expect(await page.locator('.groups [data-card] .room').count()).toBe(7);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const heading = (await page.locator('[data-plenary] h2').boundingBox())!;
    expect(heading.y).toBeGreaterThanOrEqual(0);
    expect(heading.y + heading.height).toBeLessThanOrEqual(DESKTOP.height);

    // The theme's element first, across the row; then the others with cards; the rest in one line.
    const groups = page.locator('.groups > .group');
    expect(await groups.evaluateAll((els) => els.map((el) => el.getAttribute('data-plenary-element')))).toEqual(['customers', 'brand']);
    expect(await groups.first().getAttribute('class')).toMatch(/\btheme\b/);
    const [theme, all] = [(await groups.first().boundingBox())!, (await page.locator('.groups').boundingBox())!];
    expect(theme.width).toBeGreaterThan(all.width - 2);
    // Its cards side by side, not one narrow, tall column.
    const cardXs = await groups.first().locator('[data-card]').evaluateAll((els) => new Set(els.map((el) => Math.round(el.getBoundingClientRect().x))).size);
    expect(cardXs).toBeGreaterThanOrEqual(3);
    const folded = page.locator('[data-empty-elements]');
    expect((await folded.getAttribute('data-empty-elements'))!.split(' ')).toEqual(['philosophy', 'culture', 'consideration', 'people', 'uniqueness', 'products', 'pr', 'data']);
    expect(await folded.textContent()).toContain('気付きのない項目: 理念、文化、思いやり、人材、独自性、商品・サービス、PR、データ');
    expect(await page.getByText('まだ気付きはありません').count()).toBe(0);
    await page.locator('.insights').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-theme-first-1280.png` });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-top-1280.png` });

    // On a phone, in English.
    const phone = await openBoard(sato.client.cookie!, PHONE);
    await phone.getByRole('button', { name: 'メニュー' }).click();
    await phone.locator('#board-menu').getByRole('button', { name: 'English' }).click();
    await expect.poll(() => phone.locator('[data-empty-elements]').textContent()).toContain('Elements with no insights: Philosophy, Culture');
    await noHorizontalScroll(phone);
    await phone.locator('.insights').evaluate((el) => el.scrollIntoView());
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/plenary-theme-first-390.png` });
    await command('phase:set', { eventId: event.id, phase: 'breakout' });
    expect(suite.errors).toEqual([]);
    await page.context().close();
    await phone.context().close();
  });

  it('the company page’s chart gives every element its own bar: 理念 3 and 顧客 3 are two', async () => {
    const scorer = await connectControlClient(suite.server.origin, sato.client.cookie, event.id);
    for (const [element, value] of Object.entries({ philosophy: 3, customers: 3, brand: 1, data: 0 })) {
      expect(await ask(scorer.socket, 'score:set', { eventId: event.id, eventCompanyId: sato.eventCompanyId, element, value })).toMatchObject({ ok: true });
    }
    scorer.socket.disconnect();
    // The company's next session (理念 3 again, 顧客 2): two bars per element, side by side.
    const next = await createEvent('7月 オンライン交流会', { date: '2026-12-15' });
    const joined = await sato.client.post('/api/join', { code: next.joinCode, displayName: '佐藤', companyName: '青空通販' });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    const nextScorer = await connectControlClient(suite.server.origin, sato.client.cookie, next.id);
    for (const [element, value] of Object.entries({ philosophy: 3, customers: 2, brand: 2 })) {
      expect(await ask(nextScorer.socket, 'score:set', { eventId: next.id, eventCompanyId: joined.body.eventCompanyId, element, value })).toMatchObject({ ok: true });
    }
    nextScorer.socket.disconnect();
    const page = await openBoard(sato.client.cookie!);
    await page.click('a.company-link');
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}\?event=[0-9a-f-]{36}$/);
    const chart = page.locator('.trend-chart[data-bars]');
    await chart.waitFor();
    type Bar = { element: string; session: string; value: number; x: number; y: number };
    const bars = JSON.parse((await chart.getAttribute('data-bars'))!) as Bar[];
    expect(bars.map((b) => [b.element, b.value])).toEqual(expect.arrayContaining([['理念', 3], ['顧客', 3], ['ブランド', 1], ['データ', 0]]));
    expect(bars.filter((b) => b.element === '理念').map((b) => [b.session, b.value])).toEqual([['6月 オンライン交流会', 3], ['7月 オンライン交流会', 3]]);
    const at = (name: string) => bars.find((b) => b.element === name)!;
    // Same score, different places: far enough apart to tell (a line chart put them on one point).
    expect(Math.hypot(at('理念').x - at('顧客').x, at('理念').y - at('顧客').y)).toBeGreaterThan(20);
    expect(new Set(bars.map((b) => `${b.x},${b.y}`)).size).toBe(bars.length);
    await page.locator('.trend-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/company-chart-bars-1280.png` });
    await page.setViewportSize(PHONE);
    await expect.poll(async () => (JSON.parse((await chart.getAttribute('data-bars'))!) as Bar[]).every((b) => b.x < PHONE.width)).toBe(true);
    const phoneBars = JSON.parse((await chart.getAttribute('data-bars'))!) as Bar[];
    const phoneAt = (name: string) => phoneBars.find((b) => b.element === name)!;
    expect(Math.abs(phoneAt('理念').y - phoneAt('顧客').y)).toBeGreaterThan(15);
    await page.locator('.trend-chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/company-chart-bars-390.png` });
    await noHorizontalScroll(page);
    expect(suite.errors).toEqual([]);
    await page.context().close();
  });
});
