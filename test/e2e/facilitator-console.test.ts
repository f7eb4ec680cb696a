// The facilitator console in Chromium: a facilitator runs the breakout for six companies (auto
// split, a move by keyboard and one by drag and drop, a rename), sees who is in each room, a help
// request arrive and handles it, and sees worksheet progress, 気付き cards, scores and done marks
// change live as participants work. Then the console with 14 rooms and 42 participants, at laptop
// and phone width (screenshots in test-output/screenshots/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import type { WebsocketProvider } from 'y-websocket';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { connectProvider, whenSynced } from '../helpers/yjs-client.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { roomDocName, sheetDocName } from '../../shared/protocol/doc-names.ts';
import { docCards, newCard, newListItem, sheetDoing, sheetNotYet } from '../../shared/protocol/doc-shapes.ts';
import { ELEMENT_IDS } from '../../shared/jcrm/elements.ts';

const suite = browserSuite();
let facilitator: ApiClient;
const sockets: ControlClient[] = [];
const providers: WebsocketProvider[] = [];

interface Person {
  name: string;
  company: string;
  eventCompanyId: string;
  userId: string;
  cookie: string;
  control: ControlClient;
}

interface Detail {
  rooms: Array<{ id: string; name: string }>;
  companies: Array<{ id: string; name: string; roomId: string | null }>;
}

async function pageFor(cookie: string, viewport = DESKTOP): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** Joins participants over HTTP, each online with a control socket (so the split counts them). */
async function joinOnline(eventId: string, joinCode: string, companies: string[]): Promise<Person[]> {
  const people: Person[] = [];
  for (const [i, company] of companies.entries()) {
    const name = `参加者${i + 1}`;
    const joined = await joinAs(suite.server.origin, joinCode, name, company);
    const control = await connectControlClient(suite.server.origin, joined.client.cookie, eventId);
    sockets.push(control);
    people.push({ name, company, eventCompanyId: joined.eventCompanyId, userId: joined.userId, cookie: joined.client.cookie!, control });
  }
  return people;
}

async function detailOf(eventId: string): Promise<Detail> {
  return (await facilitator.get(`/api/events/${eventId}`)).body as Detail;
}

/** Someone at a room's board, as the board announces it on the room document's awareness. */
async function presentIn(roomId: string, person: Person, color = '#1f6fb2'): Promise<WebsocketProvider> {
  const provider = connectProvider(suite.server.wsOrigin, roomDocName(roomId), { cookie: person.cookie, doc: new Y.Doc() });
  providers.push(provider);
  await whenSynced(provider);
  provider.awareness.setLocalStateField('user', { id: person.userId, name: person.name, eventCompanyId: person.eventCompanyId, color, element: null });
  return provider;
}

/** A company writes into its worksheet (`elements` get one entry each) and posts `cards` cards. */
async function writeSheet(person: Person, elements: readonly string[], cards: number): Promise<void> {
  const provider = connectProvider(suite.server.wsOrigin, sheetDocName(person.eventCompanyId), { cookie: person.cookie, doc: new Y.Doc() });
  providers.push(provider);
  await whenSynced(provider);
  for (const [i, element] of elements.entries()) {
    const list = i % 2 === 0 ? sheetDoing(provider.doc, element as never) : sheetNotYet(provider.doc, element as never);
    list.push([newListItem(randomUUID(), `${person.company} の取り組み ${i + 1}`, i % 2 === 0 ? '毎月' : undefined)]);
  }
  for (let i = 0; i < cards; i++) docCards(provider.doc).set(randomUUID(), newCard({ element: 'customers', text: `${person.name} の気付き ${i + 1}` }));
}

const tile = (page: Page, roomId: string) => page.locator(`article.tile[data-room="${roomId}"]`);
const chip = (page: Page, eventCompanyId: string) => page.locator(`[data-company-chip="${eventCompanyId}"]`);

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  for (const client of sockets) client.socket.disconnect();
});

describe('the facilitator console', { timeout: 180_000 }, () => {
  it('runs the breakout for six companies and follows every room live', async () => {
    const event = await createEvent(facilitator, '1月 JCRM 交流会', 'meetup');
    const people = await joinOnline(event.id, event.joinCode, ['青空通販', 'みどり本舗', 'さくらEC', '山田商店', '海の幸ネット', '北国ファーム']);

    // The event page and the console link to each other.
    const page = await pageFor(facilitator.cookie!);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${suite.server.origin}/events/${event.id}`);
    await page.locator(`a[href="/events/${event.id}/console"]`).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-console-link-1280.png` });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/admin-console-link-390.png` });
    await page.setViewportSize(DESKTOP);
    await page.click(`a[href="/events/${event.id}/console"]`);
    await page.waitForURL(/\/console$/);

    // All six companies start in the event's first room.
    await expect.poll(() => page.locator('article.tile').count()).toBe(1);
    await expect.poll(() => page.locator('article.tile [data-company-chip]').count()).toBe(6);
    expect(await page.inputValue('#split-size')).toBe('3');
    expect(await page.isChecked('label.check:has-text("オンラインの会社だけ") input')).toBe(true);
    expect(await page.isChecked('label.check:has-text("前回一緒だった会社を離す") input')).toBe(false);

    // Auto-split into two rooms of three (no confirmation: nothing was split yet), once the meetup bar is in.
    await page.locator('.clock-wrap .phase-controls').waitFor();
    await page.click('button:has-text("自動で振り分ける")');
    await expect.poll(() => page.locator('article.tile').count()).toBe(2);
    await expect.poll(() => page.locator('.status[role=status]').textContent()).toContain('6社を2ルームに振り分けました');
    let detail = await detailOf(event.id);
    const [room1, room2] = detail.rooms.map((r) => r.id) as [string, string];
    await expect.poll(() => tile(page, room1).locator('[data-company-chip]').count()).toBe(3);
    await expect.poll(() => tile(page, room2).locator('[data-company-chip]').count()).toBe(3);
    detail = await detailOf(event.id);
    const inRoom = (roomId: string) => detail.companies.filter((c) => c.roomId === roomId).map((c) => c.id);

    // Move one company by keyboard: Space picks it up, → chooses the next room, Enter drops it.
    const byKeyboard = inRoom(room1)[0]!;
    await chip(page, byKeyboard).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => chip(page, byKeyboard).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('p.moving').textContent()).toContain('移動先を選んでください');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tile(page, room2).getAttribute('class')).toContain('target');
    await page.keyboard.press('Enter');
    await expect.poll(() => tile(page, room2).locator(`[data-company-chip="${byKeyboard}"]`).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-company-chip'))).toBe(byKeyboard);
    await expect.poll(async () => (await detailOf(event.id)).companies.find((c) => c.id === byKeyboard)?.roomId).toBe(room2);
    // The split's 「6社を2ルームに振り分けました」 no longer describes the rooms: it is gone.
    await expect.poll(() => page.locator('.status[role=status]:has-text("振り分けました")').count()).toBe(0);

    // And one by drag and drop, back the other way.
    const byMouse = inRoom(room2)[0]!;
    await chip(page, byMouse).dragTo(tile(page, room1));
    await expect.poll(() => tile(page, room1).locator(`[data-company-chip="${byMouse}"]`).count()).toBe(1);
    await expect.poll(async () => (await detailOf(event.id)).companies.find((c) => c.id === byMouse)?.roomId).toBe(room1);

    // Rename a room inline.
    await tile(page, room1).locator('button.rename').click();
    await tile(page, room1).locator('input.name-input').fill('青の部屋');
    await tile(page, room1).locator('input.name-input').press('Enter');
    await expect.poll(() => tile(page, room1).locator('h3.name').textContent()).toBe('青の部屋');
    await expect.poll(async () => (await detailOf(event.id)).rooms.find((r) => r.id === room1)?.name).toBe('青の部屋');

    // A company joining late is seated in the room with the fewest companies: the console says so,
    // and moves it from there.
    const late = await joinAs(suite.server.origin, event.joinCode, '遅れて来た人', '遅刻通販');
    const lateNotice = page.locator('[data-arrival="遅刻通販"]');
    const seatedIn = (await detailOf(event.id)).companies.find((c) => c.id === late.eventCompanyId)!.roomId!;
    const seatedName = (await detailOf(event.id)).rooms.find((r) => r.id === seatedIn)!.name;
    await expect.poll(() => lateNotice.textContent()).toContain(`「遅刻通販」が参加しました（${seatedName}）`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-late-company-1280.png` });
    // A reload of the console keeps it (the tab's sessionStorage).
    await page.reload();
    await expect.poll(() => lateNotice.textContent()).toContain(`「遅刻通販」が参加しました（${seatedName}）`);
    await expect.poll(() => page.locator('article.tile').count()).toBe(2);
    await lateNotice.getByRole('button', { name: '移動する' }).click();
    await expect.poll(() => page.locator('p.moving').textContent()).toContain('「遅刻通販」の移動先を選んでください');
    const other = seatedIn === room1 ? room2 : room1;
    await tile(page, other).locator('button.move-here').click();
    await expect.poll(async () => (await detailOf(event.id)).companies.find((c) => c.id === late.eventCompanyId)?.roomId).toBe(other);
    await expect.poll(() => lateNotice.count()).toBe(0);
    // Closing a notice from the keyboard leaves focus on the late company's chip, not the page body.
    const later = await joinAs(suite.server.origin, event.joinCode, 'もう一人', '閉じる通販');
    const laterNotice = page.locator('[data-arrival="閉じる通販"]');
    await laterNotice.getByRole('button', { name: '閉じる' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => laterNotice.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-company-chip'))).toBe(later.eventCompanyId);

    // A participant at their board shows as present in their room.
    detail = await detailOf(event.id);
    // (The late company has no one online: the people are the six who joined first.)
    const alice = people.find((p) => inRoom(room1).includes(p.eventCompanyId))!;
    const bob = people.find((p) => inRoom(room2).includes(p.eventCompanyId))!;
    const alicePage = await pageFor(alice.cookie);
    await alicePage.goto(`${suite.server.origin}/events/${event.id}/board`);
    await alicePage.locator('svg.diagram').waitFor();
    await expect.poll(() => tile(page, room1).locator('ul.people li').allTextContents()).toEqual([alice.name]);
    await expect.poll(() => tile(page, room1).locator('[data-stat=present]').textContent()).toBe('在室 1人');

    // Her help request appears on her room's tile, highlighted, until handled.
    await alicePage.click('button.help');
    await alicePage.fill('#help-text', '採点の基準が分かりません');
    await alicePage.click('form.help-form button[type=submit]');
    await expect.poll(() => tile(page, room1).locator('li.help .text').textContent()).toBe('採点の基準が分かりません');
    expect(await tile(page, room1).getAttribute('class')).toContain('needs-help');
    await expect.poll(() => page.locator('.topbar .help-count').textContent()).toBe('ヘルプ 1件');
    await tile(page, room1).locator('li.help button.handle').click();
    await expect.poll(() => tile(page, room1).locator('li.help').count()).toBe(0);
    expect(await tile(page, room1).getAttribute('class')).not.toContain('needs-help');
    const facilitatorControl = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);
    sockets.push(facilitatorControl);
    expect((await ask(facilitatorControl.socket, 'meetup:get', { eventId: event.id })).help).toEqual([]);

    // Worksheet progress, 気付き cards and scores change live as a company works.
    const bobRow = tile(page, room2).locator(`tr[data-company="${bob.eventCompanyId}"]`);
    await expect.poll(() => bobRow.locator('[data-progress=worksheet]').textContent()).toBe('0/10');
    await expect.poll(() => tile(page, room2).locator('[data-stat=cards]').textContent()).toBe('気付き 0件');
    await writeSheet(bob, ['customers', 'brand', 'data'], 2);
    await expect.poll(() => bobRow.locator('[data-progress=worksheet]').textContent()).toBe('3/10');
    await expect.poll(() => tile(page, room2).locator('[data-stat=cards]').textContent()).toBe('気付き 2件');
    expect((await ask(bob.control.socket, 'score:set', { eventId: event.id, eventCompanyId: bob.eventCompanyId, element: 'customers', value: 2 })).ok).toBe(true);
    await expect.poll(() => bobRow.locator('[data-progress=scored]').textContent()).toBe('1/10');

    // Clock: start the first step from the console; done marks count the people present.
    await page.click('.clock-bar button.primary');
    await expect.poll(() => page.locator('.clock-bar .step').textContent()).toContain('自己紹介');
    await expect.poll(() => tile(page, room1).locator('[data-stat=done]').textContent()).toBe('完了 0/1人');
    expect((await ask(alice.control.socket, 'step:done', { eventId: event.id, done: true })).ok).toBe(true);
    await expect.poll(() => tile(page, room1).locator('[data-stat=done]').textContent()).toBe('完了 1/1人');

    // Agenda: change a step's length.
    const minutes = page.locator('section[aria-labelledby=agenda-title] li').nth(1).locator('input');
    await minutes.fill('20');
    await minutes.press('Enter');
    await expect.poll(async () => (await ask(alice.control.socket, 'meetup:get', { eventId: event.id })).state.agenda[1].durationMinutes).toBe(20);

    // A message to one room reaches that room's board only.
    await page.selectOption('#broadcast-room', room1);
    await page.fill('#broadcast-text', '残り5分です');
    await page.click('section[aria-labelledby=broadcast-title] button[type=submit]');
    await expect.poll(() => alicePage.locator('p.broadcast').textContent()).toContain('残り5分です');
    // Sent by mistake: the console lists what boards show, and 取り消す takes it off them.
    await page.fill('#broadcast-text', 'まちがいのお知らせ');
    await page.selectOption('#broadcast-room', '');
    await page.click('section[aria-labelledby=broadcast-title] button[type=submit]');
    await expect.poll(() => alicePage.locator('p.broadcast').allTextContents()).toContainEqual(expect.stringContaining('まちがいのお知らせ'));
    const mistaken = page.locator('[data-sent-banner]', { hasText: 'まちがいのお知らせ' });
    expect(await mistaken.locator('.to').textContent()).toContain('すべてのルーム');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-sent-messages-1280.png` });
    await mistaken.locator('button.take-back').click();
    await expect.poll(() => alicePage.locator('p.broadcast').allTextContents()).not.toContainEqual(expect.stringContaining('まちがいのお知らせ'));
    await expect.poll(() => page.locator('[data-sent-banner]').allTextContents()).toEqual([expect.stringContaining('残り5分です')]);

    // The phase controls, as on the facilitator's board: to the plenary at once, and back.
    const phase = page.locator('.clock-wrap .phase-controls');
    expect(await phase.getByRole('button', { name: 'ブレイクアウトを終了' }).isVisible()).toBe(true);
    await phase.getByRole('button', { name: '今すぐ全体共有へ' }).click();
    await expect.poll(() => phase.getAttribute('data-phase')).toBe('plenary');
    await alicePage.locator('[data-plenary]').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-plenary-1280.png` });
    await phase.getByRole('button', { name: 'ブレイクアウトに戻る' }).click();
    await expect.poll(() => phase.getAttribute('data-phase')).toBe('breakout');
    await alicePage.locator('svg.diagram').waitFor();

    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-two-rooms-1280.png`, fullPage: true });

    // The room's board opens on that room.
    const href = await tile(page, room2).locator('a.open-board').getAttribute('href');
    expect(href).toBe(`/events/${event.id}/board?room=${room2}`);
    const boardPage = await page.context().newPage();
    await boardPage.goto(`${suite.server.origin}${href}`);
    await boardPage.locator('svg.diagram').waitFor();
    await expect.poll(() => boardPage.inputValue('#room-select')).toBe(room2);
    // …and its header links back to the console.
    expect(await boardPage.locator(`.topbar a[href="/events/${event.id}/console"]`).count()).toBe(1);
    await boardPage.screenshot({ path: `${SCREENSHOT_DIR}/board-room-from-console-1280.png` });

    // A participant who opens the console is told it is for facilitators.
    await alicePage.goto(`${suite.server.origin}/events/${event.id}/console`);
    await expect.poll(() => alicePage.locator('main h1').textContent()).toBe('このページはファシリテーター専用です');
    expect(await alicePage.locator('article.tile').count()).toBe(0);

    expect(errors).toEqual([]);
  });

  it('shows 14 rooms and 42 participants readably at 1280×800 and at phone width', async () => {
    const event = await createEvent(facilitator, '2月 JCRM 交流会（14ルーム）', 'meetup');
    const companies = Array.from({ length: 42 }, (_, i) => `${['青空', 'みどり', 'さくら', '山田', '海の幸', '北国', '株式会社かがやきライフスタイル'][i % 7]}${['通販', '本舗', 'EC', '商店', 'ネット', 'ファーム'][i % 6]}${i + 1}`);
    const people = await joinOnline(event.id, event.joinCode, companies);

    const page = await pageFor(facilitator.cookie!);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${suite.server.origin}/events/${event.id}/console`);
    await page.locator('article.tile').first().waitFor();
    // The meetup bar fills in once the meetup state arrives (it may push the page down): click after.
    await page.locator('.clock-wrap .phase-controls').waitFor();
    await page.click('button:has-text("自動で振り分ける")');
    // 'split' once the 14 rooms show; until then what the console says (a refusal names itself).
    const splitOutcome = async () =>
      (await page.locator('article.tile').count()) === 14 ? 'split' : (await page.locator('[role=alert]').allTextContents()).join(' | ') || 'waiting';
    await expect.poll(splitOutcome, { timeout: 20_000 }).toBe('split');
    const detail = await detailOf(event.id);
    expect(detail.companies.every((c) => c.roomId !== null)).toBe(true);

    // Everyone at their room's board; a third wrote worksheets and cards, some scored, a step runs,
    // some are done, and two rooms asked for help.
    const colors = ['#c0392b', '#1f6fb2', '#2e8b57', '#8e44ad', '#d68910', '#16a085', '#7f5539', '#c2185b'];
    for (const [i, person] of people.entries()) {
      const roomId = detail.companies.find((c) => c.id === person.eventCompanyId)!.roomId!;
      await presentIn(roomId, person, colors[i % colors.length]);
      if (i % 3 === 0) await writeSheet(person, ELEMENT_IDS.slice(0, 1 + (i % 10)), i % 4);
      if (i % 2 === 0) {
        for (const element of ELEMENT_IDS.slice(0, 1 + (i % 7))) {
          expect((await ask(person.control.socket, 'score:set', { eventId: event.id, eventCompanyId: person.eventCompanyId, element, value: (i % 4) as 0 })).ok).toBe(true);
        }
      }
    }
    expect((await ask(people[0]!.control.socket, 'help:request', { eventId: event.id, text: '次に何をすればいいですか？' })).ok).toBe(true);
    // The second call comes from another room (the split is random: people[7] may share people[0]'s room).
    const roomOf = (p: (typeof people)[number]) => detail.companies.find((c) => c.id === p.eventCompanyId)!.roomId;
    const elsewhere = people.find((p) => roomOf(p) !== roomOf(people[0]!))!;
    expect((await ask(elsewhere.control.socket, 'help:request', { eventId: event.id, text: '' })).ok).toBe(true);
    await page.click('.clock-bar button.primary');
    await expect.poll(() => page.locator('.clock-bar .step').textContent()).toContain('自己紹介');
    for (const person of people.slice(0, 20)) expect((await ask(person.control.socket, 'step:done', { eventId: event.id, done: true })).ok).toBe(true);

    await expect.poll(() => page.locator('article.tile.needs-help').count()).toBe(2);
    await expect.poll(() => page.locator('article.tile ul.people li').count(), { timeout: 20_000 }).toBe(42);
    await expect.poll(() => page.locator('[data-progress=worksheet]:text("…")').count(), { timeout: 20_000 }).toBe(0);

    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-1280.png` });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-1280-full.png`, fullPage: true });
    await noHorizontalScroll(page);

    // A company picked up by keyboard: the tiles offer "move here".
    await chip(page, people[1]!.eventCompanyId).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('button.move-here').count()).toBe(14); // 13 other rooms + unseated
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-moving-1280.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('button.move-here').count()).toBe(0);

    await page.setViewportSize(PHONE);
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-390.png` });
    await page.locator('section[aria-labelledby=breakout-title]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-390-controls.png` });
    await page.locator('article.tile.needs-help').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-390-help.png` });

    // On a phone (no drag and drop): tap a company, then "move here" on another room.
    const tapped = people[4]!.eventCompanyId;
    const from = detail.companies.find((c) => c.id === tapped)!.roomId!;
    const to = detail.rooms.find((r) => r.id !== from)!.id;
    await chip(page, tapped).click();
    await tile(page, to).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-390-moving.png` });
    await tile(page, to).locator('button.move-here').click();
    await expect.poll(() => tile(page, to).locator(`[data-company-chip="${tapped}"]`).count()).toBe(1);
    await expect.poll(async () => (await detailOf(event.id)).companies.find((c) => c.id === tapped)?.roomId).toBe(to);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-390-full.png`, fullPage: true });
    await noHorizontalScroll(page);

    // English on request.
    await page.setViewportSize(DESKTOP);
    await page.click('.topbar button.link-button');
    await expect.poll(() => page.locator('.topbar .label').textContent()).toBe('Facilitator console');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-14-rooms-english-1280.png` });
    await noHorizontalScroll(page);
    await page.click('.topbar button.link-button');

    expect(errors).toEqual([]);
  });
});
