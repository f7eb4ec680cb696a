// The CRM practice assessment in Chromium: a facilitator starts a template from the starter (the
// editor says no questions are invented), writes a question and makes it worth 4 points; a
// participant opens the assessment from the board, scores, settles, and reads the subtotals,
// the weakest spots and the trend. Screenshots at 1280×800 and 390×844.
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { browserSuite } from '../helpers/browser-suite.ts';

const suite = browserSuite();
let facilitator: ApiClient;
let event: { id: string; joinCode: string };

beforeAll(async () => {
  facilitator = await setupFacilitator(suite.server.origin);
  event = await createEvent(facilitator, '3月 JCRM 勉強会');
}, 120_000);

describe('the CRM practice assessment', { timeout: 120_000 }, () => {
  it('a facilitator builds a template from the starter, with one 4-point question', async () => {
    const page = await suite.page(facilitator.cookie!, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${event.id}`);
    await page.getByRole('link', { name: 'アセスメントのテンプレート' }).click();
    await page.getByRole('button', { name: 'スターターから新規作成' }).click();
    await page.locator('#template-title').waitFor();
    expect(await page.getByRole('note').textContent()).toContain('Kizuki は作りません');
    // Six categories; only category 5 has questions.
    expect(await page.locator('fieldset.category').count()).toBe(6);
    expect(await page.locator('fieldset.category').nth(4).locator('textarea').count()).toBe(8);
    expect(await page.locator('fieldset.category').nth(0).locator('textarea').count()).toBe(0);

    const first = page.locator('fieldset.category').nth(0);
    await first.getByRole('button', { name: '+ 質問を追加' }).click();
    await first.locator('textarea').fill('CRMに取り組む目的を社内の言葉で書き表している');
    await first.getByRole('radio').check();
    await first.getByRole('button', { name: '+ 質問を追加' }).click();
    await first.locator('textarea').nth(1).fill('目的を経営陣と現場が共有している');
    expect(await page.textContent('form')).toContain('満点: 31');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').filter({ hasText: '保存しました' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/assessment-template-desktop.png`, fullPage: true });
    const phone = await suite.page(facilitator.cookie!, PHONE);
    await phone.goto(`${suite.server.origin}/assessment-templates`);
    await phone.locator('#template-title').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/assessment-template-phone.png`, fullPage: true });
  });

  it('a company scores, settles, and reads its subtotals, weakest spots and trend', async () => {
    const alice = await joinAs(suite.server.origin, event.joinCode, 'Alice', '青空通販');
    const page = await suite.page(alice.client.cookie!, DESKTOP);
    await page.goto(`${suite.server.origin}/events/${event.id}/board`);
    await page.getByRole('link', { name: 'アセスメント' }).click();
    await page.getByRole('button', { name: 'アセスメントを始める' }).click();
    const firstQuestion = page.locator('li.question').first();
    await firstQuestion.waitFor();

    // Alice's own score, then the company's answer: 完全に達成 on the 4-point question gives 4.
    await firstQuestion.getByRole('button', { name: '3' }).click();
    await firstQuestion.getByText('メンバーの採点: Alice 3').waitFor();
    const settle = async (index: number, value: string, answered: number) => {
      await page.locator('li.question').nth(index).locator('select').selectOption(value);
      await page.locator('.summary').getByText(`回答済み ${answered}/10 問`).waitFor();
    };
    await settle(0, '3', 1);
    await settle(1, '1', 2);
    await settle(2, '0', 3);
    const summary = await page.locator('.summary').textContent();
    expect(summary).toContain('5 / 31');
    expect(summary).toContain('回答済み 3/10 問（回答分の満点 10）');
    expect(summary).toContain('CRM個別プログラムの設計・運用');
    const purpose = page.locator('section.card', { has: page.getByRole('heading', { name: /CRM導入の目的/ }) });
    expect(await purpose.locator('h2').textContent()).toContain('小計 5/7');
    expect(await page.locator('table').textContent()).toContain('5/31');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.width);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/assessment-company-desktop.png`, fullPage: true });

    const phone = await suite.page(alice.client.cookie!, PHONE);
    await phone.goto(`${suite.server.origin}/companies/${page.url().split('/companies/')[1]}`);
    await phone.locator('li.question').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: `${SCREENSHOT_DIR}/assessment-company-phone.png`, fullPage: true });
  });
});
