// A company's document may hold card entries of any shape (its members write it with any client).
// One malformed entry shows as "unreadable"; the rest of the panel keeps working: the readable
// card with its server-recorded author, posting, and 共感.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import * as Y from 'yjs';
import type { Browser } from 'playwright-core';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DESKTOP, SCREENSHOT_DIR, launchBrowser } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../helpers/yjs-client.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';
import { docCards, newCard, newListItem, sheetDoing } from '../../shared/protocol/doc-shapes.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';

let testDb: TestDatabase;
let server: TestServer;
let browser: Browser;
let writer: WebsocketProvider | undefined;

beforeAll(async () => {
  if (!existsSync(`${CLIENT_DIST}/index.html`)) throw new Error('client not built: run "npm run build" (npm test does it first)');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  testDb = await createTestDatabase();
  server = await startTestServer(testDb.database, { serveClient: true });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  writer?.destroy();
  await browser?.close();
  await server?.close();
  await testDb?.drop();
});

describe('a malformed card in the browser', { timeout: 120_000 }, () => {
  it('renders as unreadable while the rest of the panel works', async () => {
    const facilitator = await setupFacilitator(server.origin);
    const event = await createEvent(facilitator);
    const alice = await joinAs(server.origin, event.joinCode, 'Alice', 'Acme通販');
    const carol = await joinAs(server.origin, event.joinCode, 'Carol', 'Beta本舗');

    // Alice's modified client writes one good card and three broken entries into her document.
    writer = connectProvider(server.wsOrigin, sheetDocName(alice.eventCompanyId), { cookie: alice.client.cookie, doc: new Y.Doc() });
    await whenSynced(writer);
    const cards = docCards(writer.doc);
    cards.set('good', newCard({ element: 'customers', text: 'きちんとしたカード' }));
    const numberText = new Y.Map<unknown>();
    cards.set('number-text', numberText);
    numberText.set('element', 'customers');
    numberText.set('text', 12345);
    const nestedText = new Y.Map<unknown>();
    cards.set('nested-text', nestedText);
    nestedText.set('element', 'customers');
    nestedText.set('text', new Y.Map());
    cards.set('not-a-map', 'just a string');
    // And worksheet entries out of shape: a bare string and an item repeating another's id.
    sheetDoing(writer.doc, 'customers').push([newListItem('item-1', '会員向けの誕生日メール', '毎月')]);
    (sheetDoing(writer.doc, 'customers') as unknown as Y.Array<unknown>).push(['junk']);
    sheetDoing(writer.doc, 'customers').push([newListItem('item-1', '同じ id')]);
    await eventually(() => expect(docCards(server.app.docs.peek(sheetDocName(alice.eventCompanyId))!.doc).size).toBe(4));

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' });
    const [name, value] = carol.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.origin }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.origin}/events/${event.id}/board`);
    await page.locator('svg.diagram').waitFor();
    await page.click('[data-element=customers]');

    // The good card, with the author the server recorded; the two broken ones as unreadable.
    await expect.poll(() => page.locator('li.card-item .text').allTextContents()).toContain('きちんとしたカード');
    const good = page.locator('li.card-item[data-card=good]');
    await expect.poll(() => good.locator('.meta strong').textContent()).toBe('Alice');
    await expect.poll(() => good.locator('.meta .company').textContent()).toBe('Acme通販');
    await expect.poll(() => page.locator('li.card-item.unreadable').count()).toBe(2);
    expect(await page.locator('li.card-item.unreadable').first().textContent()).toContain('読み取れません');

    // Alice's worksheet column: the readable item, and a note instead of the broken ones.
    const aliceColumn = page.locator(`section.column[data-company="${alice.eventCompanyId}"]`);
    await expect
      .poll(() => aliceColumn.locator('[data-list=doing] .item-text').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)))
      .toEqual(['会員向けの誕生日メール']);
    await expect.poll(() => aliceColumn.locator('[data-list=doing] .unreadable').textContent()).toContain('2');

    // The panel still works: post a card, react to the good one.
    await page.fill('#card-draft', 'Carol の気付き');
    await page.click('form.composer button[type=submit]');
    await expect.poll(() => page.locator('li.card-item .text').allTextContents()).toContain('Carol の気付き');
    await good.locator('button.react').click();
    await expect.poll(() => good.locator('button.react').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => good.locator('button.react').textContent()).toContain('1');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/malformed-card-1280.png`, fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });
});
