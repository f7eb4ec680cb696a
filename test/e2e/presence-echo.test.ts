// A board in a real browser sends the server its own presence only. The stock y-websocket provider
// sends back every presence change it receives (everyone's): in a plenary of 40 each cursor move
// came back to the server 39 times. Here a colleague's presence changes several times and then
// leaves, and nothing of it comes back from the browser.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import type { Browser } from 'playwright-core';
import { serverPerTest } from '../helpers/server.ts';
import { launchBrowser, signedInContext } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { eventually, whenSynced } from '../helpers/yjs-client.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';
import { SyncedDoc, type DocConnection } from '../../server/sync/synced-doc.ts';
import { MessageType } from '../../server/sync/y-messages.ts';
import { parseAwarenessUpdate } from '../../server/sync/awareness-check.ts';
import { sheetDocName } from '../../shared/protocol/doc-names.ts';

const live = serverPerTest({ serveClient: true });
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${CLIENT_DIST}/index.html`)) throw new Error('client not built: run "npm run build" (npm test does it first)');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await browser?.close();
});

it('the board sends only its own presence, not the colleagues\' it receives', { timeout: 60_000 }, async () => {
  const { server } = live;
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const sato = await joinAs(server.origin, event.joinCode, '佐藤', '青空通販');
  const suzuki = await joinAs(server.origin, event.joinCode, '鈴木', '青空通販');
  const sheet = sheetDocName(sato.eventCompanyId);

  // Every awareness entry the server reads, by the user whose connection sent it.
  const received: Array<{ userId: string | undefined; clientId: number }> = [];
  const handle = SyncedDoc.prototype.handleMessage;
  vi.spyOn(SyncedDoc.prototype, 'handleMessage').mockImplementation(function (this: SyncedDoc, conn: DocConnection, message: Uint8Array) {
    const decoder = decoding.createDecoder(message);
    if (this.name === sheet && decoding.readVarUint(decoder) === MessageType.Awareness) {
      for (const { clientId } of parseAwarenessUpdate(decoding.readVarUint8Array(decoder))) received.push({ userId: conn.owner?.userId, clientId });
    }
    return handle.call(this, conn, message);
  });

  const context = await signedInContext(browser, server.origin, sato.client.cookie!);
  const page = await context.newPage();
  await page.goto(`${server.origin}/events/${event.id}`);
  // The browser's board has the company's worksheet open.
  await eventually(() => expect(server.app.docs.peek(sheet)?.connectionCount).toBe(1), 20_000);

  const colleague = live.open(sheet, suzuki.client.cookie);
  await whenSynced(colleague);
  for (let i = 0; i < 5; i++) colleague.awareness.setLocalStateField('user', { name: '鈴木', i });
  await eventually(() => expect(server.app.docs.peek(sheet)?.awareness.getStates().get(colleague.doc.clientID)).toMatchObject({ user: { i: 4 } }));
  colleague.disconnect();
  await eventually(() => expect(server.app.docs.peek(sheet)?.awareness.getStates().has(colleague.doc.clientID)).toBe(false));
  // A stock provider's echo arrives within milliseconds; give the browser ample time.
  await new Promise((r) => setTimeout(r, 1500));

  expect(received.filter((r) => r.userId === suzuki.userId && r.clientId === colleague.doc.clientID).length).toBeGreaterThanOrEqual(5);
  expect(received.filter((r) => r.userId === sato.userId && r.clientId === colleague.doc.clientID)).toEqual([]);
  await context.close();
});
