// The plenary's score table on a phone (390×844), walkthrough 14: three companies had scored 顧客,
// PR and データ; the table showed 理念 … 独自性 full of 「–」 and the scored columns began off-screen,
// to be found by scrolling sideways. On a phone the columns nobody scored are left out (named in a
// line under the table), so three scored elements and the subtotals fit beside the names (with
// more, the table scrolls beside its fixed names column as before); a hidden score (✓) keeps its
// column, and at 1280 every column stays.
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ask, connectControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();

describe('the plenary’s score table on a phone', () => {
  it('shows the scored columns beside the names without sideways scrolling', async () => {
    const facilitator = await setupFacilitator(suite.server.origin);
    const event = await createEvent(facilitator, '1月 オンライン交流会', 'meetup');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    const tanaka = await joinAs(suite.server.origin, event.joinCode, '田中', 'みどり本舗');
    const suzuki = await joinAs(suite.server.origin, event.joinCode, '鈴木', 'さくらEC');
    const control = await connectControlClient(suite.server.origin, facilitator.cookie, event.id);
    const scores = [
      [sato, 'data', 2],
      [tanaka, 'data', 3],
      [suzuki, 'customers', 2],
    ] as const;
    for (const [who, element, value] of scores) {
      expect(await ask(control.socket, 'score:set', { eventId: event.id, eventCompanyId: who.eventCompanyId, element, value })).toMatchObject({ ok: true });
    }
    // 鈴木 scores PR while the others' scores are hidden: 佐藤 sees a ✓ there, and its column stays.
    expect(await ask(control.socket, 'meetup:settings', { eventId: event.id, scoresHidden: true })).toMatchObject({ ok: true });
    const suzukiControl = await connectControlClient(suite.server.origin, suzuki.client.cookie, event.id);
    expect(await ask(suzukiControl.socket, 'score:set', { eventId: event.id, eventCompanyId: suzuki.eventCompanyId, element: 'pr', value: 1 })).toMatchObject({ ok: true });
    expect(await ask(control.socket, 'phase:set', { eventId: event.id, phase: 'plenary' })).toMatchObject({ ok: true });

    const phone = await suite.page(sato.client.cookie!, PHONE);
    await phone.goto(`${suite.server.origin}/events/${event.id}/board`);
    await phone.locator('[data-plenary]').waitFor();
    const shown = () =>
      phone.locator('.plenary-table thead th[data-column]').evaluateAll((ths) => ths.filter((th) => getComputedStyle(th).display !== 'none').map((th) => th.getAttribute('data-column')));
    await expect.poll(shown).toEqual(['customers', 'pr', 'data', 'inner', 'outer', 'total']);
    await expect.poll(() => phone.locator('.plenary-table td[data-element=pr] .hidden-scored').count()).toBe(1);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/plenary-phone-table-390.png` });

    const wrap = await phone.locator('.plenary .table-wrap').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(wrap.scroll).toBeLessThanOrEqual(wrap.client);
    // Every visible score cell lies inside the screen.
    const rights = await phone.locator('.plenary-table tbody td').evaluateAll((tds) => tds.filter((td) => getComputedStyle(td).display !== 'none').map((td) => td.getBoundingClientRect().right));
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    const note = phone.locator('[data-folded-note]');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toContain('理念、文化、思いやり、人材、独自性、ブランド、商品・サービス');

    // Sorting by a column keeps it, even one nobody scored; so does a spotlight on one.
    expect(await ask(control.socket, 'spotlight:set', { eventId: event.id, spotlight: { kind: 'element', element: 'people' } })).toMatchObject({ ok: true });
    await expect.poll(shown).toEqual(['people', 'customers', 'pr', 'data', 'inner', 'outer', 'total']);

    // At 1280 every element keeps its column and the line is not shown.
    const desktop = await suite.page(tanaka.client.cookie!, DESKTOP);
    await desktop.goto(`${suite.server.origin}/events/${event.id}/board`);
    await desktop.locator('[data-plenary]').waitFor();
    await expect.poll(() => desktop.locator('.plenary-table thead th[data-column]').evaluateAll((ths) => ths.filter((th) => getComputedStyle(th).display !== 'none').length)).toBe(13);
    expect(await desktop.locator('[data-folded-note]').isVisible()).toBe(false);
    control.socket.disconnect();
    suzukiControl.socket.disconnect();
    expect(suite.errors).toEqual([]);
  });
});
