// Two sessions of one series, in Chromium (issue 9): the facilitator creates them in a series from
// the events page; a company fills session 1 (a worksheet line, a take-home action, a score), finds
// its worksheet carried into session 2 with the 「前回から引き継ぎ」 mark, reviews last time's
// action and carries it over, scores again, and reads its trend on its company page.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { joinApproved, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let facilitator: ApiClient;

function pageAs(cookie: string, viewport = DESKTOP): Promise<Page> {
  return suite.page(cookie, viewport);
}

/** Creates an event from the events page, in a new series. */
async function createSession(page: Page, title: string, date: string, series: { newTitle: string }): Promise<string> {
  await page.goto(`${suite.server.origin}/events`);
  await page.fill('#event-title', title);
  await page.fill('#event-date', date);
  await page.selectOption('#event-series-select', 'new');
  await page.fill('#event-series-title', series.newTitle);
  await page.click('form button[type=submit]');
  await page.waitForURL(/\/events\/[0-9a-f-]{36}$/);
  return page.url().split('/').at(-1)!;
}

async function joinCodeOf(eventId: string): Promise<string> {
  return (await facilitator.get(`/api/events/${eventId}`)).body.joinCode as string;
}

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

describe('two sessions of one series', { timeout: 120_000 }, () => {
  it('carries the worksheet and the open action into session 2, and shows the trend', async () => {
    const admin = await pageAs(facilitator.cookie!);
    const first = await createSession(admin, '1月 定例会', '2026-01-20', { newTitle: 'JCRM 定例会 2026' });

    // Session 1: the company writes a line, decides an action, scores.
    const sato = await joinAs(suite.server.origin, await joinCodeOf(first), '佐藤', '青空通販');
    const one = await pageAs(sato.client.cookie!);
    await one.goto(`${suite.server.origin}/events/${first}/board`);
    await one.click('[data-element=customers]');
    const column = one.locator('section.column').first();
    await column.locator('[data-list=doing] button.add').click();
    await column.locator('[data-list=doing] .item-text:not([readonly])').last().fill('会員制度');
    // A colleague of the same company has the board open: the action reaches it without a reload.
    const colleague = new ApiClient(suite.server.origin);
    expect((await colleague.post('/api/join', { code: await joinCodeOf(first), displayName: '鈴木', eventCompanyId: sato.eventCompanyId })).status).toBe(201);
    const beside = await pageAs(colleague.cookie!);
    await beside.goto(`${suite.server.origin}/events/${first}/board`);
    await beside.click('[data-element=customers]');
    await beside.locator('[data-actions=customers]').waitFor();
    const actions = one.locator('[data-actions=customers]');
    await actions.locator('input').first().fill('紹介率を毎月見る');
    await actions.locator('button[type=submit]').click();
    await expect.poll(() => actions.locator('li .text').allTextContents()).toEqual(['紹介率を毎月見る']);
    await expect.poll(() => beside.locator('[data-actions=customers] li .text').allTextContents()).toEqual(['紹介率を毎月見る']);
    const dataPath = `/api/events/${first}/companies/${sato.eventCompanyId}/actions`;
    expect((await sato.client.post(dataPath, { element: 'data', text: 'RFM を試す' })).status).toBe(201);
    await one.locator('fieldset.score-picker').first().locator('label.option', { hasText: '1' }).first().click();
    await expect.poll(() => one.locator('.connection').textContent()).toContain('保存済み');

    // An event made without a series is put into it afterwards, from its event page.
    await admin.goto(`${suite.server.origin}/events`);
    await admin.fill('#event-title', '臨時の会');
    await admin.fill('#event-date', '2026-02-01');
    await admin.click('form button[type=submit]');
    await admin.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    const extra = admin.url().split('/').at(-1)!;
    await admin.selectOption('#admin-series-select', { label: 'JCRM 定例会 2026' });
    await admin.locator('form.series-setting button[type=submit]').click();
    await expect.poll(async () => (await facilitator.get(`/api/events/${extra}`)).body.series?.title).toBe('JCRM 定例会 2026');
    await expect.poll(() => admin.locator('.series-name').textContent()).toContain('JCRM 定例会 2026');
    // Back out of it (so the two-session story below stays two sessions).
    await admin.selectOption('#admin-series-select', '');
    await admin.locator('form.series-setting button[type=submit]').click();
    await expect.poll(async () => (await facilitator.get(`/api/events/${extra}`)).body.series).toBeNull();

    // The events list says which series a session is in and how many companies took part.
    await admin.goto(`${suite.server.origin}/events`);
    const firstItem = admin.locator('ul.events li', { has: admin.locator(`a[href="/events/${first}"]`) });
    await expect.poll(() => firstItem.locator('.series').textContent()).toContain('JCRM 定例会 2026');
    expect(await firstItem.locator('.meta').textContent()).toContain('1社');

    // Session 2 of the same series, from session 1's 「次の回を作る」: kind and series come along.
    await admin.goto(`${suite.server.origin}/events/${first}`);
    await admin.click('a[data-next-session]');
    await admin.waitForURL(/\/events\?next=/);
    await expect.poll(() => admin.locator('[data-following]').textContent()).toContain('「1月 定例会」の次の回');
    const seriesId = (await facilitator.get(`/api/events/${first}`)).body.series.id as string;
    await expect.poll(() => admin.locator('#event-series-select').inputValue()).toBe(seriesId);
    expect(await admin.locator('#event-date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await admin.locator('#event-title').evaluate((el) => el === document.activeElement)).toBe(true);
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/series-next-session-1280.png` });
    await admin.fill('#event-title', '2月 定例会');
    await admin.fill('#event-date', '2026-02-17');
    await admin.click('form button[type=submit]');
    await admin.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    const second = admin.url().split('/').at(-1)!;
    expect((await facilitator.get(`/api/events/${second}`)).body.series.id).toBe(seriesId);
    // Back from the same browser: the join page has the company typed in and says it is the same
    // company as last time, not a new one (the choice reads 「一覧にない（新しく登録する）」).
    const returning = await pageAs(sato.client.cookie!);
    await returning.goto(`${suite.server.origin}/join/${await joinCodeOf(second)}`);
    await expect.poll(() => returning.locator('#join-company').inputValue()).toBe('青空通販');
    await expect.poll(() => returning.locator('[data-join-returning]').textContent()).toContain('前回と同じ「青空通販」');
    // From a new browser instead: the company's first person in this session is approved by the facilitator.
    const again = await joinApproved(suite.server.origin, facilitator, { id: second, joinCode: await joinCodeOf(second) }, '佐藤', '青空通販');
    const two = await pageAs(again.client.cookie!);
    await two.goto(`${suite.server.origin}/events/${second}/board`);
    await expect.poll(() => two.locator('[data-carried-over]').textContent()).toContain('1月 定例会');
    // The console counts this session's work: the carried sheet left as it was is 0/10.
    await admin.goto(`${suite.server.origin}/events/${second}/console`);
    const satoRow = admin.locator(`tr[data-company="${again.eventCompanyId}"]`);
    await expect.poll(() => satoRow.locator('[data-progress=worksheet]').textContent(), { timeout: 20_000 }).toBe('0/10');
    // Dates read as everywhere else in the UI (「2026年1月20日(火)」), not as 2026-01-20.
    await expect.poll(() => two.locator('[data-carried-over]').textContent()).toContain('2026年1月20日(火)');
    await two.click('[data-element=customers]');
    await expect
      .poll(() => two.locator('section.column').first().locator('[data-list=doing] .item-text:not([readonly])').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)))
      .toEqual(['会員制度']);
    const review = two.locator('[data-action-review]');
    const open = (text: string) => review.locator('ul').first().locator('li', { hasText: text });
    await expect.poll(() => review.locator('ul').first().locator('li .text').allTextContents()).toEqual(['紹介率を毎月見る', 'RFM を試す']);
    await two.screenshot({ path: `${SCREENSHOT_DIR}/series-session2-1280.png` });
    // A double click carries it once: the buttons wait for the first request.
    await open('紹介率を毎月見る').locator('button[data-review=carry]').dblclick();
    // やめる by mistake: the review's record (folded) puts it back.
    await open('RFM を試す').locator('button[data-review=drop]').click();
    await expect.poll(() => review.locator('button[data-review=carry]').count()).toBe(0);
    const record = review.locator('[data-reviewed]');
    await expect.poll(() => record.locator('summary').textContent()).toBe('前回のアクションの結果：完了 0・引き継ぎ 1・やめた 1');
    await record.locator('summary').click();
    expect(await record.locator('li[data-status=carried] button').count()).toBe(0);
    await record.locator('li[data-status=dropped] button[data-review=reopen]').click();
    await expect.poll(() => open('RFM を試す').locator('button[data-review=done]').count()).toBe(1);
    await expect.poll(() => record.locator('summary').textContent()).toBe('前回のアクションの結果：完了 0・引き継ぎ 1・やめた 0');
    await open('RFM を試す').locator('button[data-review=done]').click();
    await expect.poll(() => review.locator('button[data-review=carry]').count()).toBe(0);
    await two.screenshot({ path: `${SCREENSHOT_DIR}/series-session2-reviewed-1280.png` });
    await expect.poll(() => two.locator('[data-actions=customers] li .text').allTextContents()).toEqual(['紹介率を毎月見る']);
    // Reworded on the board (an action made from a card keeps the card's words until then).
    const carriedItem = two.locator('[data-actions=customers] li').first();
    await carriedItem.locator('button[data-edit-action]').click();
    await carriedItem.locator('form.edit input').fill('紹介率を毎月見る（月初の会議で）');
    await carriedItem.locator('form.edit input').press('Enter');
    await expect.poll(() => two.locator('[data-actions=customers] li .text').allTextContents()).toEqual(['紹介率を毎月見る（月初の会議で）']);
    const carriedHere = (await again.client.get(`/api/events/${second}/companies/${again.eventCompanyId}/actions`)).body.actions;
    expect(carriedHere).toHaveLength(1);
    // While scoring again, last time's score stands beside the picker (PDCA: check).
    await expect.poll(() => two.locator('fieldset.score-picker').first().locator('[data-previous-score]').textContent()).toBe('（前回: 1）');
    await two.locator('fieldset.score-picker').first().locator('label.option', { hasText: '3' }).first().click();
    await expect.poll(() => two.locator('.connection').textContent()).toContain('保存済み');

    // The company page: both sessions, the trend (顧客 1 → 3).
    await two.click('a.company-link');
    await two.waitForURL(/\/companies\/[0-9a-f-]{36}\?event=[0-9a-f-]{36}$/);
    await expect.poll(() => two.locator('[data-session]').count()).toBe(2);
    expect(await two.locator('[data-session]').first().textContent()).toContain('2026年2月17日(火)');
    expect(await two.locator('table thead').first().textContent()).toContain('2026年1月20日(火)');
    const row = two.locator('tr[data-element=customers]');
    await expect.poll(() => row.locator('td').allTextContents()).toEqual(['1', '3', '▲ +2']);
    await two.locator('.trend-chart canvas').waitFor();
    await two.screenshot({ path: `${SCREENSHOT_DIR}/series-company-1280.png`, fullPage: true });
    const phone = await pageAs(again.client.cookie!, PHONE);
    await phone.goto(two.url());
    await expect.poll(() => phone.locator('tr[data-element=customers] td').allTextContents()).toEqual(['1', '3', '▲ +2']);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/series-company-390.png`, fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // The facilitator's view of the series: sessions × companies, from the event page's series link.
    await admin.goto(`${suite.server.origin}/events/${second}`);
    await admin.click('[data-series-link]');
    await admin.waitForURL(new RegExp(`/series/${seriesId}$`));
    const aozora = admin.locator('tr[data-company="青空通販"]');
    await expect.poll(() => aozora.locator('td.attended').textContent()).toBe('2/2');
    expect(await aozora.locator(`td[data-cell="${second}"]`).textContent()).toMatch(/3\.0\s*1項目/);
    expect(await admin.locator('thead th[data-session]').allTextContents()).toEqual([
      expect.stringContaining('1月 定例会'),
      expect.stringContaining('2月 定例会'),
    ]);
    expect(await admin.locator('a[data-next-session]').getAttribute('href')).toBe(`/events?next=${second}`);
    // The tab names the series, and a company's page names the company.
    expect(await admin.title()).toBe('JCRM 定例会 2026 — Kizuki');
    await admin.screenshot({ path: `${SCREENSHOT_DIR}/series-overview-1280.png`, fullPage: true });
    const phoneAdmin = await pageAs(facilitator.cookie!, PHONE);
    await phoneAdmin.goto(admin.url());
    await phoneAdmin.locator('table[data-series-table]').waitFor();
    expect(await phoneAdmin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phoneAdmin.screenshot({ path: `${SCREENSHOT_DIR}/series-overview-390.png`, fullPage: true });
    // …and from the events list; a company's name opens its page, which links back.
    await admin.goto(`${suite.server.origin}/events`);
    await admin.locator(`.series[data-series="${seriesId}"] a`).first().click();
    await admin.waitForURL(new RegExp(`/series/${seriesId}$`));
    await admin.locator('tr[data-company="青空通販"] th a').click();
    await admin.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    await expect.poll(() => admin.locator('a[data-series-overview]').getAttribute('href')).toBe(`/series/${seriesId}`);
    expect(await admin.title()).toBe('青空通販 — Kizuki');

    // The report to take home: A4 print layout, and its downloads.
    const report = await pageAs(again.client.cookie!, { width: 794, height: 1123 });
    await report.goto(`${suite.server.origin}/events/${second}/board`);
    await report.click('a.report-link');
    await report.waitForURL(/\/report$/);
    await expect.poll(() => report.locator('.report section.element[data-element=customers] li').allTextContents()).toEqual(
      expect.arrayContaining(['会員制度', expect.stringContaining('紹介率を毎月見る')]),
    );
    // The session's date reads as in the rest of the UI, not as 2026-02-17.
    expect(await report.locator('.report').textContent()).toContain('2月 定例会（2026年2月17日(火)）');
    await report.emulateMedia({ media: 'print' });
    expect(await report.locator('.toolbar').isVisible()).toBe(false);
    expect(await report.locator('header.shell-header').isVisible()).toBe(false);
    await report.screenshot({ path: `${SCREENSHOT_DIR}/series-report-a4.png`, fullPage: true });
    const md = await report.request.get(`${suite.server.origin}${await report.locator('a[data-download=md]').getAttribute('href')}`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain('- 会員制度');
    const csv = await report.request.get(`${suite.server.origin}${await report.locator('a[data-download=csv]').getAttribute('href')}`);
    expect(csv.headers()['content-type']).toContain('text/csv');

    // The page and its downloads follow the UI language.
    await report.emulateMedia({ media: 'screen' });
    await report.evaluate(() => localStorage.setItem('kizuki.locale', 'en'));
    await report.reload();
    const customers = report.locator('.report section.element[data-element=customers]');
    await expect.poll(() => customers.locator('h2').textContent()).toContain('Customers');
    expect(await customers.locator('h3').allTextContents()).toContain('Already doing (and how often)');
    expect(await report.locator('.report').getAttribute('lang')).toBe('en');
    expect(await report.locator('.report').textContent()).not.toMatch(/出来ている|出来ていない|持ち帰り|未記入|記入なし|目標イメージ|スコア|内枠|外枠/);
    await report.screenshot({ path: `${SCREENSHOT_DIR}/series-report-en.png`, fullPage: true });
    const enMd = await report.request.get(`${suite.server.origin}${await report.locator('a[data-download=md]').getAttribute('href')}`);
    expect(await enMd.text()).toContain('## By element');

    // The guide explains what carries from one session of a series to the next.
    const guide = await pageAs(again.client.cookie!);
    await guide.goto(`${suite.server.origin}/help`);
    await expect.poll(() => guide.locator('section[aria-labelledby=help-series]').textContent()).toContain('前回から引き継ぎ');
    expect(await guide.locator('section[aria-labelledby=help-series]').textContent()).toContain('前回の持ち帰りの見直し');

    // On a phone the sheet gives the text the width: nothing scrolls sideways but the score table.
    await report.setViewportSize(PHONE);
    await expect.poll(() => report.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const cell = await report.locator('.scores thead th').nth(1).boundingBox();
    expect(cell!.width).toBeGreaterThan(50); // a company name is not squeezed to a letter a line
    await report.screenshot({ path: `${SCREENSHOT_DIR}/series-report-390.png`, fullPage: true });
    expect(suite.errors).toEqual([]);
  });
});
