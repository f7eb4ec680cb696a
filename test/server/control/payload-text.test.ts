// The text rules of the HTTP edge (test/server/input-edge.test.ts) hold on the control plane too:
// a socket.io payload whose text holds a control character or a lone surrogate, or a name with a
// line break, is refused for good with a bilingual message naming the field (never an "internal
// error" to retry), and changes nothing. Multi-line texts keep their line breaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPerFile } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { ask, connectControlClient, type ControlClient } from '../../helpers/control-client.ts';
import type { MeetupState } from '../../../shared/protocol/meetup.ts';

const testServer = serverPerFile();
let event: { id: string; joinCode: string };
let fac: ControlClient;
let participant: ControlClient;

beforeAll(async () => {
  const facilitator = await setupFacilitator(testServer.server.origin);
  event = await createEvent(facilitator, '制御文字テスト');
  const person = await joinAs(testServer.server.origin, event.joinCode, '田中', '青空通販');
  fac = await connectControlClient(testServer.server.origin, facilitator.cookie, event.id);
  participant = await connectControlClient(testServer.server.origin, person.client.cookie, event.id);
});

afterAll(() => {
  fac?.socket.disconnect();
  participant?.socket.disconnect();
});

const state = async () => (await ask(fac.socket, 'meetup:get', { eventId: event.id })).state as MeetupState;
const steps = (ja: string, en = 'Step') => [{ title: { ja, en }, durationMinutes: 10 }];

describe('text in socket.io payloads', () => {
  it('a control character is a validation error naming the field, like the HTTP 400', async () => {
    const before = await state();
    const roomId = before.rooms[0]!.id;
    const res = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'a\u0000b' });
    expect(res).toEqual({
      ok: false,
      error: 'ルーム名に使えない文字（制御文字）が含まれています / Room name contains a control character that is not allowed',
      field: 'name',
      rule: 'controlCharacter',
    });
    const cases: Array<[string, ControlClient, Record<string, unknown>, string]> = [
      ['room:rename', fac, { eventId: event.id, roomId, name: 'room\u001b[31m' }, 'name'],
      ['agenda:set', fac, { eventId: event.id, steps: steps('自己紹介\u0007') }, 'steps'],
      ['agenda:set', fac, { eventId: event.id, steps: steps('自己紹介', 'Intro\u0000') }, 'steps'],
      ['meetup:settings', fac, { eventId: event.id, theme: '\u0001' }, 'theme'],
      ['banner:send', fac, { eventId: event.id, roomId: null, text: 'お知らせ\u0000' }, 'text'],
      ['help:request', participant, { eventId: event.id, text: '助けて\u0000' }, 'text'],
      ['card:react', participant, { eventId: event.id, docName: `room:${roomId}`, cardId: 'evil\u00000', on: true }, 'cardId'],
    ];
    for (const [name, client, payload, field] of cases) {
      const refused = await ask(client.socket, name, payload);
      expect(refused, name).toMatchObject({ ok: false, field, rule: 'controlCharacter', error: expect.stringMatching(/使えない文字.* \/ .*control character/) });
      expect(refused.retry, name).toBeUndefined();
    }
    expect(await state()).toEqual(before);
    expect((await ask(fac.socket, 'meetup:get', { eventId: event.id })).help).toEqual([]);
  });

  it('a lone surrogate (half an emoji) is refused instead of being stored as U+FFFD', async () => {
    const before = await state();
    for (const broken of ['\uD83D', 'x\uDE00y', '\uDE00\uD83D']) {
      const res = await ask(fac.socket, 'room:create', { eventId: event.id, name: `ルーム${broken}` });
      expect(res, JSON.stringify(broken)).toEqual({
        ok: false,
        error: 'ルーム名に壊れた文字（対になっていないサロゲート）が含まれています / Room name contains a broken character (an unpaired surrogate)',
        field: 'name',
        rule: 'invalidUnicode',
      });
    }
    const help = await ask(participant.socket, 'help:request', { eventId: event.id, text: 'ヘルプ\uD83D' });
    expect(help).toMatchObject({ ok: false, field: 'text', rule: 'invalidUnicode' });
    expect(await state()).toEqual(before);
    // A whole emoji is fine.
    const created = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルーム 😀' });
    expect(created.ok).toBe(true);
    expect((await state()).rooms.map((r) => r.name)).toContain('ルーム 😀');
  });

  it('a payload nested deeper than 32 levels is refused as a whole, before its schema is checked', async () => {
    const before = await state();
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    const res = await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルーム', extra: deep });
    expect(res).toEqual({
      ok: false,
      error: '送信内容の入れ子が深すぎます（32段まで） / The payload is nested too deeply (at most 32 levels)',
      field: 'payload',
      rule: 'maxDepth',
    });
    expect(await state()).toEqual(before);
  });

  it('a line break in a name or title is refused; multi-line messages keep theirs', async () => {
    const before = await state();
    const roomId = before.rooms[0]!.id;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['room:create', { eventId: event.id, name: 'ルーム\nA' }, 'name'],
      ['room:create', { eventId: event.id, name: 'ルーム A\r' }, 'name'],
      ['room:create', { eventId: event.id, name: 'ルーム\u2028A' }, 'name'],
      ['room:rename', { eventId: event.id, roomId, name: '一行目\r\n二行目' }, 'name'],
      ['agenda:set', { eventId: event.id, steps: steps('自己\n紹介') }, 'steps'],
      ['agenda:set', { eventId: event.id, steps: steps('自己紹介', 'Intro-\nduction') }, 'steps'],
      ['meetup:settings', { eventId: event.id, theme: '顧客と\nデータ' }, 'theme'],
    ];
    for (const [name, payload, field] of cases) {
      const refused = await ask(fac.socket, name, payload);
      expect(refused, `${name} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, field, rule: 'lineBreak' });
      expect(refused.retry).toBeUndefined();
    }
    expect(await ask(fac.socket, 'room:create', { eventId: event.id, name: 'ルーム\nB' })).toMatchObject({
      error: 'ルーム名に改行は使えません。1行で入力してください / Room name must be on one line, without line breaks',
    });
    expect(await state()).toEqual(before);

    const banner = await ask(fac.socket, 'banner:send', { eventId: event.id, roomId: null, text: '10分休憩です。\n再開は 15:10 です' });
    expect(banner.ok).toBe(true);
    expect(JSON.stringify(banner.state)).toContain('10分休憩です。\\n再開は 15:10 です');
    expect((await ask(participant.socket, 'help:request', { eventId: event.id, text: '採点が\r\n分かりません' })).ok).toBe(true);
    const help = (await ask(fac.socket, 'meetup:get', { eventId: event.id })).help as Array<{ text: string }>;
    expect(help.map((h) => h.text)).toContain('採点が\r\n分かりません');
  });
});
