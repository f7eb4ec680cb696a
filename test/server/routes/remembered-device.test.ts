// A participant's browser is remembered apart from the sign-in (the device cookie): back for the
// next session of a series after the sign-in has expired (30 days unused), the same person under
// the same name joins as themselves, their company's first person without waiting for approval.
// Another name at that browser is another person; signing out forgets the browser; a made-up
// device token names nobody.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serverPerFile } from '../../helpers/server.ts';
import { setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { devices, sessions } from '../../../server/db/schema.ts';

const testServer = serverPerFile();
const db = () => testServer.db.database.db;
let facilitator: ApiClient;
let seriesId: string;

beforeAll(async () => {
  facilitator = await setupFacilitator(testServer.server.origin);
  seriesId = (await facilitator.post('/api/series', { title: '月例会' })).body.id;
});

async function newSession(title: string, date: string) {
  const res = await facilitator.post('/api/events', { title, date, seriesId });
  expect(res.status).toBe(201);
  return (await facilitator.get(`/api/events/${res.body.id}`)).body as { id: string; joinCode: string };
}

/** What 30 days without use do to a sign-in. */
async function expireSignIns(userId: string) {
  await db().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, userId));
}

describe('a participant back at the next session after their sign-in expired', () => {
  it('joins as themselves from the same browser under the same name, without approval', async () => {
    const first = await newSession('1月', '2026-01-20');
    const browser = new ApiClient(testServer.server.origin);
    const raw = await fetch(`${testServer.server.origin}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: testServer.server.origin },
      body: JSON.stringify({ code: first.joinCode, displayName: '下見', companyName: '下見商店' }),
    });
    const deviceLine = raw.headers.getSetCookie().find((line) => line.startsWith('kizuki_device='));
    expect(deviceLine).toMatch(/HttpOnly/i);
    expect(deviceLine).toMatch(/Path=\/api(;|$)/);

    const joined = await browser.post('/api/join', { code: first.joinCode, displayName: '佐藤', companyName: '株式会社こはく' });
    expect(joined.status).toBe(201);
    expect(browser.deviceCookie).toBeDefined();
    const sato = joined.body.user.id as string;

    await expireSignIns(sato);
    const second = await newSession('2月', '2026-02-17');
    expect((await browser.get('/api/auth/session')).body.user).toBeNull();
    const info = await browser.get(`/api/join/${second.joinCode}`);
    expect(info.body.rememberedName).toBe('佐藤');
    expect(info.body.lastCompany).toEqual({ name: '株式会社こはく', eventCompanyId: null });

    const back = await browser.post('/api/join', { code: second.joinCode, displayName: '佐藤', companyName: '株式会社こはく' });
    expect(back.status).toBe(201);
    expect(back.body.user.id).toBe(sato);
    expect((await browser.get('/api/auth/session')).body.user.id).toBe(sato);
    // Their earlier session is still theirs: one identity across the series.
    expect((await browser.get('/api/events')).body.map((e: { id: string }) => e.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('another name at that browser is another person, who waits for approval as a stranger would', async () => {
    const first = await newSession('3月', '2026-03-20');
    const browser = new ApiClient(testServer.server.origin);
    const joined = await browser.post('/api/join', { code: first.joinCode, displayName: '田中', companyName: '田中物産' });
    await expireSignIns(joined.body.user.id);
    const second = await newSession('4月', '2026-04-17');
    const other = await browser.post('/api/join', { code: second.joinCode, displayName: '別の人', companyName: '田中物産' });
    expect(other.status).toBe(202);
    expect(other.body.reason).toBe('company-history');
    expect(other.body.user.id).not.toBe(joined.body.user.id);
  });

  it('signing out forgets the browser; a made-up device token names nobody', async () => {
    const first = await newSession('5月', '2026-05-20');
    const browser = new ApiClient(testServer.server.origin);
    const joined = await browser.post('/api/join', { code: first.joinCode, displayName: '山本', companyName: '山本堂' });
    const token = browser.deviceCookie!;
    expect((await browser.post('/api/auth/logout')).status).toBe(204);
    expect(browser.deviceCookie).toBeUndefined();
    expect(await db().select().from(devices).where(eq(devices.userId, joined.body.user.id))).toEqual([]);

    const second = await newSession('6月', '2026-06-17');
    const replay = new ApiClient(testServer.server.origin);
    replay.deviceCookie = token;
    expect((await replay.get(`/api/join/${second.joinCode}`)).body.rememberedName).toBeUndefined();
    expect((await replay.post('/api/join', { code: second.joinCode, displayName: '山本', companyName: '山本堂' })).status).toBe(202);

    const forged = new ApiClient(testServer.server.origin);
    forged.deviceCookie = 'kizuki_device=abcdefghijklmnopqrstuvwxyz234567';
    expect((await forged.post('/api/join', { code: second.joinCode, displayName: '山本', companyName: '山本堂' })).status).toBe(202);
  });

  it('remembers a browser a year at most, however often it joins', async () => {
    const first = await newSession('8月', '2026-08-20');
    const browser = new ApiClient(testServer.server.origin);
    const joined = await browser.post('/api/join', { code: first.joinCode, displayName: '小林', companyName: '小林製作所' });
    await expireSignIns(joined.body.user.id);
    await db().update(devices).set({ createdAt: new Date(Date.now() - 366 * 24 * 60 * 60 * 1000) }).where(eq(devices.userId, joined.body.user.id));
    const second = await newSession('9月', '2026-09-17');
    expect((await browser.get(`/api/join/${second.joinCode}`)).body.rememberedName).toBeUndefined();
    expect((await browser.post('/api/join', { code: second.joinCode, displayName: '小林', companyName: '小林製作所' })).status).toBe(202);
  });

  it('logging out everywhere forgets every browser of the person', async () => {
    const first = await newSession('7月', '2026-07-20');
    const laptop = new ApiClient(testServer.server.origin);
    const joined = await laptop.post('/api/join', { code: first.joinCode, displayName: '中村', companyName: '中村園' });
    const phone = new ApiClient(testServer.server.origin);
    phone.cookie = laptop.cookie;
    // The phone gets its own device row when it joins; here two rows stand for two browsers.
    await phone.post('/api/join', { code: first.joinCode, displayName: '中村', companyName: '中村園' });
    expect((await db().select().from(devices).where(eq(devices.userId, joined.body.user.id))).length).toBe(2);
    expect((await laptop.post('/api/auth/logout-everywhere')).status).toBe(204);
    expect(await db().select().from(devices).where(eq(devices.userId, joined.body.user.id))).toEqual([]);
  });
});
