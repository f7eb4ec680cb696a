// A request the schemas refuse says, in Japanese and English, which field is wrong and what to do,
// with the field, rule and limit for the client: never ajv's "body/displayName must NOT have …".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, setupFacilitator } from '../../helpers/fixtures.ts';
import { ApiClient } from '../../helpers/api-client.ts';

let db: TestDatabase;
let server: TestServer;
let facilitator: ApiClient;
let event: { id: string; joinCode: string };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.database);
  facilitator = await setupFacilitator(server.origin);
  event = await createEvent(facilitator);
});

afterAll(async () => {
  await server.close();
  await db.drop();
});

const join = (body: Record<string, unknown>) => new ApiClient(server.origin).post('/api/join', { code: event.joinCode, companyName: '青空通販', ...body });

describe('validation errors people can read', () => {
  it('a 61-character name: 名前は60文字以内で…, with field, rule and limit', async () => {
    const res = await join({ displayName: 'あ'.repeat(61) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      field: 'displayName',
      rule: 'maxLength',
      limit: 60,
      message: '名前は60文字以内で入力してください / Name must be at most 60 characters',
    });
  });

  it('counts characters as the forms do: 60 characters outside the BMP are 60, not 120', async () => {
    expect((await join({ displayName: '𠮷'.repeat(60) })).status).toBe(201);
    expect((await join({ displayName: 'x'.repeat(60), companyName: '別の会社' })).status).toBe(201);
  });

  it('an invalid email names the field and shows an example', async () => {
    const res = await facilitator.post('/api/facilitators', { email: 'tanaka@', password: 'long enough password', displayName: '田中' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'email', rule: 'format', format: 'email' });
    expect(res.body.message).toBe('メールアドレスの形式が正しくありません（例: name@example.jp） / Email address is not valid (e.g. name@example.jp)');
  });

  it('an unknown field is named', async () => {
    const res = await facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', owner: 'someone-else' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'owner', rule: 'additionalProperties' });
    expect(res.body.message).toMatch(/^「owner」という項目は受け付けていません \/ Unknown field "owner"/);
  });

  it('says what to do for the other rules', async () => {
    const cases: [Promise<{ status: number; body: any }>, Record<string, unknown>, RegExp][] = [
      [facilitator.post('/api/events', { title: '   ', date: '2026-12-01' }), { field: 'title', rule: 'pattern' }, /^タイトルを入力してください/],
      [facilitator.post('/api/events', { title: '', date: '2026-12-01' }), { field: 'title', rule: 'minLength', limit: 1 }, /^タイトルを入力してください/],
      [facilitator.post('/api/events', { title: 'x'.repeat(121), date: '2026-12-01' }), { field: 'title', rule: 'maxLength', limit: 120 }, /^タイトルは120文字以内で/],
      [facilitator.post('/api/events', { title: '勉強会', date: 'next friday' }), { field: 'date', rule: 'format', format: 'date' }, /^日付の形式が正しくありません（例: 2026-12-01）/],
      [facilitator.post('/api/events', { title: '勉強会' }), { field: 'date', rule: 'required' }, /^日付を入力してください \/ Date is required$/],
      [facilitator.post('/api/events', { title: '勉強会', date: '2026-12-01', kind: 'party' }), { field: 'kind', rule: 'enum' }, /^形式は決められた選択肢から選んでください/],
      [facilitator.post('/api/setup', { email: 'a@example.jp', password: 'short', displayName: 'x' }), { field: 'password', rule: 'minLength', limit: 10 }, /^パスワードは10文字以上で入力してください/],
      [facilitator.post(`/api/events/${event.id}/rooms`, { name: 'r'.repeat(61) }), { field: 'name', rule: 'maxLength', limit: 60 }, /^ルーム名は60文字以内で/],
      [facilitator.post(`/api/events/${event.id}/companies`, { name: 'c'.repeat(101) }), { field: 'name', rule: 'maxLength', limit: 100 }, /^会社名は100文字以内で/],
      [facilitator.post(`/api/events/${event.id}/companies`, {}), { field: 'companyId', rule: 'required' }, /^会社または会社名を指定してください \/ Give company or company name$/],
      [facilitator.get('/api/events/not-a-uuid'), { field: 'eventId', rule: 'format', format: 'uuid' }, /^リンクが正しくありません/],
      [facilitator.patch(`/api/events/${event.id}`, {}), { field: 'companiesLocked', rule: 'required' }, /^受付の締め切りを入力してください/],
    ];
    for (const [pending, shape, message] of cases) {
      const res = await pending;
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject(shape);
      expect(res.body.message).toMatch(message);
      expect(res.body.message).not.toMatch(/body\/|params\/|must NOT/);
    }
  });

  it('an API path with a malformed escape is a JSON 400 in both languages', async () => {
    const res = await fetch(`${server.origin}/api/join/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe('URL が正しくありません。リンクを確認してください / The URL is malformed. Check the link');
  });
});
