// Errors people can read, in Chromium: a mangled link opens the app's "page not found" page (not
// Fastify's JSON) with a way back, and the join form with a 61-character name keeps what was typed
// and says, in Japanese, that names are at most 60 characters; a lost connection says what to do.
// The start page refuses a code that cannot be one where it was typed (and an anonymous visit logs
// no error in the console); the join page points a new company's name at the existing company
// spelt differently (「ＡＢＣ商事」 for 「ABC商事」).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let event: { id: string; joinCode: string };
let facilitator: ApiClient;

const newPage = (viewport: { width: number; height: number }): Promise<Page> => suite.page(undefined, viewport);

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  event = await createEvent(facilitator, '2月 JCRM 勉強会');
}, 120_000);

describe('errors people can read', { timeout: 120_000 }, () => {
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`a mangled invite link shows the app's not-found page with a way back (${label})`, async () => {
      const page = await newPage(viewport);
      const res = await page.goto(`${suite.server.origin}/join/%E0%A4%A`);
      expect(res?.headers()['content-type']).toContain('text/html');
      const notFound = page.locator('[data-not-found]');
      await notFound.waitFor();
      expect(await notFound.locator('h1').textContent()).toBe('ページが見つかりません');
      expect(await notFound.textContent()).toContain('参加コード');
      expect(await page.textContent('body')).not.toContain('statusCode');
      // Nothing wider than the screen (the address is long and unbroken).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/not-found-${label}.png`, fullPage: true });

      await page.getByRole('link', { name: 'トップへ戻る' }).click();
      await page.locator('#join-code').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
    });
  }

  it('a cut-off event link and an unknown path get the same page', async () => {
    const page = await newPage(DESKTOP);
    for (const path of ['/events/not-a-uuid/board', '/events/1234', '/evnets']) {
      await page.goto(suite.server.origin + path);
      await page.locator('[data-not-found]').waitFor();
      expect(await page.locator('[data-not-found] code').textContent()).toBe(path);
    }
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`the join form shows the name's limit and refuses 61 characters in Japanese (${label})`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${suite.server.origin}/join/${event.joinCode}`);
      const name = page.locator('#join-name');
      await name.waitFor();
      expect(await page.locator('#join-name-limit').textContent()).toContain('60文字以内');
      expect(await name.getAttribute('maxlength')).toBeNull();
      // No company yet: nothing to choose, so no lone 「会社」 heading and no 「会社を選んで」.
      expect(await page.locator('p.intro').textContent()).toBe('お名前と会社名を入力して参加してください。');
      expect(await page.locator('fieldset legend').getAttribute('class')).toContain('visually-hidden');

      const tooLong = '山'.repeat(61);
      await name.fill(tooLong);
      expect(await name.inputValue()).toBe(tooLong); // kept, not cut to 60
      const limit = page.locator('#join-name-limit');
      expect(await limit.textContent()).toContain('1文字多すぎます');
      expect(await limit.textContent()).toContain('61/60');
      expect(await name.getAttribute('aria-invalid')).toBe('true');

      await page.locator('#join-company').fill('青空通販');
      await page.getByRole('button', { name: '参加する' }).click();
      const alert = page.locator('form [role="alert"]');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('名前は60文字以内で入力してください（いま61文字）');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/join-name-too-long-${label}.png`, fullPage: true });
      // Switching the language rewords the message shown (it stayed Japanese).
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => alert.textContent()).toBe('Name must be at most 60 characters (now 61)');
      await page.getByRole('button', { name: '日本語' }).click();
      await expect.poll(() => alert.textContent()).toBe('名前は60文字以内で入力してください（いま61文字）');

      // At 60 the limit is met, and the form goes through.
      await name.fill('山'.repeat(60));
      expect(await limit.textContent()).toContain('60/60');
      expect(await name.getAttribute('aria-invalid')).toBe('false');
    });
  }

  it('an anonymous visit to the start page logs no error in the console (no failed request)', async () => {
    const page = await newPage(DESKTOP);
    const logged: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(`${message.text()} ${message.location().url}`);
    });
    await page.goto(`${suite.server.origin}/`, { waitUntil: 'networkidle' });
    await page.locator('#join-code').waitFor();
    // Signed out: the facilitator link, not "manage events".
    await page.locator('a[href="/login"]').waitFor();
    expect(logged).toEqual([]);
  });

  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`the start page refuses a code that cannot be one, where it was typed, in the UI language (${label})`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${suite.server.origin}/`);
      const input = page.locator('#join-code');
      await input.fill('abc');
      await input.press('Enter');
      const alert = page.locator('#join-code-error');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        '参加コードの形式ではありません。参加コードは英数字10文字（例：ABCDE‑FGH23）、会社の招待コードは12文字です（入力は3文字）',
      );
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await input.inputValue()).toBe('abc');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/start-code-refused-${label}.png`, fullPage: true });
      // The message follows a switch to English.
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => alert.textContent()).toBe(
        'This is not a join code: a join code has 10 letters and digits (e.g. ABCDE‑FGH23), a company invite code 12 (this has 3)',
      );
      // Characters no code has (0 and O look alike on paper) are named.
      await input.fill(event.joinCode.slice(0, 4) + 'O' + event.joinCode.slice(5));
      expect(await alert.count()).toBe(0); // typing clears the old message
      await page.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => alert.textContent()).toBe('Join codes never contain “O”: only letters (no O, I or L) and the digits 2–9');
      await page.getByRole('button', { name: '日本語' }).click();
      await expect.poll(() => alert.textContent()).toBe('参加コードに「O」は使われません。使われるのは英字（O・I・L を除く）と数字の2〜9です');
      expect(new URL(page.url()).pathname).toBe('/');

      // A real code, as people type it, goes on to the join page.
      await input.fill(event.joinCode.toLowerCase());
      await input.press('Enter');
      await page.locator('#join-name').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/join/${event.joinCode.replace('-', '')}`);
    });
  }

  it("the join page points a new company's name at the existing company spelt differently, and switches to it", async () => {
    const other = await createEvent(facilitator, '3月 JCRM 勉強会');
    await joinAs(suite.server.origin, other.joinCode, '佐藤', 'ABC商事');
    for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const page = await newPage(viewport);
      await page.goto(`${suite.server.origin}/join/${other.joinCode}`);
      await page.fill('#join-name', '鈴木');
      await page.locator('input[type=radio][value=new]').check();
      const company = page.locator('#join-company');
      const hint = page.locator('[data-same-company]');
      await company.fill('ABC');
      expect(await hint.count()).toBe(0);
      await company.fill('ＡＢＣ商事 '); // full-width, with a trailing space
      await hint.waitFor();
      expect(await hint.locator('p').textContent()).toBe('「ABC商事」がすでにあります。その会社として参加しますか？');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/join-same-company-${label}.png`, fullPage: true });
      if (label === 'desktop') {
        await page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => hint.locator('p').textContent()).toBe('“ABC商事” is already taking part. Join as that company?');
        await page.getByRole('button', { name: '日本語' }).click();
      }
      await hint.getByRole('button', { name: '「ABC商事」を選ぶ' }).click();
      // The choice is now the existing company; no second company is being typed.
      await expect.poll(() => company.count()).toBe(0);
      const chosen = page.locator('label.choice', { hasText: 'ABC商事' }).locator('input[type=radio]');
      expect(await chosen.isChecked()).toBe(true);
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('company');
      expect(await hint.count()).toBe(0);
    }
  });

  it('a second person of the same name in a company is asked, then may change the name or join anyway', async () => {
    const other = await createEvent(facilitator, '4月 JCRM 勉強会');
    await joinAs(suite.server.origin, other.joinCode, '田中 一郎', '北国ファーム');
    const page = await newPage(PHONE);
    await page.goto(`${suite.server.origin}/join/${other.joinCode}`);
    await page.fill('#join-name', '田中 一郎');
    await page.locator('label.choice', { hasText: '北国ファーム' }).locator('input[type=radio]').check();
    await page.click('button[type=submit]');
    const ask = page.locator('[data-same-person]');
    await ask.waitFor();
    expect(await ask.locator('p').textContent()).toContain('この会社には既に「田中 一郎」さんが参加しています');
    expect(page.url()).toContain('/join/');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/join-same-person-phone.png`, fullPage: true });
    // 「名前を変える」 puts the cursor in the name; a changed name is an ordinary join.
    await ask.getByRole('button', { name: '名前を変える' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');
    await page.fill('#join-name', '田中 一郎（スマホ）');
    expect(await ask.count()).toBe(0);
    // Back to the same name: asked again; joining anyway lands on the board.
    await page.fill('#join-name', '田中 一郎');
    await page.click('button[type=submit]');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'この名前のまま参加する' }).click();
    await page.waitForURL(/\/board$/);
    // Both stay apart in lists: the second one is 「田中 一郎（2）」 (join order), as owner and as member.
    await page.locator('[data-element="customers"]').first().click();
    const owners = page.locator('#action-owner-customers option');
    await expect.poll(() => owners.allTextContents()).toEqual(expect.arrayContaining(['田中 一郎', '田中 一郎（2）']));
    const desk = await suite.page(facilitator.cookie, DESKTOP);
    await desk.goto(`${suite.server.origin}/events/${other.id}`);
    await expect.poll(() => desk.locator('[data-company] [data-member] .name').allTextContents()).toEqual(['田中 一郎', '田中 一郎（2）']);
  });

  it('someone back for the next session finds their company already chosen or typed', async () => {
    const first = await createEvent(facilitator, '5月 JCRM 勉強会');
    const next = await createEvent(facilitator, '6月 JCRM 勉強会');
    const me = await joinAs(suite.server.origin, first.joinCode, '山本', '南風マート');
    const page = await suite.page(me.client.cookie, DESKTOP);
    await page.goto(`${suite.server.origin}/join/${next.joinCode}`);
    // The company is not in the new session yet: its name is typed in for them.
    await expect.poll(() => page.locator('#join-company').inputValue()).toBe('南風マート');
    expect(await page.inputValue('#join-name')).toBe('山本');
    // Once the facilitator has added it to the session, it is the one chosen.
    expect((await facilitator.post(`/api/events/${next.id}/companies`, { name: '南風マート' })).status).toBe(201);
    await page.reload();
    const chosen = page.locator('label.choice', { hasText: '南風マート' }).locator('input[type=radio]');
    await expect.poll(() => chosen.isChecked()).toBe(true);
  });

  it('a lost connection while joining says so in Japanese, and what to do', async () => {
    const page = await newPage(DESKTOP);
    await page.goto(`${suite.server.origin}/join/${event.joinCode}`);
    await page.locator('#join-name').fill('佐藤');
    await page.locator('#join-company').fill('青空通販');
    await page.route('**/api/join', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: '参加する' }).click();
    const alert = page.locator('form [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('サーバーに接続できません。接続を確認して、もう一度お試しください');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => alert.textContent()).toBe('Cannot reach the server. Check your connection and try again');
  });
});
