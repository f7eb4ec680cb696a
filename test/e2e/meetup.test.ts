// An online meetup in real browsers: a facilitator and six companies in separate contexts; the
// companies are split into two rooms; each posts a card and scores in its room; a step's
// countdown is seen alike by all; a help request reaches the facilitator; hidden scores show only
// as "scored" until the facilitator reveals them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const COMPANIES = ['青空通販', 'みどり本舗', 'さくらEC', '山田商店', '海の幸ネット', '北国ファーム'];

const suite = browserSuite();
let facilitator: ApiClient;
let facilitatorControl: ControlClient;
let eventId: string;
let rooms: Array<{ roomId: string; eventCompanyIds: string[] }>;
const people: Array<{ company: string; eventCompanyId: string; page: Page }> = [];
let facilitatorPage: Page;

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

afterAll(async () => {
  facilitatorControl?.socket.disconnect();
});

describe('an online meetup in the browser', { timeout: 120_000 }, () => {
  it('six companies join a meetup and are split into two rooms of three', async () => {
    const created = await facilitator.post('/api/events', { title: '12月 オンライン交流会', date: '2026-12-10', kind: 'meetup', theme: '顧客とデータ', coveredElements: ['customers', 'data'] });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    const joinCode = (await facilitator.get(`/api/events/${eventId}`)).body.joinCode as string;
    for (const [i, company] of COMPANIES.entries()) {
      const joined = await joinAs(suite.server.origin, joinCode, `参加者${i + 1}`, company);
      const page = await suite.page(joined.client.cookie!);
      await page.goto(`${suite.server.origin}/events/${eventId}/board`);
      people.push({ company, eventCompanyId: joined.eventCompanyId, page });
    }
    facilitatorPage = await suite.page(facilitator.cookie!);
    await facilitatorPage.goto(`${suite.server.origin}/events/${eventId}/board`);
    facilitatorControl = await connectControlClient(suite.server.origin, facilitator.cookie, eventId);

    // Everyone is online: the split takes the present companies.
    for (const p of people) await p.page.locator('svg.diagram').waitFor();
    await expect.poll(async () => (await ask(facilitatorControl.socket, 'rooms:split', { eventId, size: 3 })).ok, { timeout: 10_000 }).toBe(true);
    const detail = (await facilitator.get(`/api/events/${eventId}`)).body as { rooms: Array<{ id: string; name: string }>; companies: Array<{ id: string; roomId: string }> };
    expect(detail.rooms).toHaveLength(2);
    rooms = detail.rooms.map((r) => ({ roomId: r.id, eventCompanyIds: detail.companies.filter((c) => c.roomId === r.id).map((c) => c.id) }));
    expect(rooms.map((r) => r.eventCompanyIds.length)).toEqual([3, 3]);

    // Each participant lands on their room's board without reloading: three companies' score marks.
    for (const p of people) {
      const room = detail.rooms.find((r) => rooms.find((x) => x.roomId === r.id)!.eventCompanyIds.includes(p.eventCompanyId))!;
      await expect.poll(() => p.page.locator('.room-name').textContent()).toBe(room.name);
      await expect.poll(() => p.page.locator('[data-element=customers] .score').count()).toBe(3);
    }
    // The theme is shown; uncovered elements are quieter.
    expect(await people[0]!.page.locator('.meetup-bar .theme').textContent()).toContain('顧客とデータ');
    expect(await people[0]!.page.locator('[data-element=brand].quiet, g.node.quiet').count()).toBeGreaterThan(0);
  });

  it('each company posts a card and scores in its own room; other companies see only that it scored', async () => {
    for (const [i, p] of people.entries()) {
      await p.page.click('[data-element=customers]');
      await p.page.fill('#card-draft', `${p.company}の気付き`);
      await p.page.click('form.composer button[type=submit]');
      await p.page.locator('fieldset.score-picker').first().locator('label.option', { hasText: String(i % 4) }).first().click();
    }
    for (const p of people) {
      const room = rooms.find((r) => r.eventCompanyIds.includes(p.eventCompanyId))!;
      // The cards of the three companies of this room, no others.
      await expect.poll(() => p.page.locator('li.card-item').count()).toBe(3);
      const texts = await p.page.locator('li.card-item .text').allTextContents();
      for (const other of people) expect(texts.includes(`${other.company}の気付き`)).toBe(room.eventCompanyIds.includes(other.eventCompanyId));
      // Hidden until revealed: the two others in the room show ✓, own value shows.
      await expect.poll(() => p.page.locator('[data-element=customers] .score', { hasText: '✓' }).count()).toBe(2);
    }
  });

  it('a step countdown started by the facilitator agrees in every browser within a second', async () => {
    await facilitatorPage.locator('.meetup-bar .controls button.primary').click();
    const readings = async () =>
      Promise.all(
        [facilitatorPage, ...people.map((p) => p.page)].map(async (page) => {
          const remaining = Number(await page.locator('.meetup-bar .countdown').getAttribute('data-remaining'));
          return remaining;
        }),
      );
    await expect.poll(async () => (await readings()).every((r) => r > 0)).toBe(true);
    const values = await readings();
    expect(Math.max(...values) - Math.min(...values)).toBeLessThan(1000);
    expect(await people[0]!.page.locator('.meetup-bar .step').textContent()).toContain('自己紹介');
  });

  it('a help request from a room reaches the facilitators', async () => {
    const asking = people[4]!;
    await asking.page.click('.meetup-bar button.help');
    await asking.page.fill('#help-text', '採点の基準が分かりません');
    await asking.page.click('.help-form button[type=submit]');
    await expect.poll(() => asking.page.locator('.meetup-bar .sent').count()).toBe(1);
    await expect.poll(() => facilitatorControl.last('help:requests')?.requests?.[0]?.text).toBe('採点の基準が分かりません');
  });

  it('revealing shows every company its room’s scores', async () => {
    await facilitatorPage.locator('.meetup-bar .controls button', { hasText: 'スコアを全体に公開' }).click();
    for (const p of people) {
      await expect.poll(() => p.page.locator('[data-element=customers] .score', { hasText: '✓' }).count()).toBe(0);
    }
    await people[0]!.page.screenshot({ path: `${SCREENSHOT_DIR}/meetup-board-1280.png` });
    await people[1]!.page.setViewportSize(PHONE);
    await people[1]!.page.screenshot({ path: `${SCREENSHOT_DIR}/meetup-board-390.png` });
  });

  it('in self-select mode an unseated company picks its room itself', async () => {
    const p = people[5]!;
    await p.page.setViewportSize(DESKTOP);
    expect((await ask(facilitatorControl.socket, 'meetup:settings', { eventId, roomMode: 'self-select' })).ok).toBe(true);
    const extra = await ask(facilitatorControl.socket, 'room:create', { eventId, name: 'ルーム 3' });
    expect((await ask(facilitatorControl.socket, 'company:move', { eventId, eventCompanyId: p.eventCompanyId, roomId: null })).ok).toBe(true);
    const choice = p.page.locator('.rooms li', { hasText: 'ルーム 3' });
    await choice.waitFor();
    await choice.locator('button').click();
    await expect.poll(() => p.page.locator('.room-name').textContent()).toBe('ルーム 3');
    const detail = (await facilitator.get(`/api/events/${eventId}`)).body as { companies: Array<{ id: string; roomId: string }> };
    expect(detail.companies.find((c) => c.id === p.eventCompanyId)?.roomId).toBe(extra.roomId);
  });
});
