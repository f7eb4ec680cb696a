// 今すぐ全体共有へ sits beside ブレイクアウトを終了 in the console: from the breakout it asks first, since
// every room's screen switches at once and the agenda jumps to 全体共有 (going back leaves it there).
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let facilitator: ApiClient;

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

describe('今すぐ全体共有へ', { timeout: 120_000 }, () => {
  it('asks before moving everyone, and a cancel changes nothing', async () => {
    const event = await createEvent(facilitator, '確認つき全体共有', 'meetup');
    await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    const page = await suite.page(facilitator.cookie, DESKTOP);
    const asked: string[] = [];
    let accept = false;
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
    await page.goto(`${suite.server.origin}/events/${event.id}/console`);
    const phase = page.locator('.clock-wrap .phase-controls');
    await phase.getByRole('button', { name: '今すぐ全体共有へ' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('全体共有に移しますか');
    await new Promise((r) => setTimeout(r, 500));
    expect(await phase.getAttribute('data-phase')).toBe('breakout');

    accept = true;
    await phase.getByRole('button', { name: '今すぐ全体共有へ' }).click();
    await expect.poll(() => phase.getAttribute('data-phase')).toBe('plenary');
    // Back to the rooms asks nothing.
    await phase.getByRole('button', { name: 'ブレイクアウトに戻る' }).click();
    await expect.poll(() => phase.getAttribute('data-phase')).toBe('breakout');
    expect(asked).toHaveLength(2);
  });
});
