// Input the database cannot store, or of the wrong type, is refused with a 400 that names the
// field — never a 500, and never silently converted ({"name": 5} is not the room name "5").
// PostgreSQL text and jsonb cannot hold NUL (U+0000): run with DATABASE_URL set to check it there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { serverPerFile } from '../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../helpers/fixtures.ts';
import { ApiClient, type ApiResponse } from '../helpers/api-client.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

const live = serverPerFile();
let facilitator: ApiClient;
let event: { id: string; joinCode: string };
let participant: Awaited<ReturnType<typeof joinAs>>;
let otherCompanyId: string;

beforeAll(async () => {
  facilitator = await setupFacilitator(live.server.origin);
  event = await createEvent(facilitator);
  participant = await joinAs(live.server.origin, event.joinCode, '田中', '青空通販');
  otherCompanyId = (await joinAs(live.server.origin, event.joinCode, '佐藤', '緑商事')).eventCompanyId;
});

const NUL = 'a\u0000b';

/** Each request puts NUL into one field; the 400 must name that field. */
function nulRequests(): [string, string, () => Promise<ApiResponse>][] {
  const anyone = new ApiClient(live.server.origin);
  const companies = `/api/events/${event.id}/companies`;
  const actions = `${companies}/${participant.eventCompanyId}/actions`;
  return [
    ['join: displayName', 'displayName', () => anyone.post('/api/join', { code: event.joinCode, displayName: NUL, companyName: '新しい会社' })],
    ['join: companyName', 'companyName', () => anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木', companyName: NUL })],
    ['join code in the URL', 'code', () => anyone.get(`/api/join/${encodeURIComponent('ABCD' + NUL)}`)],
    ['login: email', 'email', () => anyone.post('/api/auth/login', { email: `${NUL}@example.jp`, password: 'whatever password' })],
    ['new event: title', 'title', () => facilitator.post('/api/events', { title: NUL, date: '2026-12-01' })],
    ['new event: theme', 'theme', () => facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', theme: NUL })],
    ['new room: name', 'name', () => facilitator.post(`/api/events/${event.id}/rooms`, { name: NUL })],
    ['new company: name', 'name', () => facilitator.post(companies, { name: NUL })],
    ['rename company', 'name', () => facilitator.patch(`${companies}/${otherCompanyId}`, { name: NUL })],
    ['new series: title', 'title', () => facilitator.post('/api/series', { title: NUL })],
    ['action: text', 'text', () => participant.client.post(actions, { element: 'philosophy', text: NUL })],
    ['action: sourceCardId', 'sourceCardId', () => participant.client.post(actions, { element: 'philosophy', text: 'x', sourceCardId: 'nope\u0000' })],
    [
      'template: question text',
      'categories',
      () => facilitator.post('/api/assessment-templates', { title: 'T', categories: [{ id: 'c1', title: 'C', questions: [{ id: 'q1', text: NUL, maxPoints: 3 }] }] }),
    ],
  ];
}

describe('text the database cannot store', () => {
  it('NUL in any text field or URL parameter is a 400 naming the field, in both languages', async () => {
    for (const [label, field, send] of nulRequests()) {
      const res = await send();
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body, label).toMatchObject({ statusCode: 400, error: 'Bad Request', field, rule: 'controlCharacter' });
      expect(res.body.message, label).toMatch(/使えない文字.* \/ .*control character/);
    }
    // Nothing half-made: the room, company and rename were all refused.
    const detail = await facilitator.get(`/api/events/${event.id}`);
    expect(JSON.stringify(detail.body)).not.toContain('\\u0000');
    expect(detail.body.companies.map((c: { name: string }) => c.name).sort()).toEqual(['緑商事', '青空通販']);
  });

  it('says which field in plain words', async () => {
    const res = await new ApiClient(live.server.origin).post('/api/join', { code: event.joinCode, displayName: NUL, companyName: '新しい会社' });
    expect(res.body.message).toBe(
      '名前に使えない文字（制御文字）が含まれています / Name contains a control character that is not allowed',
    );
  });

  it('refuses the other control characters too, but not tab, newline or carriage return', async () => {
    for (const bad of ['\u0001', '\u0007', '\u001b[31m', '\u001f']) {
      const res = await facilitator.post(`/api/events/${event.id}/rooms`, { name: `room${bad}` });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body).toMatchObject({ field: 'name', rule: 'controlCharacter' });
    }
    const actions = `/api/events/${event.id}/companies/${participant.eventCompanyId}/actions`;
    const multiLine = '顧客の声を集める\n\t- アンケート\r\n- 電話 📞';
    const res = await participant.client.post(actions, { element: 'philosophy', text: multiLine });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.text).toBe(multiLine);
  });

  it('refuses a body nested deeper than 32 levels before parsing it, and keeps answering meanwhile', async () => {
    // Just under the 256 KB body limit; JSON.parse alone would take ~100 ms on it, each time.
    const deep = '['.repeat(131_000) + ']'.repeat(131_000);
    const origin = live.server.origin;
    const post = (path: string, body = deep) =>
      fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body });
    const health = async () => {
      const started = performance.now();
      const res = await fetch(`${origin}/healthz`);
      return { status: res.status, ms: performance.now() - started };
    };
    // Nobody signed in: refused before any route runs, as fast for anyone.
    const [join, events, join2, events2, healthz] = await Promise.all([post('/api/join'), post('/api/events'), post('/api/join'), post('/api/events'), health()]);
    for (const res of [join, events, join2, events2]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        field: 'body',
        rule: 'maxDepth',
        limit: 32,
        message: 'リクエストの本文の入れ子が深すぎます（32段まで） / The request body is nested too deeply (at most 32 levels)',
      });
    }
    // (No timing asserted: the refusal before parsing is what the rule and message above show.)
    expect(healthz.status).toBe(200);

    // Measured before parsing: brackets that never close are too deep before they are malformed.
    expect(await (await post('/api/join', '['.repeat(131_000))).json()).toMatchObject({ field: 'body', rule: 'maxDepth' });

    // 32 levels are still read and answered like any body of the wrong shape.
    const atLimit = await post('/api/join', '['.repeat(32) + ']'.repeat(32));
    expect(await atLimit.json()).toMatchObject({ field: 'body', rule: 'type' });
  });

  it('keeps Japanese, emoji and other legitimate text as given', async () => {
    // (A bidi control is refused in names: session-limits.test.ts.)
    const names = ['会議室 A', '👨‍👩‍👧 ファミリー', 'Ünïcødé', 'zero\u200bwidth'];
    for (const name of names) {
      const res = await facilitator.post(`/api/events/${event.id}/rooms`, { name });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.name).toBe(name);
    }
    const rooms = await facilitator.get(`/api/events/${event.id}/rooms`);
    expect(rooms.body.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(names));
  });
});

describe('broken characters and line breaks', () => {
  it('a lone surrogate (half an emoji) is a 400 naming the field, not stored as U+FFFD', async () => {
    const anyone = new ApiClient(live.server.origin);
    const actions = `/api/events/${event.id}/companies/${participant.eventCompanyId}/actions`;
    const cases: [string, string, () => Promise<ApiResponse>][] = [
      ['join: displayName', 'displayName', () => anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木\uD83D', companyName: '新しい会社' })],
      ['join: companyName', 'companyName', () => anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木', companyName: 'x\uDE00y' })],
      ['new room: name', 'name', () => facilitator.post(`/api/events/${event.id}/rooms`, { name: '\uDE00\uD83D' })],
      ['action: text', 'text', () => participant.client.post(actions, { element: 'philosophy', text: '顧客の声\n\uD83D' })],
    ];
    for (const [label, field, send] of cases) {
      const res = await send();
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body, label).toMatchObject({ statusCode: 400, error: 'Bad Request', field, rule: 'invalidUnicode' });
    }
    const res = await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム\uD83D' });
    expect(res.body.message).toBe('ルーム名に壊れた文字（対になっていないサロゲート）が含まれています / Room name contains a broken character (an unpaired surrogate)');
    const detail = await facilitator.get(`/api/events/${event.id}`);
    expect(JSON.stringify(detail.body)).not.toContain('\uFFFD');
    expect(JSON.stringify(detail.body)).not.toContain('新しい会社');
  });

  it('a line break in a name or title is a 400 (rule lineBreak), in both languages, creating nothing', async () => {
    const anyone = new ApiClient(live.server.origin);
    const companies = `/api/events/${event.id}/companies`;
    const template = (title: string, categoryTitle: string) => ({ title, categories: [{ id: 'c1', title: categoryTitle, questions: [{ id: 'q1', text: '質問', maxPoints: 3 }] }] });
    const cases: [string, string, () => Promise<ApiResponse>][] = [
      ['join: displayName', 'displayName', () => anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木\n一郎', companyName: '改行商事' })],
      ['join: companyName', 'companyName', () => anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木', companyName: '改行\r\n商事' })],
      ['new event: title', 'title', () => facilitator.post('/api/events', { title: '勉強会\n第2回', date: '2026-12-01' })],
      ['new event: theme', 'theme', () => facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', theme: '顧客と\rデータ' })],
      ['new room: name', 'name', () => facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム\u2028A' })],
      ['new company: name', 'name', () => facilitator.post(companies, { name: '改行\n商事' })],
      ['rename company', 'name', () => facilitator.patch(`${companies}/${otherCompanyId}`, { name: '緑商事\n' })],
      ['new series: title', 'title', () => facilitator.post('/api/series', { title: '定例会\n2026' })],
      ['template: title', 'title', () => facilitator.post('/api/assessment-templates', template('診断\nシート', 'カテゴリー'))],
      ['template: category title', 'categories', () => facilitator.post('/api/assessment-templates', template('診断シート', 'カテ\nゴリー'))],
      ['new facilitator: displayName', 'displayName', () => facilitator.post('/api/facilitators', { email: 'co@example.jp', password: 'long enough password', displayName: '共同\n進行役' })],
    ];
    for (const [label, field, send] of cases) {
      const res = await send();
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body, label).toMatchObject({ statusCode: 400, error: 'Bad Request', field, rule: 'lineBreak' });
    }
    const res = await anyone.post('/api/join', { code: event.joinCode, displayName: '鈴木\n一郎', companyName: '改行商事' });
    expect(res.body.message).toBe('名前に改行は使えません。1行で入力してください / Name must be on one line, without line breaks');
    const detail = await facilitator.get(`/api/events/${event.id}`);
    expect(detail.body.companies.map((c: { name: string }) => c.name).sort()).toEqual(['緑商事', '青空通販']);
    expect(detail.body.rooms.map((r: { name: string }) => r.name)).not.toContain('ルーム\u2028A');
    expect((await facilitator.get('/api/series')).body).toEqual([]);
  });

  it('multi-line texts keep their line breaks', async () => {
    const question = '顧客の声を\n集めていますか';
    const res = await facilitator.post('/api/assessment-templates', { title: '診断シート', categories: [{ id: 'c1', title: '顧客', questions: [{ id: 'q1', text: question, maxPoints: 3 }] }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.categories[0].questions[0].text).toBe(question);
  });
});

describe('wrong types in a JSON body', () => {
  it('a number where text belongs is refused, not turned into text', async () => {
    const res = await facilitator.post(`/api/events/${event.id}/rooms`, { name: 5 });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ field: 'name', rule: 'type', message: 'ルーム名の値の種類が正しくありません / Room name must be a string' });
    const rooms = await facilitator.get(`/api/events/${event.id}/rooms`);
    expect(rooms.body.map((r: { name: string }) => r.name)).not.toContain('5');
  });

  it('no other coercion either: text for a boolean, a lone value for a list, a number for text', async () => {
    const cases: [string, Promise<ApiResponse>, string][] = [
      ['boolean as text', facilitator.patch(`/api/events/${event.id}`, { companiesLocked: 'true' }), 'companiesLocked'],
      ['list as one value', facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', coveredElements: 'philosophy' }), 'coveredElements'],
      ['title as number', facilitator.post('/api/events', { title: 2026, date: '2026-12-01' }), 'title'],
      ['name as boolean', facilitator.post(`/api/events/${event.id}/companies`, { name: true }), 'name'],
    ];
    for (const [label, pending, field] of cases) {
      const res = await pending;
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.field, label).toBe(field);
    }
    const detail = await facilitator.get(`/api/events/${event.id}`);
    expect(detail.body.companiesLocked).toBe(false);
  });

  it('the right types still work, and URL parameters and queries still validate as before', async () => {
    expect((await facilitator.patch(`/api/events/${event.id}`, { companiesLocked: false })).status).toBe(200);
    const created = await facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', coveredElements: ['philosophy'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const detail = await facilitator.get(`/api/events/${event.id}/companies`);
    const companyId = detail.body[0].companyId as string;
    expect((await facilitator.get(`/api/companies/${companyId}/trend`)).status).toBe(200);
    const badQuery = await facilitator.get(`/api/companies/${companyId}/trend?seriesId=zzz`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toMatchObject({ field: 'seriesId', rule: 'format' });
  });
});

describe('the database refusing a character', () => {
  // Everything from a request is checked before it gets this far; this is the safety net for text
  // that reaches the database some other way.
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'warn' }), database: live.db.database, logger: false, serveClient: false });
    app.get('/test/nul-text', async () => app.db.execute(sql`select ${'a\u0000b'}::text as t`));
    app.get('/test/nul-json', async () => app.db.execute(sql`select ${'{"a":"\\u0000"}'}::jsonb ->> 'a' as t`));
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 400, not 500, for NUL in text and in jsonb', async () => {
    for (const url of ['/test/nul-text', '/test/nul-json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().message).toMatch(/使えない文字.* \/ .*control character/);
    }
  });
});
