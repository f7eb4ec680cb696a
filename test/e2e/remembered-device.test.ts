// Back for the next session of a series from the same browser after the sign-in has expired: the
// join page knows the person (the device cookie) and fills in their name and company, says they
// join as that company, and the board opens without waiting for a facilitator.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { sessions, users } from '../../server/db/schema.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let seriesId: string;

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  seriesId = (await facilitator.post('/api/series', { title: '月例会' })).body.id;
}, 120_000);

async function newSession(title: string, date: string) {
  const created = await facilitator.post('/api/events', { title, date, seriesId });
  return (await facilitator.get(`/api/events/${created.body.id}`)).body as { id: string; joinCode: string };
}

describe('a participant’s browser remembered across sessions', { timeout: 120_000 }, () => {
  it('fills in the person and their company after the sign-in expired, and opens the board at once', async () => {
    const first = await newSession('1月 月例会', '2026-01-20');
    const page = await suite.page(undefined, PHONE);
    await page.goto(`${suite.server.origin}/join/${first.joinCode}`);
    await page.fill('#join-name', '佐藤');
    await page.fill('#join-company', '株式会社こはく');
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/events\/[0-9a-f-]{36}\/board$/);

    // A month later: the sign-in has expired (30 days unused).
    const db = suite.db.database.db;
    const [sato] = await db.select({ id: users.id }).from(users).where(eq(users.displayName, '佐藤'));
    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, sato!.id));

    const second = await newSession('2月 月例会', '2026-02-17');
    await page.goto(`${suite.server.origin}/join/${second.joinCode}`);
    await expect.poll(() => page.locator('#join-name').inputValue()).toBe('佐藤');
    await expect.poll(() => page.locator('#join-company').inputValue()).toBe('株式会社こはく');
    await expect.poll(() => page.locator('[data-join-returning]').textContent()).toContain('株式会社こはく');
    expect(await page.locator('[data-join-remembered]').textContent()).toContain('佐藤さん');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/join-remembered-390.png`, fullPage: true });
    await page.click('form button[type=submit]');
    await page.waitForURL(new RegExp(`/events/${second.id}/board$`));
    expect((await facilitator.get(`/api/events/${second.id}/join-requests`)).body).toEqual([]);
  });

  it('「別の人です」 on a shared computer forgets the remembered person and empties the form', async () => {
    const first = await newSession('3月 月例会', '2026-03-20');
    const page = await suite.page(undefined);
    await page.goto(`${suite.server.origin}/join/${first.joinCode}`);
    await page.fill('#join-name', '田中');
    await page.fill('#join-company', '田中物産');
    await page.click('form button[type=submit]');
    await page.waitForURL(/\/board$/);
    await page.context().clearCookies({ name: 'kizuki_session' });

    const second = await newSession('4月 月例会', '2026-04-17');
    await page.goto(`${suite.server.origin}/join/${second.joinCode}`);
    await expect.poll(() => page.locator('#join-name').inputValue()).toBe('田中');
    await page.locator('[data-join-remembered] button').click();
    await expect.poll(() => page.locator('#join-name').inputValue()).toBe('');
    expect(await page.locator('#join-company').inputValue()).toBe('');
    expect(await page.locator('[data-join-remembered]').count()).toBe(0);
    expect((await page.context().cookies()).some((c) => c.name === 'kizuki_device')).toBe(false);
    await page.reload();
    await expect.poll(() => page.locator('form button[type=submit]').count()).toBe(1);
    expect(await page.locator('#join-name').inputValue()).toBe('');
  });
});
