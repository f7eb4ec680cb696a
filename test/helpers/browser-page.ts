// A page in its own browser context, signed in with a session cookie, in Japanese, collecting the
// page's uncaught errors: what every browser test opens.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP, signedInContext } from './browser.ts';

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Collects the page's uncaught errors (tests expect it to stay empty). */
  errors?: string[];
  /** Collects the context, for the test's afterAll to close. */
  contexts?: BrowserContext[];
}

export async function pageWithSession(browser: Browser, origin: string, cookie: string | undefined, options: PageOptions = {}): Promise<Page> {
  const viewport = options.viewport ?? DESKTOP;
  const context = cookie ? await signedInContext(browser, origin, cookie, viewport) : await browser.newContext({ viewport, locale: 'ja-JP' });
  options.contexts?.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => options.errors?.push(err.message));
  return page;
}
