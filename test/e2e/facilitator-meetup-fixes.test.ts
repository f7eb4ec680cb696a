// What a facilitator running a real meetup ran into, in Chromium at 1280×800 (console also 390×844):
// - every company's レポート is reachable from the event page's 参加会社 list and from each
//   company row of the console's room cards;
// - join requests (after 受付を締め切る) show in the console too: a 「参加申請 n件」 badge and
//   承認 / 却下 buttons, live as requests arrive;
// - a facilitator looking into a room is not counted among its participants (「在室 2人 +
//   ファシリテーター1」) and is listed apart; a company with nobody on the room's board is greyed
//   out and says 「オフライン」 in words;
// - a closed session's board and console say 終了, not 「タイマーはまだ始まっていません」;
// - a participant whose help request is marked 対応済み is told 「ファシリテーターが対応しました」.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import type { WebsocketProvider } from 'y-websocket';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { connectProvider, whenSynced } from '../helpers/yjs-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';
import { roomDocName } from '../../shared/protocol/doc-names.ts';

const suite = browserSuite();
let facilitator: ApiClient;
const providers: WebsocketProvider[] = [];

interface Joined {
  name: string;
  eventCompanyId: string;
  userId: string;
  cookie: string;
}

async function join(joinCode: string, name: string, company: string): Promise<Joined> {
  const joined = await joinAs(suite.server.origin, joinCode, name, company);
  return { name, eventCompanyId: joined.eventCompanyId, userId: joined.userId, cookie: joined.client.cookie! };
}

/** Someone at a room's board, as the board announces it on the room document's awareness. */
async function presentIn(roomId: string, person: Joined): Promise<void> {
  const provider = connectProvider(suite.server.wsOrigin, roomDocName(roomId), { cookie: person.cookie, doc: new Y.Doc() });
  providers.push(provider);
  await whenSynced(provider);
  provider.awareness.setLocalStateField('user', { id: person.userId, name: person.name, eventCompanyId: person.eventCompanyId, color: '#1f6fb2', element: null });
}

async function pageFor(cookie: string, viewport = DESKTOP): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

afterAll(() => {
  for (const provider of providers) provider.destroy();
});

describe('running a meetup from the event page and the console', { timeout: 180_000 }, () => {
  it('links every company report, decides join requests in the console and counts facilitators apart', async () => {
    const event = await createEvent(facilitator, '4月 JCRM 交流会');
    const sato = await join(event.joinCode, '佐藤', '青空通販');
    const tanaka = await join(event.joinCode, 'Tanaka', 'みどり本舗');
    const suzuki = await join(event.joinCode, '鈴木', 'さくらEC');
    const detail = (await facilitator.get(`/api/events/${event.id}`)).body as { rooms: Array<{ id: string }> };
    const roomId = detail.rooms[0]!.id;

    // The event page: a レポート link per company in 参加会社, opening that company's report.
    const admin = await pageFor(facilitator.cookie!);
    await admin.goto(`${suite.server.origin}/events/${event.id}`);
    for (const company of [sato, tanaka, suzuki]) {
      const link = admin.locator(`section[aria-labelledby=companies-title] a[data-report="${company.eventCompanyId}"]`);
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`/events/${event.id}/companies/${company.eventCompanyId}/report`);
      expect(await link.textContent()).toBe('レポート');
    }
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-company-reports-1280.png`, fullPage: true });
    await admin.click(`a[data-report="${tanaka.eventCompanyId}"]`);
    await admin.waitForURL(/\/report$/);
    // The facilitator gets the report itself (its downloads), not a refusal.
    await admin.locator('[data-download=md]').waitFor();
    expect(await admin.locator('[data-download=csv]').getAttribute('href')).toContain(`/companies/${tanaka.eventCompanyId}/report.csv`);

    // Two participants and the facilitator (on the room's board) are in the room; さくらEC is not.
    await presentIn(roomId, sato);
    await presentIn(roomId, tanaka);
    const board = await pageFor(facilitator.cookie!);
    await board.goto(`${suite.server.origin}/events/${event.id}/board`);
    await board.locator('svg.diagram').waitFor();

    const page = await pageFor(facilitator.cookie!);
    await page.goto(`${suite.server.origin}/events/${event.id}/console`);
    const tile = page.locator(`article.tile[data-room="${roomId}"]`);
    await expect.poll(() => tile.locator('[data-stat=present]').textContent()).toBe('在室 2人 + ファシリテーター1');
    expect(await tile.locator('ul.people li').allTextContents()).toEqual(['Tanaka', '佐藤']);
    expect(await tile.locator('ul.facilitators li').allTextContents()).toEqual(['ファシリテーター: 進行役']);
    // Nobody of さくらEC is on the board: greyed out, and said in words.
    await expect.poll(() => tile.locator(`tr[data-company="${suzuki.eventCompanyId}"]`).getAttribute('data-online')).toBe('false');
    expect(await tile.locator(`tr[data-company="${sato.eventCompanyId}"]`).getAttribute('data-online')).toBe('true');
    const offlineChip = tile.locator(`[data-company-chip="${suzuki.eventCompanyId}"]`);
    expect(await offlineChip.textContent()).toContain('オフライン');
    expect(await offlineChip.evaluate((el) => getComputedStyle(el).borderStyle)).toBe('dashed');
    expect(await tile.locator(`[data-company-chip="${sato.eventCompanyId}"]`).textContent()).not.toContain('オフライン');

    // Each company row links its report (a new tab: the console stays open).
    for (const company of [sato, tanaka, suzuki]) {
      const link = tile.locator(`tr[data-company="${company.eventCompanyId}"] a[data-report]`);
      expect(await link.getAttribute('href')).toBe(`/events/${event.id}/companies/${company.eventCompanyId}/report`);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.textContent()).toBe('レポート');
    }

    // The facilitator leaves the board: the count follows.
    await board.close();
    await expect.poll(() => tile.locator('[data-stat=present]').textContent(), { timeout: 20_000 }).toBe('在室 2人');
    expect(await tile.locator('ul.facilitators').count()).toBe(0);

    // 受付を締め切る, then two people ask to join existing companies: the console shows them live.
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: true })).status).toBe(200);
    expect(await page.locator('[data-join-requests]').count()).toBe(0);
    const late = new ApiClient(suite.server.origin);
    const lateRes = await late.post('/api/join', { code: event.joinCode, displayName: '高橋', companyName: '青空通販' });
    expect(lateRes.status).toBe(202);
    const stranger = new ApiClient(suite.server.origin);
    expect((await stranger.post('/api/join', { code: event.joinCode, displayName: '知らない人', companyName: 'みどり本舗' })).status).toBe(202);
    const badge = page.locator('button[data-join-requests]');
    await expect.poll(() => badge.textContent()).toBe('参加申請 2件');
    await expect.poll(() => page.locator('#console-join-requests li[data-request]').count()).toBe(2);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-join-requests-1280.png` });

    await badge.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-approve') ?? false)).toBe(true);
    await page.click(`#console-join-requests li[data-request="${lateRes.body.requestId}"] button[data-approve]`);
    await expect.poll(() => badge.textContent()).toBe('参加申請 1件');
    await page.click('#console-join-requests li[data-request] button[data-reject]');
    await expect.poll(() => page.locator('#console-join-requests').count()).toBe(0);
    expect(await page.locator('[data-join-requests]').count()).toBe(0);
    // 高橋 is now a member of 青空通販; the other request was turned down (nothing pending).
    expect((await facilitator.get(`/api/events/${event.id}/join-requests`)).body).toEqual([]);
    const members = (await facilitator.get(`/api/events/${event.id}/members`)).body as unknown;
    expect(JSON.stringify(members)).toContain('高橋');
    expect(JSON.stringify(members)).not.toContain('知らない人');

    // In English too.
    expect((await new ApiClient(suite.server.origin).post('/api/join', { code: event.joinCode, displayName: '山本', companyName: 'みどり本舗' })).status).toBe(202);
    await expect.poll(() => badge.textContent()).toBe('参加申請 1件');
    await page.click('header.topbar button:has-text("English")');
    await expect.poll(() => badge.textContent()).toBe('Join requests 1');
    expect(await tile.locator('[data-stat=present]').textContent()).toBe('2 here');
    expect(await tile.locator(`tr[data-company="${sato.eventCompanyId}"] a[data-report]`).textContent()).toBe('Report');
    expect(await offlineChip.textContent()).toContain('offline');
    await page.click('header.topbar button:has-text("日本語")');
    await expect.poll(() => badge.textContent()).toBe('参加申請 1件');

    // The console with a facilitator in the room, an offline company and a waiting request.
    const again = await pageFor(facilitator.cookie!);
    await again.goto(`${suite.server.origin}/events/${event.id}/board`);
    await again.locator('svg.diagram').waitFor();
    await expect.poll(() => tile.locator('[data-stat=present]').textContent()).toBe('在室 2人 + ファシリテーター1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-presence-1280.png` });
    await page.setViewportSize(PHONE);
    await noHorizontalScroll(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/console-presence-390.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);

    // The event page at 1280 after the change.
    await admin.goto(`${suite.server.origin}/events/${event.id}`);
    await admin.locator('a[data-report]').first().waitFor();
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/admin-event-page-1280.png`, fullPage: true });
  });

  it('tells a participant their help request was handled', async () => {
    const event = await createEvent(facilitator, '5月 JCRM 交流会', 'meetup');
    const sato = await join(event.joinCode, '佐藤', '海の幸ネット');
    const board = await pageFor(sato.cookie);
    await board.goto(`${suite.server.origin}/events/${event.id}/board`);
    await board.locator('svg.diagram').waitFor();
    await board.click('.meetup-bar button.help');
    await board.fill('#help-text', '採点の基準が分かりません');
    await board.click('.help-form button[type=submit]');
    await board.locator('.meetup-bar .sent:has-text("ファシリテーターに知らせました")').waitFor();

    // A colleague in the same company asks too: the push for their request is not this person's.
    const colleague = await join(event.joinCode, '鈴木', '海の幸ネット');
    const control = await connectControlClient(suite.server.origin, colleague.cookie, event.id);
    expect((await ask(control.socket, 'help:request', { eventId: event.id, text: '時間が足りません' })).ok).toBe(true);
    control.socket.disconnect();

    // The facilitator marks the colleague's request 対応済み in the console: nothing shows here.
    const desk = await pageFor(facilitator.cookie!);
    await desk.goto(`${suite.server.origin}/events/${event.id}/console`);
    await expect.poll(() => desk.locator('li.help').count()).toBe(2);
    await desk.locator('li.help', { hasText: '鈴木' }).locator('button.handle').click();
    await expect.poll(() => desk.locator('li.help').count()).toBe(1);
    await board.waitForTimeout(500);
    expect(await board.locator('.meetup-bar [data-help-handled]').count()).toBe(0);
    // Then this person's: the server tells them (its help:handled push to their company).
    await desk.locator('li.help button.handle').click();
    await expect.poll(() => desk.locator('li.help').count()).toBe(0);
    const handled = board.locator('.meetup-bar [data-help-handled]');
    await handled.waitFor();
    expect(await handled.textContent()).toBe('✓ ファシリテーターが対応しました');
    expect(await board.locator('.meetup-bar .sent:has-text("ファシリテーターに知らせました")').count()).toBe(0);
    await board.screenshot({ path: `${SCREENSHOT_DIR}/board-help-handled-1280.png` });
    // A short confirmation: it goes by itself.
    await handled.waitFor({ state: 'detached', timeout: 12_000 });
  });

  it('says how many companies an automatic split left unseated (offline ones)', async () => {
    const event = await createEvent(facilitator, '7月 JCRM 交流会', 'meetup');
    const online = [await join(event.joinCode, '甲', '甲商事'), await join(event.joinCode, '乙', '乙物産')];
    await join(event.joinCode, '丙', '丙通販'); // joined, but not online
    const controls = await Promise.all(online.map((p) => connectControlClient(suite.server.origin, p.cookie, event.id)));
    const desk = await pageFor(facilitator.cookie!);
    await desk.goto(`${suite.server.origin}/events/${event.id}/console`);
    await expect.poll(() => desk.locator('article.tile [data-company-chip]').count()).toBe(3);
    await desk.locator('.clock-wrap .phase-controls').waitFor();
    await desk.fill('#split-size', '2');
    await desk.click('button:has-text("自動で振り分ける")');
    await expect.poll(() => desk.locator('.status[role=status]').textContent()).toBe('2社を1ルームに振り分けました（1社はルーム未割り当て）');
    await expect.poll(() => desk.locator('article.tile [data-company-chip]').count()).toBe(2);
    for (const c of controls) c.socket.disconnect();
  });

  it('folds the breakout controls of a 勉強会 (one room) behind one button, and shows them for a 交流会', async () => {
    const study = await createEvent(facilitator, '8月 JCRM 勉強会');
    const tei = await join(study.joinCode, '丁', '丁商店');
    // The facilitator of a 勉強会 is in its one room: its board has no 「ヘルプを呼ぶ」 (a 交流会's has; below).
    const studyBoard = await pageFor(tei.cookie);
    await studyBoard.goto(`${suite.server.origin}/events/${study.id}/board`);
    await studyBoard.locator('.meetup-bar').waitFor();
    await studyBoard.locator('.meetup-bar button.done, .meetup-bar .clock').first().waitFor();
    expect(await studyBoard.locator('.meetup-bar button.help').count()).toBe(0);
    // Nor does its legend explain ✓ (scored, hidden): a 勉強会's scores are never hidden.
    expect(await studyBoard.locator('[data-legend-marks]').textContent()).not.toContain('✓');
    const desk = await pageFor(facilitator.cookie!);
    await desk.goto(`${suite.server.origin}/events/${study.id}/console`);
    await desk.locator('.breakout-folded button:has-text("ルームを分ける")').waitFor();
    expect(await desk.locator('#split-size').count()).toBe(0);
    await desk.click('.breakout-folded button:has-text("ルームを分ける")');
    await desk.locator('#split-size').waitFor();
    expect(await desk.locator('.breakout-folded').count()).toBe(0);

    expect(await desk.locator('header.topbar a.nav[href$="' + study.id + '"]').textContent()).toBe('勉強会の設定');

    // A 交流会 is called 交流会, not 勉強会, on its console and event page.
    const meetup = await createEvent(facilitator, '8月 JCRM 交流会', 'meetup');
    await join(meetup.joinCode, '北', '八月物産');
    await join(meetup.joinCode, '南', 'あさひ通販');
    const asker = await join(meetup.joinCode, '長い名前の参加者さん', '株式会社さくらインターナショナルホールディングス');
    const meetupBoard = await pageFor(asker.cookie);
    await meetupBoard.goto(`${suite.server.origin}/events/${meetup.id}/board`);
    await meetupBoard.locator('.meetup-bar button.help').waitFor();
    expect(await meetupBoard.locator('[data-legend-marks]').textContent()).toContain('✓ は採点済みで非公開');
    const askerSocket = await connectControlClient(suite.server.origin, asker.cookie, meetup.id);
    expect((await ask(askerSocket.socket, 'help:request', { eventId: meetup.id, text: '教えてください' })).ok).toBe(true);
    await desk.goto(`${suite.server.origin}/events/${meetup.id}/console`);
    await desk.locator('#split-size').waitFor();
    expect(await desk.locator('.breakout-folded').count()).toBe(0);
    expect(await desk.locator('header.topbar a.nav[href$="' + meetup.id + '"]').textContent()).toBe('交流会の設定');

    // A long name and company are cut in the room card's help request, never its time.
    const who = desk.locator('[data-help] .who');
    await who.waitFor();
    const [whoBox, timeBox] = [await who.boundingBox(), await desk.locator('[data-help] .who time').boundingBox()];
    expect(timeBox!.x + timeBox!.width).toBeLessThanOrEqual(whoBox!.x + whoBox!.width + 0.5);
    expect(await desk.locator('[data-help] .who time').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    // Revealing to all turns hiding off; the console says what that means instead of an unexplained unticked box.
    expect(await desk.locator('[data-scores-state="shown"]').count()).toBe(0);
    await desk.click('button.reveal-all');
    await desk.locator('[data-scores-state="shown"]').waitFor();
    expect(await desk.locator('[data-scores-state="shown"]').textContent()).toContain('次のラウンドでまた隠す');
    askerSocket.socket.disconnect();

    await desk.goto(`${suite.server.origin}/events/${meetup.id}`);
    await desk.locator('#close-title').waitFor();
    expect(await desk.locator('#close-title').textContent()).toBe('交流会の終了');

    // The join page lists the companies in reading order, not join order.
    const newcomer = await suite.page(undefined, PHONE);
    await newcomer.goto(`${suite.server.origin}/join/${meetup.joinCode}`);
    await newcomer.locator('.choices label.choice').first().waitFor();
    const names = (await newcomer.locator('.choices label.choice span').allTextContents()).slice(0, 3);
    expect(names).toEqual(['八月物産', 'あさひ通販', '株式会社さくらインターナショナルホールディングス'].sort((a, b) => a.localeCompare(b, 'ja')));
    expect(names[0]).toBe('あさひ通販');
  });

  it('says 終了 on a closed session’s board and console, not 「タイマーはまだ始まっていません」', async () => {
    const event = await createEvent(facilitator, '6月 JCRM 勉強会');
    const sato = await join(event.joinCode, '佐藤', '北国ファーム');
    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);

    const board = await pageFor(sato.cookie);
    await board.goto(`${suite.server.origin}/events/${event.id}/board`);
    await board.locator('.meetup-bar [data-clock-ended]').waitFor();
    expect(await board.locator('.meetup-bar [data-clock-ended]').textContent()).toBe('終了');
    expect(await board.locator('.meetup-bar').textContent()).not.toContain('タイマーはまだ始まっていません');
    await board.screenshot({ path: `${SCREENSHOT_DIR}/board-closed-ended-1280.png` });

    const desk = await pageFor(facilitator.cookie!);
    await desk.goto(`${suite.server.origin}/events/${event.id}/console`);
    await desk.locator('.clock-bar [data-clock-ended]').waitFor();
    expect(await desk.locator('.clock-bar').textContent()).not.toContain('タイマーはまだ始まっていません');
    await desk.click('header.topbar button:has-text("English")');
    await expect.poll(() => desk.locator('.clock-bar [data-clock-ended]').textContent()).toBe('Ended');
  });
});
