// What every browser test file sets up: the built client (checked), a fresh database and a server
// that serves the client (serverPerFile), and Debian's Chromium; every page opened through it is
// closed after the file. Registers beforeAll/afterAll (a file's own hooks run after its set-up
// and before its tear-down); read the fields inside hooks and tests.
import { afterAll, beforeAll } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { serverPerFile, startTestServer, type TestServer } from './server.ts';
import { DESKTOP, SCREENSHOT_DIR, launchBrowser } from './browser.ts';
import { pageWithSession } from './browser-page.ts';
import { CLIENT_DIST } from '../../server/plugins/static-client.ts';

export interface BrowserSuiteOptions {
  /** The built file the tests need (the service worker for offline tests). */
  needs?: 'index.html' | 'sw.js';
  server?: Parameters<typeof startTestServer>[1];
}

export function browserSuite(options: BrowserSuiteOptions = {}) {
  const needs = options.needs ?? 'index.html';
  if (!existsSync(`${CLIENT_DIST}/${needs}`)) throw new Error(`client not built (no ${needs}): run "npm run build" (npm test does it first)`);
  const serverOptions = { serveClient: true, ...options.server };
  const live = serverPerFile(serverOptions);
  /** Set by startServer() after a restart; the file's server until then. */
  let restarted: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
    await browser?.close();
    await restarted?.close();
  });
  const server = () => restarted ?? live.server;
  return {
    get server(): TestServer {
      return server();
    },
    get db() {
      return live.db;
    },
    get browser(): Browser {
      return browser!;
    },
    /** Uncaught errors of every page opened through `page()` (tests expect none). */
    errors,
    /** Stops the server as a restart would (open pages stay); startServer() brings it back. */
    async stopServer(): Promise<void> {
      await server().close();
    },
    /** Starts the server again on the same port and database. */
    async startServer(): Promise<TestServer> {
      const port = Number(new URL(server().origin).port);
      restarted = await startTestServer(live.db.database, { ...serverOptions, port });
      return restarted;
    },
    /** A page in its own context, signed in with `cookie` (undefined: signed out), Japanese UI. */
    page(cookie: string | undefined, viewport = DESKTOP): Promise<Page> {
      return pageWithSession(browser!, server().origin, cookie, { viewport, errors, contexts });
    },
  };
}
