// The facilitator's list of join requests says which request would bring a company into the
// session: a claim of a company with records from other sessions waits (company-history) and
// adds nothing until approved, while a request for a company already here (a locked session) is
// only a new member. Approving the first brings the company onto the event page.
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { joinAs, seriesWithHistory, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let eventId: string;
let facilitator: ApiClient;

beforeAll(async () => {
  const origin = suite.server.origin;
  facilitator = await setupFacilitator(origin);
  const { february } = await seriesWithHistory(origin, facilitator, 'さくらコスメ');
  eventId = february.id;
  await joinAs(origin, february.joinCode, '山田', '山田商店');
  // さくらコスメ has January's records: a stranger's claim of it waits, and the company is not in February yet.
  const claim = await new ApiClient(origin).post('/api/join', { code: february.joinCode, displayName: '見知らぬ人', companyName: 'さくらコスメ' });
  expect(claim.status).toBe(202);
  expect(claim.body.eventCompanyId).toBeNull();
  // Then February is locked: a newcomer for 山田商店 (already here) waits too.
  expect((await facilitator.patch(`/api/events/${february.id}`, { companiesLocked: true })).status).toBe(200);
  const late = await new ApiClient(origin).post('/api/join', { code: february.joinCode, displayName: '高橋', companyName: '山田商店' });
  expect(late.status).toBe(202);
  expect(late.body.eventCompanyId).not.toBeNull();
}, 120_000);

describe('join requests on the event page', { timeout: 120_000 }, () => {
  it('mark the request whose approval brings a company into the session, and approving brings it', async () => {
    const page = await suite.page(facilitator.cookie, DESKTOP);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${suite.server.origin}/events/${eventId}`);
    const stranger = page.locator('[data-request]', { hasText: '見知らぬ人' });
    const newcomer = page.locator('[data-request]', { hasText: '高橋' });
    await stranger.waitFor();
    await newcomer.waitFor();
    expect(await stranger.locator('[data-new-company]').textContent()).toBe('この会に未参加の会社');
    expect(await stranger.locator('[data-new-company]').getAttribute('title')).toBe('承認すると、この会社がこの会に加わります');
    expect(await newcomer.locator('[data-new-company]').count()).toBe(0);
    expect(await page.locator('article.company', { hasText: 'さくらコスメ' }).count()).toBe(0);
    for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]] as const) {
      await page.setViewportSize(viewport);
      await newcomer.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOT_DIR}/join-request-new-company-${label}.png` });
      await noHorizontalScroll(page);
    }
    await page.setViewportSize(DESKTOP);
    await stranger.locator('button[data-approve]').click();
    await page.locator('article.company', { hasText: 'さくらコスメ' }).waitFor();
    await expect.poll(() => page.locator('[data-request]').count()).toBe(1);
  });
});
