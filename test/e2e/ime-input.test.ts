// Worksheet fields in a real browser, beyond plain typing: Japanese IME composition (only the
// committed text is shared, and a remote edit arriving mid-composition is kept without breaking
// it), rights that change while the board is open, and a mangled link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { WebsocketProvider } from 'y-websocket';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DESKTOP, launchBrowser } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../helpers/yjs-client.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { newListItem, sheetDoing, sheetMemo } from '../../shared/protocol/doc-shapes.ts';

let testDb: TestDatabase;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let facilitator: ApiClient;
let eventId: string;
let companyId: string;
let remote: WebsocketProvider;

beforeAll(async () => {
  if (!existsSync(`${CLIENT_DIST}/index.html`)) throw new Error('client not built: run "npm run build" (npm test does it first)');
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database, { serveClient: true });
  browser = await launchBrowser();
  facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  const participant = await joinAs(server.origin, event.joinCode, '佐藤', '青空通販');
  companyId = participant.eventCompanyId;
  context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' });
  const [name, value] = participant.client.cookie!.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.origin }]);
  page = await context.newPage();
  // The same worksheet from another device (the facilitator, who may write to it too).
  remote = connectProvider(server.wsOrigin, sheetDocName(companyId), { cookie: facilitator.cookie });
  await whenSynced(remote);
}, 120_000);

afterAll(async () => {
  remote?.destroy();
  await context?.close().catch(() => {});
  await browser?.close();
  await server?.close();
  await testDb?.drop();
});

describe('worksheet fields in the browser', { timeout: 60_000 }, () => {
  it('an IME composition shares only the committed text and keeps a remote edit made meanwhile', async () => {
    await page.goto(`${server.origin}/events/${eventId}/board`);
    await page.click('[data-element=customers]');
    const memo = page.locator(`#memo-${companyId}`);
    await memo.waitFor();
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('online');

    const memoText = sheetMemo(remote.doc, 'customers');
    memoText.insert(0, 'メモ');
    await expect.poll(() => memo.inputValue()).toBe('メモ');
    const seen: string[] = [];
    memoText.observe(() => seen.push(memoText.toString()));

    // Chrome's order: compositionstart, input events with isComposing, compositionend.
    const compose = (value: string) =>
      memo.evaluate((el: HTMLTextAreaElement, v) => {
        el.value = `メモ${v}`;
        el.setSelectionRange(el.value.length, el.value.length);
        el.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: v }));
      }, value);
    await memo.focus();
    await memo.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(2, 2));
    await memo.evaluate((el) => el.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' })));
    await compose('き');
    await compose('きづ');

    // A remote edit lands mid-composition; the new list item (same transaction) shows it arrived.
    remote.doc.transact(() => {
      memoText.insert(0, '共有: ');
      sheetDoing(remote.doc, 'customers').push([newListItem('sentinel', '届いた')]);
    });
    await expect.poll(() => page.locator('[data-list=doing] .item-text:not([readonly])').count()).toBe(1);
    // The field was left alone, so the composition is intact.
    expect(await memo.inputValue()).toBe('メモきづ');

    await compose('きづき');
    await compose('気付き');
    await memo.evaluate((el) => el.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '気付き' })));

    await eventually(() => expect(memoText.toString()).toBe('共有: メモ気付き'));
    expect(await memo.inputValue()).toBe('共有: メモ気付き');
    // The caret follows the committed text.
    expect(await memo.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe('共有: メモ気付き'.length);
    // No intermediate kana ever reached the shared document.
    expect(seen.filter((s) => /[きづ]/.test(s))).toEqual(['共有: メモ気付き']);

    // Plain typing afterwards still goes through.
    await memo.press('End');
    await memo.pressSequentially('!');
    await eventually(() => expect(memoText.toString()).toBe('共有: メモ気付き!'));
  });

  it('a 気付き card is made an action once: a double press makes one, and the card then says so', async () => {
    await page.click('[data-element=customers]');
    await page.fill('#card-draft', '紹介率を毎月見る');
    await page.click('.composer button[type=submit]');
    const card = page.locator('.card-item', { hasText: '紹介率を毎月見る' });
    await card.locator('[data-make-action]').dblclick();
    await card.locator('[data-made-action]').waitFor();
    const actions = await facilitator.get(`/api/events/${eventId}/companies/${companyId}/actions`);
    expect(actions.body.actions.filter((a: { text: string }) => a.text === '紹介率を毎月見る')).toHaveLength(1);
    expect(await card.locator('[data-make-action]').count()).toBe(0);
  });

  it('moving the company to another room names the room in the sticky head and reconnects its documents', async () => {
    const room = await facilitator.post(`/api/events/${eventId}/rooms`, { name: 'ルームB' });
    expect(room.status).toBe(201);
    const moved = await facilitator.patch(`/api/events/${eventId}/companies/${companyId}`, { roomId: room.body.id });
    expect(moved.status).toBe(200);
    // The notice names the room (it is not a rights change) and stays in view wherever one scrolled.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const notice = page.locator('[data-moved-to]');
    await expect.poll(() => notice.getAttribute('data-moved-to')).toBe('ルームB');
    expect(await notice.textContent()).toContain('「ルームB」に移動しました');
    expect(await page.locator('[data-notice=accessChanged]').count()).toBe(0);
    const box = await notice.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    await page.waitForTimeout(500);
    // The server closed the sockets (access changed): they come back with the new rights.
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('online');
  });

  it('closing the event makes the worksheet read-only without a page reload', async () => {
    const memo = page.locator(`#memo-${companyId}`);
    await page.click('[data-element=customers]');
    expect(await memo.evaluate((el: HTMLTextAreaElement) => el.readOnly)).toBe(false);
    expect((await facilitator.post(`/api/events/${eventId}/close`)).status).toBe(200);
    await expect.poll(() => memo.evaluate((el: HTMLTextAreaElement) => el.readOnly)).toBe(true);
    await expect.poll(() => page.locator('p.banner.muted').count()).toBe(1);
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status'), { timeout: 15_000 }).toBe('online');
  });

  it('navigating to a mangled link (bad percent escape) shows the not-found page with a way back, not a blank one', async () => {
    // (Loaded directly, such a URL is refused by the server; this is the in-app navigation path.)
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.origin}/`);
    await page.locator('input.code-input').waitFor();
    await page.evaluate(() => {
      history.pushState(null, '', '/join/%E0%A4%A');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.locator('[data-not-found]').waitFor();
    expect(errors).toEqual([]);
    await page.locator('[data-not-found] a[href="/"]').click();
    await page.locator('input.code-input').waitFor();
  });
});
