// Fixes from a new user's walk through the facilitator's pages, in Chromium at 1280×800 and
// 390×844, Japanese and English (screenshots: test-output/screenshots/walkthrough-*.png):
// - a closed session's page said 「受付中：参加コードで新しい会社も参加できます」 under 「参加コードは
//   無効化されています」: it now says nobody can join, and offers no lock, invite or removal controls
//   (the server refuses them all on a closed event);
// - a participant opening /events set off `GET /api/series 403` (a console error) before being
//   sent to the start page: the page now renders nothing for anyone but a facilitator;
// - the console's agenda cut English step names (「Fill in the worksh…」): they wrap, whole;
// - the server's default room names 「ルーム N」 stayed Japanese in the English UI: now 「Room N」;
// - the first automatic split asked 「今のルーム分けをやり直しますか？」 with nothing split yet;
// - the member-removal wording says 勉強会 (it said イベント), as the rest of the UI;
// - a facilitator can add another facilitator account from the events page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR, noHorizontalScroll } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { connectControlClient, type ControlClient } from '../helpers/control-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

type Locale = 'ja' | 'en';
type Viewport = { width: number; height: number };

const suite = browserSuite();
let facilitator: ApiClient;
const sockets: ControlClient[] = [];

/** A page signed in with the cookie, in the given UI language, recording dialogs (accepted). */
async function open(cookie: string | undefined, path: string, { viewport = DESKTOP, locale = 'ja' }: { viewport?: Viewport; locale?: Locale } = {}) {
  const page = await suite.page(cookie, viewport);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  if (locale === 'en') await page.context().addInitScript(() => localStorage.setItem('kizuki.locale', 'en'));
  await page.goto(`${suite.server.origin}${path}`);
  return { page, dialogs };
}

async function shoot(page: Page, name: string, { phone = true } = {}): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-${name}-1280.png`, fullPage: true });
  if (!phone) return;
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-${name}-390.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
}, 120_000);

afterAll(() => {
  for (const control of sockets) control.socket.disconnect();
});

describe('a closed session’s event page', { timeout: 120_000 }, () => {
  it('says nobody can join and offers no lock, invite, request or removal controls', async () => {
    const event = await createEvent(facilitator, '1月 JCRM 勉強会（終了）');
    const sato = await joinAs(suite.server.origin, event.joinCode, '佐藤', '青空通販');
    expect((await facilitator.post(`/api/events/${event.id}/companies/${sato.eventCompanyId}/invite`)).status).toBe(200);

    // Open: joining is open, with the controls, and removing someone speaks of the 勉強会.
    const { page } = await open(facilitator.cookie, `/events/${event.id}`);
    const lock = page.locator('.lock');
    await page.locator('[data-member]', { hasText: '佐藤' }).waitFor();
    expect(await lock.locator('.lock-text span').textContent()).toBe('受付中：参加コードで新しい会社も参加できます');
    expect(await page.locator('button.lock-button').count()).toBe(1);
    expect(await page.locator(`[data-invite="${sato.eventCompanyId}"] input`).count()).toBe(1);
    expect(await page.locator('[data-member] button.danger').getAttribute('aria-label')).toBe('佐藤さんをこの会から外す');

    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);
    await page.reload();
    await page.locator('[data-member]', { hasText: '佐藤' }).waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toContain('受付中');
    expect(await lock.locator('.lock-text span').textContent()).toBe('終了：この会にはもう参加できません（参加コードも会社の招待リンクも使えません）');
    expect(await lock.getAttribute('data-joining')).toBe('closed');
    expect(body).not.toContain('参加コードは無効化されています');
    expect(await page.locator('[data-join-code=none]').textContent()).toBe('この会は終了したため、参加コードは使えません');
    // No control the server would refuse (409) on a closed event.
    expect(await page.locator('button.lock-button').count()).toBe(0);
    expect(await page.locator('[data-invite]').count()).toBe(0);
    expect(await page.locator('[data-member] button').count()).toBe(0);
    expect(await page.locator('#requests-title').count()).toBe(0);
    expect(await page.locator('section[aria-labelledby=invite-title] button').count()).toBe(0);
    await shoot(page, 'closed-event-ja');
    await noHorizontalScroll(page);

    // A late joiner with the right code is told the session has ended, not to check the code.
    const late = await open(undefined, `/join/${event.joinCode}`);
    expect(await late.page.locator('[data-join-ended]').textContent()).toBe('この会は終了しました。参加コードは使えなくなっています');

    const english = await open(facilitator.cookie, `/events/${event.id}`, { locale: 'en' });
    await english.page.locator('[data-member]', { hasText: '佐藤' }).waitFor();
    expect(await english.page.locator('.lock .lock-text span').textContent()).toBe(
      "Closed: nobody can join this session any more (neither the join code nor a company's invite link works)",
    );
    expect(await english.page.locator('[data-join-code=none]').textContent()).toBe('The session is closed, so the join code no longer works');
    await shoot(english.page, 'closed-event-en', { phone: false });
  });
});

describe('the events page for a participant', { timeout: 60_000 }, () => {
  it('sends them to the start page without any failed request or console error', async () => {
    const event = await createEvent(facilitator, '2月 JCRM 勉強会');
    const tanaka = await joinAs(suite.server.origin, event.joinCode, '田中', 'みどり本舗');
    const page = await suite.page(tanaka.client.cookie, DESKTOP);
    const failed: string[] = [];
    const logged: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.request().method()} ${new URL(res.url()).pathname} ${res.status()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    await page.goto(`${suite.server.origin}/events`, { waitUntil: 'networkidle' });
    await page.waitForURL(`${suite.server.origin}/`);
    await page.locator('#join-code').waitFor();
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    expect(logged).toEqual([]);
  });
});

describe('the console’s agenda in English', { timeout: 90_000 }, () => {
  const FULL_NAMES = ['Introductions', 'Fill in the worksheet', 'Each company shares', 'Post insights', 'Scoring', 'Compare and discuss', 'Plenary', 'Take-home actions'];

  /** Step names cut off (wider than their box) or with a word split across two lines. */
  function cutNames(page: Page): Promise<string[]> {
    return page.locator('section[aria-labelledby=agenda-title] .step-title').evaluateAll((titles) =>
      titles.flatMap((title) => {
        const text = title.textContent ?? '';
        const problems: string[] = [];
        if (title.scrollWidth > title.clientWidth + 1) problems.push(`${text}: cut (${title.scrollWidth} > ${title.clientWidth})`);
        if (getComputedStyle(title).textOverflow === 'ellipsis' && getComputedStyle(title).whiteSpace === 'nowrap') problems.push(`${text}: one line with an ellipsis`);
        const node = title.firstChild;
        if (!node) return [`${text}: empty`];
        const range = document.createRange();
        let at = 0;
        for (const word of text.split(' ')) {
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) problems.push(`${text}: 「${word}」 split across lines`);
          at += word.length + 1;
        }
        const box = title.getBoundingClientRect();
        const row = title.closest('li')!.getBoundingClientRect();
        if (box.bottom > row.bottom + 0.5 || box.top < row.top - 0.5) problems.push(`${text}: outside its row`);
        return problems;
      }),
    );
  }

  it('shows every step name whole at 1280 and at 390', async () => {
    const event = await createEvent(facilitator, '3月 JCRM 交流会');
    for (const viewport of [DESKTOP, PHONE]) {
      const { page } = await open(facilitator.cookie, `/events/${event.id}/console`, { viewport, locale: 'en' });
      const titles = page.locator('section[aria-labelledby=agenda-title] .step-title');
      await expect.poll(() => titles.count()).toBe(FULL_NAMES.length);
      expect(await titles.allTextContents()).toEqual(FULL_NAMES);
      expect(await cutNames(page)).toEqual([]);
      await noHorizontalScroll(page);
      const agenda = page.locator('section[aria-labelledby=agenda-title]');
      await agenda.scrollIntoViewIfNeeded();
      await agenda.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-agenda-en-${viewport.width}.png` });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-console-en-${viewport.width}.png` });
    }
    const { page } = await open(facilitator.cookie, `/events/${event.id}/console`);
    await expect.poll(() => page.locator('section[aria-labelledby=agenda-title] .step-title').count()).toBe(FULL_NAMES.length);
    expect(await cutNames(page)).toEqual([]);
    await page.locator('section[aria-labelledby=agenda-title]').screenshot({ path: `${SCREENSHOT_DIR}/walkthrough-agenda-ja-1280.png` });
    // A 勉強会 (one room) has no breakout to speak of: the phase controls talk about the boards.
    const phase = page.locator('.clock-wrap .phase-controls');
    expect(await phase.locator('[data-phase-action=closing]').textContent()).toBe('カウントダウンして全体共有へ');
    expect(await phase.textContent()).not.toContain('ブレイクアウト');
  });
});

describe('automatic split and room names', { timeout: 120_000 }, () => {
  /** Split into two rooms by the first test (「ルーム 1」 and the server's 「ルーム 2」), plus one named by hand. */
  let event: { id: string; joinCode: string };

  it('asks before redoing a split only once companies sit in several rooms', async () => {
    event = await createEvent(facilitator, '4月 JCRM 交流会', 'meetup');
    for (const [i, company] of ['東京商事', '大阪物産', 'さくらEC', '山田商店'].entries()) {
      const joined = await joinAs(suite.server.origin, event.joinCode, `参加者${i + 1}`, company);
      sockets.push(await connectControlClient(suite.server.origin, joined.client.cookie, event.id));
    }

    // Everyone sits in the event's first room: the first split asks nothing.
    const { page, dialogs } = await open(facilitator.cookie, `/events/${event.id}/console`);
    await expect.poll(() => page.locator('article.tile [data-company-chip]').count()).toBe(4);
    await page.locator('.clock-wrap .phase-controls').waitFor();
    await page.fill('#split-size', '2');
    await page.click('button:has-text("自動で振り分ける")');
    await expect.poll(() => page.locator('.status[role=status]').textContent()).toContain('4社を2ルームに振り分けました');
    await expect.poll(() => page.locator('article.tile').count()).toBe(2);
    expect(dialogs).toEqual([]);
    expect(await page.locator('article.tile h3.name').allTextContents()).toEqual(['ルーム 1', 'ルーム 2']);

    // Now the companies are spread over two rooms: redoing the split asks first.
    await page.click('button:has-text("自動で振り分ける")');
    await expect.poll(() => dialogs).toEqual(['今のルーム分けをやり直しますか？会社が新しいルームに移動します。']);
    await shoot(page, 'console-split-ja', { phone: false });
  });

  it('shows the server’s default room names 「ルーム N」 as "Room N" in English, typed names as typed', async () => {
    // A room named by hand keeps its name in either language.
    expect((await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム 1 東京' })).status).toBe(201);

    // In English, the server's 「ルーム N」 reads "Room N" on the console…
    const english = await open(facilitator.cookie, `/events/${event.id}/console`, { locale: 'en' });
    const tiles = english.page.locator('article.tile');
    await expect.poll(() => tiles.locator('h3.name').allTextContents()).toEqual(['Room 1', 'ルーム 1 東京', 'Room 2']);
    expect(await tiles.first().getAttribute('aria-label')).toBe('Room 1');
    expect(await tiles.first().locator('button.rename').getAttribute('aria-label')).toBe('Rename Room 1');
    expect(await english.page.locator('#broadcast-room option').allTextContents()).toEqual(['All rooms', 'Room 1', 'ルーム 1 東京', 'Room 2']);
    expect(await english.page.locator('#summon-room option').allTextContents()).toEqual(['All rooms', 'Room 1', 'ルーム 1 東京', 'Room 2']);
    await shoot(english.page, 'console-rooms-en');
    // …and opening the rename field and leaving it unchanged renames nothing.
    await tiles.first().locator('button.rename').click();
    expect(await tiles.first().locator('input.name-input').inputValue()).toBe('Room 1');
    await tiles.first().locator('input.name-input').press('Enter');
    await expect.poll(() => tiles.first().locator('h3.name').textContent()).toBe('Room 1');
    const names = async () => ((await facilitator.get(`/api/events/${event.id}`)).body.rooms as Array<{ name: string }>).map((r) => r.name).sort();
    expect(await names()).toEqual(['ルーム 1', 'ルーム 1 東京', 'ルーム 2']);

    // …and on the event page (the room list and each company's room), in the console's order.
    const admin = await open(facilitator.cookie, `/events/${event.id}`, { locale: 'en' });
    const roomList = admin.page.locator('section[aria-labelledby=rooms-title] li .name');
    await expect.poll(() => roomList.allTextContents()).toEqual(['Room 1', 'ルーム 1 東京', 'Room 2']);
    const firstCompanyRooms = admin.page.locator('section[aria-labelledby=companies-title] select').first().locator('option');
    expect(await firstCompanyRooms.allTextContents()).toEqual(['Unassigned', 'Room 1', 'ルーム 1 東京', 'Room 2']);
    await shoot(admin.page, 'admin-rooms-en');

    // In Japanese the names are shown as stored.
    const ja = await open(facilitator.cookie, `/events/${event.id}`);
    await expect.poll(() => ja.page.locator('section[aria-labelledby=rooms-title] li .name').allTextContents()).toEqual(['ルーム 1', 'ルーム 1 東京', 'ルーム 2']);
  });
});

describe('adding a facilitator account', { timeout: 90_000 }, () => {
  it('creates one from the events page, checking what the server checks and showing its refusals', async () => {
    const { page } = await open(facilitator.cookie, '/events');
    const section = page.locator('details.add-facilitator');
    await section.locator('summary').click();
    const submit = section.getByRole('button', { name: 'アカウントを作成' });
    const alert = section.locator('[role=alert]');

    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('入力してください');
    await section.locator('#new-facilitator-name').fill('鈴木 花子');
    await section.locator('#new-facilitator-email').fill('hanako@example.jp');
    await section.locator('#new-facilitator-password').fill('short');
    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('パスワードは10文字以上にしてください');
    // Weak passwords are refused before sending, in the server's words (shared/auth/password-rules.ts).
    await section.locator('#new-facilitator-password').fill('aaaaaaaaaa');
    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('パスワードには4種類以上の文字を使ってください（同じ文字の繰り返しは推測されやすいため）');
    await section.locator('#new-facilitator-password').fill('Password123');
    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('このパスワードはよく使われていて推測されやすいため使えません。別のパスワードにしてください');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => alert.textContent()).toBe('This password is one of the most common ones and easy to guess; choose another');
    await page.getByRole('button', { name: '日本語' }).click();
    await section.locator('#new-facilitator-email').fill('hanako-at-example');
    await section.locator('#new-facilitator-password').fill('long enough password');
    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('メールアドレスの形式が正しくありません');

    await section.locator('#new-facilitator-email').fill('hanako@example.jp');
    await submit.click();
    await expect.poll(() => section.locator('[role=status]').textContent()).toBe('鈴木 花子さん（hanako@example.jp）のファシリテーターアカウントを作成しました');
    expect(await alert.count()).toBe(0);
    expect(await section.locator('#new-facilitator-password').inputValue()).toBe('');
    await shoot(page, 'add-facilitator-ja');

    // The new account signs in as a facilitator.
    const hanako = new ApiClient(suite.server.origin);
    const login = await hanako.post('/api/auth/login', { email: 'hanako@example.jp', password: 'long enough password' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ kind: 'facilitator', displayName: '鈴木 花子' });

    // The server's refusal (the email is taken) is shown as it says it, in the UI language.
    await section.locator('#new-facilitator-name').fill('鈴木 花子');
    await section.locator('#new-facilitator-email').fill('HANAKO@example.jp');
    await section.locator('#new-facilitator-password').fill('another long password');
    await submit.click();
    await expect.poll(() => alert.textContent()).toBe('このメールアドレスは既に登録されています');
    expect(await section.locator('[role=status]').count()).toBe(0);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => alert.textContent()).toBe('This email is already registered');
    await shoot(page, 'add-facilitator-en', { phone: false });
    await noHorizontalScroll(page);
  });
});

describe('adding a company that takes part in other sessions', { timeout: 90_000 }, () => {
  it('links it and tells the facilitator that its history is now visible here, in Japanese and English', async () => {
    const earlier = await createEvent(facilitator, '11月 JCRM 勉強会');
    expect((await facilitator.post(`/api/events/${earlier.id}/companies`, { name: 'Nu商会' })).status).toBe(201);
    const event = await createEvent(facilitator, '12月 JCRM 勉強会');
    const { page } = await open(facilitator.cookie, `/events/${event.id}`);
    const notice = page.locator('[data-company-reused]');

    // A new company: no notice.
    await page.locator('#add-company').fill('Xi新規');
    await page.getByRole('button', { name: '会社を追加' }).click();
    await expect.poll(() => page.locator('#add-company').inputValue()).toBe('');
    expect(await notice.count()).toBe(0);

    await page.locator('#add-company').fill('Nu商会');
    await page.getByRole('button', { name: '会社を追加' }).click();
    await expect
      .poll(() => notice.textContent())
      .toBe('「Nu商会」は既に登録されている会社のため、その会社をこの会に追加しました。この会社には他の会（1件）での記録があり、アセスメントなどの記録がこの会のファシリテーターにも見えるようになりました。');
    await page.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => notice.textContent())
      .toBe('“Nu商会” already exists, so the existing company was linked to this session. Its history from other sessions (1), such as its assessments, is now visible to this session’s facilitators.');
    await shoot(page, 'company-reused-en', { phone: false });
    await noHorizontalScroll(page);
  });
});
