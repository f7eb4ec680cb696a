// A worksheet edit made while the document's connection is down, in an event a facilitator closes
// meanwhile: the control socket hears of the close first, so the board reopens the worksheet
// read-only before the edit ever reaches the server (which would refuse it). The board must
// still say the edit was not saved, not drop it silently (the order the CI's PostgreSQL run hit).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { DESKTOP } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let eventId: string;
let alice: Page;
/** While true, the page's document sockets are cut (its control socket stays up). */
let cut = false;
const open = new Set<WebSocketRoute>();

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  const event = await createEvent(facilitator);
  eventId = event.id;
  const a = await joinAs(suite.server.origin, event.joinCode, 'Alice', '青空通販');
  alice = await suite.page(a.client.cookie!, DESKTOP);
  await alice.routeWebSocket(/\/yjs\//, (ws) => {
    if (cut) return void ws.close();
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  await alice.goto(`${suite.server.origin}/events/${eventId}/board`);
  await alice.locator('.connection[data-status=online]').waitFor({ timeout: 15_000 });
}, 120_000);

describe('an event closed while a worksheet edit waits to be sent', { timeout: 120_000 }, () => {
  it('says the edit was not saved, though the server never saw it', async () => {
    await alice.click('[data-element=products]');
    const memo = alice.locator('section.column').first().locator('textarea').last();
    await memo.waitFor();
    cut = true;
    for (const ws of [...open]) await ws.close();
    await memo.fill('閉じた後に届くはずだったメモ');
    await alice.waitForTimeout(300);

    expect((await facilitator.post(`/api/events/${eventId}/close`)).status).toBe(200);
    // The control socket brings the close: the board turns read-only before any document reconnects.
    await expect.poll(() => alice.locator('.banner').allTextContents(), { timeout: 15_000 }).toContain('この勉強会は終了しました（閲覧のみ）');
    cut = false;
    await expect.poll(() => alice.locator('[data-notice]').getAttribute('data-notice'), { timeout: 15_000 }).toBe('writeRefusedClosed');
    expect(await alice.locator('[data-notice]').textContent()).toContain('この会は終了したため');
    // And the worksheet shows what the server holds.
    await expect.poll(() => alice.locator('section.column').first().locator('textarea').last().inputValue()).toBe('');
  });
});
