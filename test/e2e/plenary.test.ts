// The plenary in real browsers: six companies in two breakout rooms post 気付き and score; the
// facilitator ends the breakout with a short countdown that every browser shows; at zero the
// server moves the event on and every browser shows the plenary: all companies' scores (sortable)
// and both rooms' cards (filterable); the facilitator spotlights a card and an element and
// everyone sees it; back to the breakout, everyone is on their room board again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import type { Page } from 'playwright-core';
import type { WebsocketProvider } from 'y-websocket';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../helpers/yjs-client.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { docCards, newCard } from '../../shared/protocol/doc-shapes.ts';
import type { ElementId } from '../../shared/jcrm/elements.ts';

const COMPANIES = [
  { person: '佐藤', company: '青空通販', element: 'customers', scores: { customers: 3, brand: 1, data: 2 } },
  { person: 'Tanaka', company: 'みどり本舗', element: 'brand', scores: { customers: 1, brand: 3, data: 2 } },
  { person: '鈴木', company: 'さくらEC', element: 'data', scores: { customers: 2, brand: 2, data: 0 } },
  { person: '高橋', company: 'ひかり化粧品株式会社', element: 'customers', scores: { customers: 0, brand: 2, data: 3 } },
  { person: '伊藤', company: 'Kaze Foods', element: 'pr', scores: { customers: 2, pr: 3 } },
  { person: '渡辺', company: '山の上ファーム', element: 'products', scores: { products: 3, data: 1 } },
] as const;

interface Person {
  person: string;
  company: string;
  element: ElementId;
  eventCompanyId: string;
  userId: string;
  cookie: string;
  roomId: string;
  cardId: string;
  text: string;
}

const suite = browserSuite();
let facilitator: ApiClient;
let eventId: string;
const people: Person[] = [];
const sockets: Socket[] = [];
const providers: WebsocketProvider[] = [];
let facPage: Page;
let facSocket: Socket;
/** Participants' pages: the first three at desktop width, the last on a phone. */
const pages: Page[] = [];

function connectSocket(cookie: string): Promise<Socket> {
  const socket = io(suite.server.origin, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie, origin: suite.server.origin } });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function ask(socket: Socket, event: string, payload: unknown): Promise<any> {
  const res = await socket.timeout(10_000).emitWithAck(event, payload);
  expect(res, event).toMatchObject({ ok: true });
  return res;
}

async function openBoard(cookie: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  await page.goto(`${suite.server.origin}/events/${eventId}/board`);
  await page.locator('svg.diagram').waitFor();
  return page;
}

/** Smooth scrolling (to a spotlight) has come to rest, so a screenshot shows the page as people see it. */
async function scrollSettled(page: Page): Promise<void> {
  let last = Number.NaN;
  await expect
    .poll(async () => {
      const y = await page.evaluate(() => scrollY);
      const still = y === last;
      last = y;
      return still;
    }, { interval: 200 })
    .toBe(true);
}

const cardTexts = (page: Page) => page.locator('.groups [data-card] .text').allTextContents();
const rowOrder = (page: Page) => page.locator('.plenary-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-company')));

beforeAll(async () => {
}, 120_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  for (const socket of sockets) socket.disconnect();
});

describe('the plenary in the browser', { timeout: 120_000 }, () => {
  it('six companies in two rooms post a card and score', async () => {
    facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '12月 オンライン交流会');
    eventId = event.id;
    const joined = [];
    for (const c of COMPANIES) joined.push({ ...c, ...(await joinAs(suite.server.origin, event.joinCode, c.person, c.company)) });
    const fac = (facSocket = await connectSocket(facilitator.cookie!));
    await ask(fac, 'event:subscribe', { eventId });
    const split = await ask(fac, 'rooms:split', { eventId, size: 3, presentOnly: false });
    expect(split.rooms).toHaveLength(2);
    const roomOf = new Map<string, string>(split.rooms.flatMap((r: { roomId: string; eventCompanyIds: string[] }) => r.eventCompanyIds.map((id) => [id, r.roomId])));

    for (const [i, c] of joined.entries()) {
      const text = `${c.company}の気付き：会員の声を商品開発に活かす ${i + 1}`;
      const provider = connectProvider(suite.server.wsOrigin, sheetDocName(c.eventCompanyId), { cookie: c.client.cookie, doc: new Y.Doc() });
      providers.push(provider);
      await whenSynced(provider);
      const cardId = `card-${i + 1}`;
      docCards(provider.doc).set(cardId, newCard({ element: c.element, text }));
      const socket = await connectSocket(c.client.cookie!);
      for (const [element, value] of Object.entries(c.scores)) await ask(socket, 'score:set', { eventId, eventCompanyId: c.eventCompanyId, element, value });
      people.push({ ...c, cookie: c.client.cookie!, roomId: roomOf.get(c.eventCompanyId)!, cardId, text });
    }
    // The server has recorded every card's author (shown in the plenary).
    await eventually(async () => expect((await ask(fac, 'cards:get', { eventId })).cards).toHaveLength(COMPANIES.length));
    expect(new Set(people.map((p) => p.roomId)).size).toBe(2);
  });

  it('the facilitator ends the breakout with a countdown every browser shows, then everyone is in the plenary', async () => {
    facPage = await openBoard(facilitator.cookie!, DESKTOP);
    for (const [i, p] of people.slice(0, 4).entries()) pages.push(await openBoard(p.cookie, i === 3 ? PHONE : DESKTOP));

    const consolePage = await suite.page(facilitator.cookie!, DESKTOP);
    await consolePage.goto(`${suite.server.origin}/events/${eventId}/console`);
    await consolePage.locator('.clock-wrap .phase-controls').waitFor();

    // Done marks on a board count the viewer's room (its participants present), not the event.
    await ask(facSocket, 'clock:next', { eventId });
    const doneCount = (page: Page) => page.locator('.meetup-bar .done-count').textContent();
    const open = people.slice(0, pages.length);
    const hereRoom = people[0]!.roomId;
    const present = (roomId: string) => open.filter((p) => p.roomId === roomId).length;
    const other = open.findIndex((p) => p.roomId !== hereRoom);
    await ask(sockets[1]!, 'step:done', { eventId, done: true }); // people[0]'s socket
    await expect.poll(() => doneCount(pages[0]!)).toBe(`完了 1/${present(hereRoom)}人`);
    await expect.poll(() => doneCount(pages[other]!)).toBe(`完了 0/${present(open[other]!.roomId)}人`);

    // The UI offers 30/60/120 s; the test adds the 5 s the server accepts, to keep it short.
    const seconds = facPage.locator('[data-closing-seconds]');
    await seconds.evaluate((select: HTMLSelectElement) => select.add(new Option('5秒', '5')));
    await seconds.selectOption('5');
    await facPage.click('[data-phase-action=closing]');

    const all = [facPage, ...pages];
    await Promise.all([...all, consolePage].map((page) => expect.poll(() => page.locator('.closing-banner').textContent(), { timeout: 5000 }).toMatch(/全体共有まであと 0:0[1-5]/)));
    await pages[0]!.screenshot({ path: `${SCREENSHOT_DIR}/plenary-countdown-1280.png` });
    await consolePage.screenshot({ path: `${SCREENSHOT_DIR}/console-countdown-1280.png` });
    await pages[3]!.screenshot({ path: `${SCREENSHOT_DIR}/plenary-countdown-390.png` });

    // No one clicks anything: the server moves the event on at zero.
    await Promise.all(all.map((page) => page.locator('[data-plenary]').waitFor({ timeout: 10_000 })));
    for (const page of all) {
      expect(await page.locator('.closing-banner').count()).toBe(0);
      expect(await page.locator('svg.diagram').count()).toBe(0);
    }
    // The console says the plenary is running (only its buttons changed before).
    await expect.poll(() => consolePage.locator('[data-phase-now=plenary]').textContent()).toBe('全体共有中');
    expect(await consolePage.locator('.closing-banner').count()).toBe(0);
    await consolePage.close();
  });

  it('shows every company’s scores, sortable, with strongest and weakest, and both rooms’ cards', async () => {
    for (const page of [facPage, ...pages]) {
      await expect.poll(() => page.locator('.plenary-table tbody tr').count()).toBe(COMPANIES.length);
      await expect.poll(async () => (await cardTexts(page)).sort()).toEqual(people.map((p) => p.text).sort());
    }
    const page = pages[0]!;
    // 鈴木's company: customers 2, brand 2, data 0 → data is its weakest, customers and brand strongest.
    const suzuki = page.locator(`.plenary-table tr[data-company="${people[2]!.eventCompanyId}"]`);
    expect((await suzuki.locator('td[data-element=customers]').textContent())!.trim()).toBe('2▲');
    expect((await suzuki.locator('td[data-element=data]').textContent())!.trim()).toBe('0▼');
    expect((await suzuki.locator('td[data-column=total]').textContent())!.replace(/\s/g, '')).toBe('4/30');
    // Authors, companies and rooms on the cards.
    const first = page.locator(`.groups [data-card="${people[0]!.cardId}"]`);
    expect(await first.locator('.author').textContent()).toBe(people[0]!.person);
    expect(await first.locator('.company').textContent()).toBe(people[0]!.company);
    expect(await first.locator('.room').textContent()).toMatch(/ルーム/);

    // Sort by 顧客 (high to low, unscored last), then flip.
    await page.click('.plenary-table th[data-column=customers] button');
    const byCustomers = (dir: 1 | -1) =>
      [...people]
        .map((p, i) => ({ id: p.eventCompanyId, v: (COMPANIES[i]!.scores as Record<string, number>).customers ?? null, i }))
        .sort((a, b) => (a.v === null || b.v === null ? (a.v === b.v ? 0 : a.v === null ? 1 : -1) : dir * (b.v - a.v)))
        .map((r) => r.id);
    await expect.poll(() => rowOrder(page)).toEqual(byCustomers(1));
    expect(await page.locator('.plenary-table th[data-column=customers]').getAttribute('aria-sort')).toBe('descending');
    await page.click('.plenary-table th[data-column=customers] button');
    await expect.poll(() => rowOrder(page)).toEqual(byCustomers(-1));
  });

  it('filters the cards by room and by company', async () => {
    const page = pages[1]!;
    const room = people[0]!.roomId;
    await page.selectOption('[data-filter=room]', room);
    await expect.poll(async () => (await cardTexts(page)).sort()).toEqual(people.filter((p) => p.roomId === room).map((p) => p.text).sort());
    await page.selectOption('[data-filter=company]', people[0]!.eventCompanyId);
    await expect.poll(() => cardTexts(page)).toEqual([people[0]!.text]);
    await page.selectOption('[data-filter=room]', { index: 0 });
    await page.selectOption('[data-filter=company]', { index: 0 });
    await expect.poll(async () => (await cardTexts(page)).length).toBe(people.length);
  });

  it('共感 in the plenary reaches everyone', async () => {
    const card = `.groups [data-card="${people[4]!.cardId}"]`;
    await pages[0]!.click(`${card} button.react`);
    for (const page of [facPage, ...pages]) await expect.poll(() => page.locator(`${card} .react-count`).textContent()).toBe('1');
  });

  it('keeps screenshots of the plenary at desktop and phone width that fit without sideways scrolling', async () => {
    for (const [page, label] of [[pages[0]!, '1280'], [pages[3]!, '390']] as const) {
      await page.evaluate(() => scrollTo(0, 0));
      await expect.poll(() => page.locator('.bars canvas').evaluate((c: HTMLCanvasElement) => c.width > 0)).toBe(true);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-${label}.png` });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-${label}-full.png`, fullPage: true });
    }
    await facPage.screenshot({ path: `${SCREENSHOT_DIR}/plenary-facilitator-1280.png`, fullPage: true });
  });

  it('the facilitator spotlights a card: everyone sees it enlarged and highlighted; then an element; then clears it', async () => {
    const target = people[3]!; // room of the phone participant or not: every browser shows it
    await facPage.click(`.groups [data-card="${target.cardId}"] button.spot`);
    for (const page of pages) {
      await page.locator(`.spotlight[data-spotlight-card="${target.cardId}"]`).waitFor({ timeout: 5000 });
      expect(await page.locator('.spotlight .text').textContent()).toBe(target.text);
      expect(await page.locator(`.groups [data-card="${target.cardId}"]`).getAttribute('class')).toMatch(/spotlit/);
    }
    for (const page of [pages[0]!, pages[3]!]) await scrollSettled(page);
    await pages[0]!.screenshot({ path: `${SCREENSHOT_DIR}/plenary-spotlight-1280.png` });
    await pages[3]!.screenshot({ path: `${SCREENSHOT_DIR}/plenary-spotlight-390.png` });
    // A participant may close the enlarged card for themselves; it stays highlighted in the list.
    await pages[0]!.click('[data-spotlight-close]');
    expect(await pages[0]!.locator('.spotlight').count()).toBe(0);
    expect(await pages[0]!.locator(`.groups [data-card="${target.cardId}"].spotlit`).count()).toBe(1);

    // An element: its group is highlighted and scrolled into view.
    await facPage.click('[data-spotlight-close]');
    await facPage.click('[data-plenary-element=brand] button.spot');
    for (const page of pages) {
      await expect.poll(() => page.locator('[data-plenary-element=brand]').getAttribute('class')).toMatch(/spotlit/);
      expect(await page.locator('.spotlight').count()).toBe(0);
    }
    await expect.poll(() => pages[3]!.locator('[data-plenary-element=brand]').evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top < innerHeight && box.bottom > 0;
    })).toBe(true);
    await scrollSettled(pages[3]!);
    await pages[3]!.screenshot({ path: `${SCREENSHOT_DIR}/plenary-spotlight-element-390.png` });

    await facPage.click('.plenary-head [data-spotlight-clear]');
    for (const page of pages) await expect.poll(() => page.locator('.spotlit').count()).toBe(0);
  });

  it('with hidden scores, a participant sees values only where revealed, ✓ for the rest', async () => {
    await ask(facSocket, 'meetup:settings', { eventId, scoresHidden: true });
    const viewer = people[1]!;
    const page = pages[1]!;
    await page.reload();
    await page.locator('[data-plenary]').waitFor();
    const cell = (p: Person) => {
      const element = Object.keys(COMPANIES[people.indexOf(p)]!.scores)[0]!;
      return page.locator(`.plenary-table tr[data-company="${p.eventCompanyId}"] td[data-element=${element}]`);
    };
    const sameRoom = people.find((p) => p !== viewer && p.roomId === viewer.roomId)!;
    const otherRoom = people.find((p) => p.roomId !== viewer.roomId)!;
    await expect.poll(() => cell(viewer).textContent()).toMatch(/^\s*\d/);
    await expect.poll(() => cell(sameRoom).textContent()).toContain('✓');
    expect(await cell(otherRoom).textContent()).toContain('✓');
    expect(await page.locator(`.plenary-table tr[data-company="${otherRoom.eventCompanyId}"] td[data-column=total]`).textContent()).toContain('✓');

    // Revealed in the viewer's room: its values arrive; other rooms' stay withheld.
    await ask(facSocket, 'scores:reveal', { eventId, roomId: viewer.roomId });
    await expect.poll(() => cell(sameRoom).textContent()).toMatch(/^\s*\d/);
    expect(await cell(otherRoom).textContent()).toContain('✓');
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-hidden-scores-1280.png` });
    // Revealed to all: every company's values, for the plenary's comparison.
    await ask(facSocket, 'scores:reveal', { eventId, roomId: null });
    await expect.poll(() => cell(otherRoom).textContent()).toMatch(/^\s*\d/);
    await ask(facSocket, 'meetup:settings', { eventId, scoresHidden: false });
  });

  it('持ち帰り after 全体共有: boards open on their own, each person can switch back and forth', async () => {
    const page = pages[0]!;
    const state = (await ask(facSocket, 'meetup:get', { eventId })).state as { clock: { stepIndex: number } };
    // The facilitator moves the agenda past 全体共有 (to 持ち帰り): the boards come back, the plenary goes on.
    await ask(facSocket, 'clock:start', { eventId, stepIndex: state.clock.stepIndex + 1 });
    for (const p of pages) {
      await p.locator('[data-plenary-return]').waitFor({ timeout: 5000 });
      expect(await p.locator('[data-plenary]').count()).toBe(0);
    }
    await page.click('[data-element=customers]');
    await page.locator('[data-actions=customers] input').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/plenary-take-home-board-1280.png` });
    await page.click('[data-plenary-return] button');
    await page.locator('[data-plenary]').waitFor();
    expect(await page.locator('[data-open-board]').textContent()).toContain('自社のボードを開く'); // a facilitator reads ルームのボードを開く
    await page.click('[data-open-board]');
    await page.locator('[data-plenary-return]').waitFor();
    // Back to the 全体共有 step: the plenary view again for everyone who did not pick otherwise.
    await ask(facSocket, 'clock:start', { eventId, stepIndex: state.clock.stepIndex });
    await pages[1]!.locator('[data-plenary]').waitFor({ timeout: 5000 });
    await page.locator('[data-plenary]').waitFor({ timeout: 5000 });
  });

  it('back to the breakout: everyone is on their room board again', async () => {
    await facPage.click('[data-phase-action=breakout]');
    for (const page of [facPage, ...pages]) {
      await page.locator('svg.diagram').waitFor({ timeout: 5000 });
      expect(await page.locator('[data-plenary]').count()).toBe(0);
    }
    expect(suite.errors).toEqual([]);
  });

  it('once the session is closed in the plenary, the board says it ended there and asks for no 持ち帰り', async () => {
    await ask(facSocket, 'phase:set', { eventId, phase: 'plenary' });
    const page = pages[0]!;
    await page.locator('[data-plenary]').waitFor({ timeout: 5000 });
    expect((await facilitator.post(`/api/events/${eventId}/close`)).status).toBe(200);
    await page.reload();
    await page.locator('[data-open-board]').click();
    const notice = page.locator('[data-plenary-return]');
    await notice.waitFor({ timeout: 5000 });
    expect(await notice.textContent()).toContain('この会は全体共有で終わりました');
    expect(await notice.textContent()).not.toContain('最中');
    await page.click('[data-element=philosophy]');
    const actions = page.locator('[data-actions=philosophy]');
    await actions.waitFor();
    expect(await actions.textContent()).toContain('持ち帰りはありません');
    expect(await actions.textContent()).not.toContain('書きましょう');
    expect(suite.errors).toEqual([]);
  });
});
