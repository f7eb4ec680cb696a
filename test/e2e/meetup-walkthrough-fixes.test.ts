// What the last walkthrough of an online meetup (console + breakout rooms + plenary) reported, in
// Chromium at 1280×800 and 390×844:
// - sent back from the plenary (「ブレイクアウトに戻る」), the boards and the console say 「ブレイクアウト中」
//   before the step clock, which stays at 「ステップ 7/8 全体共有」 by design;
// - 「1ルームの会社数」 is a target (rooms are evened out): the label says （目安） and a preview says
//   which rooms a split of the event's companies makes;
// - with 「オンラインの会社だけ」 on (the default) that preview counts only the companies online, as the
//   split does (one offline of five said 3 + 2 and the split made 2 + 2);
// - on a phone, a pinned message from the facilitator sits right under the header when scrolled
//   (the page showed through a few pixels between them);
// - a company chip's focus ring in the console stays inside its own column;
// - signing out deletes this person's IndexedDB copies of the Yjs documents and their outboxes of
//   unsent score changes in localStorage (nobody else's);
// - a participant in the plenary view signs out there too (it showed no ログアウト on a desktop).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';

const suite = browserSuite();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

async function pageFor(cookie: string | undefined, viewport = DESKTOP): Promise<Page> {
  const page = await suite.page(cookie, viewport);
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** A facilitator's control socket on the event, and a command that must succeed. */
async function commander(eventId: string) {
  const control = await connectControlClient(suite.server.origin, facilitator.cookie, eventId);
  return async (event: string, payload: Record<string, unknown>) => {
    const res = await ask(control.socket, event, { eventId, ...payload });
    expect(res.ok, `${event}: ${JSON.stringify(res)}`).toBe(true);
    return res;
  };
}

describe('a meetup after the walkthrough', { timeout: 180_000 }, () => {
  it('says 「ブレイクアウト中」 on the boards and the console once everyone is sent back from the plenary', async () => {
    const event = await createEvent(facilitator, '交流会 ブレイクアウトに戻る', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    const command = await commander(event.id);
    await command('clock:next', {});

    const desk = await pageFor(sato.client.cookie!, DESKTOP);
    const phone = await pageFor(sato.client.cookie!, PHONE);
    for (const page of [desk, phone]) {
      await page.goto(`${suite.server.origin}/events/${event.id}/board`);
      await page.locator('.meetup-bar .step').waitFor();
    }
    const console_ = await pageFor(facilitator.cookie!, DESKTOP);
    await console_.goto(`${suite.server.origin}/events/${event.id}/console`);
    await console_.locator('.clock-bar .step').waitFor();
    // In the breakout at step 1 nothing extra is said.
    expect(await desk.locator('[data-phase-now=breakout]').count()).toBe(0);

    await console_.locator('.clock-wrap .phase-controls').getByRole('button', { name: '今すぐ全体共有へ' }).click();
    await desk.locator('[data-phase-now=plenary], .plenary').first().waitFor();
    await console_.locator('.clock-wrap .phase-controls').getByRole('button', { name: 'ブレイクアウトに戻る' }).click();

    for (const [page, name] of [[desk, '1280'], [phone, '390']] as const) {
      const bar = page.locator('.meetup-bar');
      await expect.poll(() => bar.locator('[data-phase-now=breakout]').textContent()).toBe('ブレイクアウト中');
      // The clock stays at 全体共有, and says it is the timer's step.
      expect((await bar.locator('.step').textContent())?.trim()).toBe('タイマー：ステップ 7/8 全体共有');
      expect(await bar.locator('.countdown').textContent()).toMatch(/\d+:\d\d/);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-back-in-breakout-${name}.png` });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    }
    const clock = console_.locator('.clock-bar');
    await expect.poll(() => clock.locator('[data-phase-now=breakout]').textContent()).toBe('ブレイクアウト中');
    expect((await clock.locator('.step').textContent())?.trim()).toBe('タイマー：ステップ 7/8 全体共有');
    await console_.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-back-in-breakout-console-1280.png` });

    // The next step (持ち帰り, written on the boards) says what people do: no note any more.
    await command('clock:next', {});
    await expect.poll(() => desk.locator('.meetup-bar .step').textContent()).toContain('ステップ 8/8 持ち帰り');
    expect(await desk.locator('[data-phase-now=breakout]').count()).toBe(0);
    expect((await desk.locator('.meetup-bar .step').textContent())?.trim()).toBe('ステップ 8/8 持ち帰り');
    expect(suite.errors).toEqual([]);
  });

  it('labels the room size a target and previews the rooms a split makes', async () => {
    const event = await createEvent(facilitator, '交流会 ルーム分けの目安', 'meetup');
    for (const [name, company] of [['佐藤', '青空通販2'], ['田中', 'みどり本舗2'], ['鈴木', 'さくらEC2'], ['高橋', '山田製作所2'], ['伊藤', '北海物産2']] as const) {
      await joinAs(suite.server.origin, event.joinCode, name, company);
    }
    for (const [viewport, name] of [[DESKTOP, '1280'], [PHONE, '390']] as const) {
      const page = await pageFor(facilitator.cookie!, viewport);
      await page.goto(`${suite.server.origin}/events/${event.id}/console`);
      const panel = page.locator('section[aria-labelledby=breakout-title]');
      await panel.waitFor();
      expect(await panel.locator('label[for=split-size]').textContent()).toBe('1ルームの会社数（目安）');
      const preview = panel.locator('#split-preview');
      // Nobody has a board open: 「オンラインの会社だけ」 (the default) would split no company.
      expect(await preview.count()).toBe(0);
      await panel.getByLabel('オンラインの会社だけ').uncheck();
      // 5 companies at 3 per room: 3 + 2, which is what the split makes.
      await expect.poll(() => preview.textContent()).toBe('全5社なら 2ルーム（3社・2社）');
      expect(await panel.locator('#split-size').getAttribute('aria-describedby')).toBe('split-preview');
      await panel.locator('#split-size').fill('2');
      await expect.poll(() => preview.textContent()).toBe('全5社なら 2ルーム（3社・2社）');
      await panel.locator('#split-size').fill('5');
      await expect.poll(() => preview.textContent()).toBe('全5社なら 1ルーム（5社）');
      await panel.locator('#split-size').fill('3');
      await panel.getByLabel('オンラインの会社だけ').check();
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-split-target-${name}.png` });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    }
    expect(suite.errors).toEqual([]);
  });

  it('previews only the companies online when 「オンラインの会社だけ」 is on, as the split seats them', async () => {
    const event = await createEvent(facilitator, '交流会 オンラインの会社の目安', 'meetup');
    const joined = [];
    for (const [name, company] of [['佐藤', '青空通販6'], ['田中', 'みどり本舗6'], ['鈴木', 'さくらEC6'], ['高橋', '山田製作所6'], ['伊藤', '北海物産6']] as const) {
      joined.push(await joinAs(suite.server.origin, event.joinCode, name, company));
    }
    // Four of the five companies have their board open; 北海物産6 is offline.
    for (const member of joined.slice(0, 4)) {
      const board = await pageFor(member.client.cookie!, DESKTOP);
      await board.goto(`${suite.server.origin}/events/${event.id}/board`);
      await board.locator('[data-element=customers]').waitFor();
    }
    for (const [viewport, name] of [[DESKTOP, '1280'], [PHONE, '390']] as const) {
      const page = await pageFor(facilitator.cookie!, viewport);
      await page.goto(`${suite.server.origin}/events/${event.id}/console`);
      const panel = page.locator('section[aria-labelledby=breakout-title]');
      const preview = panel.locator('#split-preview');
      // 4 online at 3 per room are 2 + 2 (the split's answer), not the 3 + 2 of all five.
      await expect.poll(() => preview.textContent(), { timeout: 15_000 }).toBe('オンラインの4社なら 2ルーム（2社・2社）');
      await panel.getByLabel('オンラインの会社だけ').uncheck();
      await expect.poll(() => preview.textContent()).toBe('全5社なら 2ルーム（3社・2社）');
      await panel.getByLabel('オンラインの会社だけ').check();
      await expect.poll(() => preview.textContent()).toBe('オンラインの4社なら 2ルーム（2社・2社）');
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-split-online-${name}.png` });
      if (name === '1280') {
        await panel.getByRole('button', { name: '自動で振り分ける' }).click();
        await expect.poll(() => panel.locator('p.status').textContent()).toContain('4社を2ルーム');
      }
    }
    expect(suite.errors).toEqual([]);
  });

  it('pins a message right under the header on a scrolled phone, with no gap', async () => {
    const event = await createEvent(facilitator, '交流会 お知らせの隙間', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販3');
    const command = await commander(event.id);
    await command('clock:next', {});
    for (const [viewport, name] of [[PHONE, '390'], [DESKTOP, '1280']] as const) {
      const page = await pageFor(sato.client.cookie!, viewport);
      await page.goto(`${suite.server.origin}/events/${event.id}/board`);
      await page.click('[data-element=customers]');
      await page.locator('section.column').first().waitFor();
      if (name === '390') await command('banner:send', { roomId: null, text: '残り5分です。各社のスコアを入れてください' });
      const banner = page.locator('p.broadcast').first();
      await banner.waitFor();
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
      await page.waitForTimeout(300);
      const gap = await page.evaluate(() => {
        const head = document.querySelector('.sticky-head')!.getBoundingClientRect();
        const first = document.querySelector('p.broadcast')!.getBoundingClientRect();
        return first.top - head.bottom;
      });
      // Flush with the head (at most a sub-pixel overlap, never page showing through).
      expect(gap, `gap at ${name}`).toBeLessThanOrEqual(0);
      expect(gap, `overlap at ${name}`).toBeGreaterThan(-2);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-banner-pinned-${name}.png` });
      // Zoomed on the seam, to look at.
      const head = (await page.locator('.sticky-head').boundingBox())!;
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-banner-seam-${name}.png`, clip: { x: 0, y: Math.max(0, head.y + head.height - 30), width: Math.min(viewport.width, 400), height: 70 } });
    }
    expect(suite.errors).toEqual([]);
  });

  it('keeps a focused company chip’s ring inside its column in the console', async () => {
    const event = await createEvent(facilitator, '交流会 フォーカス', 'meetup');
    const long = await joinAs(suite.server.origin, event.joinCode, '佐藤', '株式会社グローバルリテールホールディングス東日本');
    await joinAs(suite.server.origin, event.joinCode, '田中', 'みどり本舗5');
    for (const [viewport, name] of [[DESKTOP, '1280'], [PHONE, '390']] as const) {
      const page = await pageFor(facilitator.cookie!, viewport);
      await page.goto(`${suite.server.origin}/events/${event.id}/console`);
      const chip = page.locator(`[data-company-chip="${long.eventCompanyId}"]`);
      await chip.waitFor();
      await page.keyboard.press('Tab');
      await chip.focus();
      expect(await chip.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
      const geometry = await chip.evaluate((el) => {
        const style = getComputedStyle(el);
        const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
        const box = el.getBoundingClientRect();
        const cell = el.closest('td')!;
        const cellBox = cell.getBoundingClientRect();
        const cellStyle = getComputedStyle(cell);
        // How far past its padding box the cell paints (overflow: clip's margin), Infinity if it does not clip.
        const clipMargin = cellStyle.overflowX === 'visible' ? Infinity : cellStyle.overflowX === 'clip' ? parseFloat(cellStyle.overflowClipMargin || '0') || 0 : 0;
        const next = (cell.nextElementSibling as HTMLElement).getBoundingClientRect();
        return { style: style.outlineStyle, ring, box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom }, cell: { left: cellBox.left, right: cellBox.right, top: cellBox.top, bottom: cellBox.bottom }, clipMargin, nextLeft: next.left };
      });
      expect(geometry.style).toBe('solid');
      expect(geometry.ring).toBeGreaterThanOrEqual(2);
      // The ring ends before the next column begins…
      expect(geometry.box.right + geometry.ring, `right edge at ${name}`).toBeLessThanOrEqual(geometry.nextLeft);
      expect(geometry.box.right + geometry.ring).toBeLessThanOrEqual(geometry.cell.right);
      expect(geometry.box.left - geometry.ring).toBeGreaterThanOrEqual(geometry.cell.left);
      // …and is painted whole: the cell does not clip it.
      expect(geometry.box.top - geometry.ring).toBeGreaterThanOrEqual(geometry.cell.top - geometry.clipMargin);
      expect(geometry.box.bottom + geometry.ring).toBeLessThanOrEqual(geometry.cell.bottom + geometry.clipMargin);
      const tile = page.locator('article.tile').first();
      await tile.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-chip-focus-${name}.png` });
      const tileBox = (await tile.boundingBox())!;
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-chip-focus-tile-${name}.png`, clip: tileBox });
    }
    expect(suite.errors).toEqual([]);
  });

  it('deletes the signed-out person’s IndexedDB copies of the documents and outboxes, and only theirs', async () => {
    const event = await createEvent(facilitator, '交流会 ログアウト', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販4');
    const page = await pageFor(sato.client.cookie!, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${event.id}/board`);
    await page.locator('svg.diagram').waitFor();
    const copies = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('kizuki:')).sort());
    const mine = (names: string[]) => names.filter((n) => n.startsWith(`kizuki:${sato.userId}:`));
    await expect.poll(async () => mine(await copies()).length).toBeGreaterThan(0);
    // Someone else who used this browser before (and did not sign out) keeps theirs.
    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('kizuki:someone-else:sheet:x');
      open.onsuccess = () => (open.result.close(), resolve());
      open.onerror = () => reject(open.error);
    }));
    // Score changes not sent yet: 佐藤's in this event and another, and someone else's.
    const otherEvent = '00000000-0000-4000-8000-0000000000e2';
    const someoneElse = '00000000-0000-4000-8000-0000000000aa';
    const outboxes = [`kizuki:outbox:${event.id}:${sato.userId}`, `kizuki:outbox:${otherEvent}:${sato.userId}`, `kizuki:outbox:${event.id}:${someoneElse}`];
    await page.evaluate((keys) => keys.forEach((key) => localStorage.setItem(key, '[]')), outboxes);
    const outboxesLeft = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kizuki:outbox:')).sort());
    await page.locator('.signed-in').getByRole('button', { name: 'ログアウト' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(async () => mine(await copies()), { timeout: 10_000 }).toEqual([]);
    expect(await copies()).toEqual(['kizuki:someone-else:sheet:x']);
    expect(await outboxesLeft()).toEqual([`kizuki:outbox:${event.id}:${someoneElse}`]);
    expect(suite.errors).toEqual([]);
  });

  it('lets a participant sign out from the plenary view on a desktop', async () => {
    const event = await createEvent(facilitator, '交流会 全体共有でログアウト', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販5');
    const command = await commander(event.id);
    await command('phase:set', { phase: 'plenary' });
    const page = await pageFor(sato.client.cookie!, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${event.id}/board`);
    await page.locator('.plenary').waitFor();
    const line = page.locator('[data-signed-in]');
    expect(await line.isVisible()).toBe(true);
    expect(await line.textContent()).toContain('佐藤さんとして参加中');
    await line.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-plenary-sign-out-1280.png`, fullPage: true });
    await line.getByRole('button', { name: 'ログアウト' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect((await sato.client.get('/api/auth/me')).status).toBe(401);
    expect(suite.errors).toEqual([]);
  });
});
