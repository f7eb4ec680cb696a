// A phone on the venue's Wi-Fi opens Kizuki over plain http (HOST=0.0.0.0, http://192.168.…),
// which is no secure context: crypto.randomUUID() does not exist there, and adding a worksheet line
// or posting a 気付き card failed silently. The page here runs without that function, as such a
// phone does (the test server itself is on loopback, which Chromium counts as secure).
import { describe, expect, it } from 'vitest';
import { PHONE } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { browserSuite } from '../helpers/browser-suite.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';

const suite = browserSuite();

describe('a phone on plain http (no secure context), in a one-room 勉強会', { timeout: 120_000 }, () => {
  it('adds a worksheet line and posts a 気付き card', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '会場Wi-Fiの勉強会');
    const phone = await joinAs(suite.server.origin, event.joinCode, '小林', '会場商店');
    const page = await suite.page(phone.client.cookie, PHONE);
    await page.context().addInitScript(() => {
      // What an insecure context lacks.
      delete (Crypto.prototype as { randomUUID?: unknown }).randomUUID;
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${suite.server.origin}/events/${event.id}/board`);
    await page.locator('svg.diagram').waitFor();
    expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe('undefined');

    await page.click('[data-element=customers]');
    const mine = page.locator('section.column').first();
    await mine.locator('[data-list=doing] button.add').click();
    await mine.locator('[data-list=doing] .item-text:not([readonly])').last().fill('会員制度');
    await page.fill('#card-draft', 'スマホから投稿');
    await page.click('form.composer button[type=submit]');
    await expect.poll(() => page.locator('li.card-item .text').allTextContents()).toEqual(['スマホから投稿']);
    await expect.poll(() => mine.locator('[data-list=doing] .item-text:not([readonly])').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['会員制度']);
    // The card id is a UUID like any other, and the server has it.
    const ids = await page.locator('li.card-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-card-id')));
    for (const id of ids.filter(Boolean)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await expect.poll(async () => (await facilitator.get(`/api/events/${event.id}/companies/${phone.eventCompanyId}/report`)).body.elements.find((e: { element: string }) => e.element === 'customers').cards).toEqual(['スマホから投稿']);
    // The plenary of this one-room 勉強会: no room tags or room filter (only with several rooms).
    const control = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);
    expect((await ask(control.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).ok).toBe(true);
    control.socket.disconnect();
    await page.locator('[data-plenary]').waitFor();
    await expect.poll(() => page.locator('[data-plenary] [data-card]').count()).toBe(1);
    expect(await page.locator('[data-filter=room]').count()).toBe(0);
    expect(await page.locator('[data-plenary] .room').count()).toBe(0);
    expect(await page.locator('[data-filter=company]').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
