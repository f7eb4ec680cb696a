// socket.io payloads are checked by TypeBox, HTTP bodies by ajv: both must answer alike (the same
// field, rule and bilingual message), so TypeBox's errors are read in ajv's shape.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { describeValidation, fromTypeBoxErrors, type TypeBoxError } from '../../server/validation-messages.ts';

const Payload = Type.Object(
  {
    eventId: Type.String({ format: 'uuid' }),
    seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 5 })),
  },
  { additionalProperties: false },
);
const check = Compile(Payload);
const EVENT_ID = '6f1c5e1e-1111-4111-8111-111111111111';

function problemOf(payload: unknown) {
  expect(check.Check(payload)).toBe(false);
  return describeValidation(fromTypeBoxErrors(check.Errors(payload) as TypeBoxError[]), 'payload', 'test:event');
}

describe('socket.io payload errors', () => {
  it('name one missing property, not every one TypeBox lists', () => {
    const errors = fromTypeBoxErrors([{ keyword: 'required', schemaPath: '#', instancePath: '', params: { requiredProperties: ['a', 'b'] } }]);
    expect(errors).toEqual([{ keyword: 'required', instancePath: '', params: { missingProperty: 'a' } }]);
    expect(problemOf({})).toEqual({ field: 'eventId', rule: 'required', message: 'イベントを入力してください / Session is required' });
  });

  it('report an unknown property once, by its name', () => {
    expect(problemOf({ eventId: EVENT_ID, extra: 1 })).toMatchObject({ field: 'extra', rule: 'additionalProperties', message: expect.stringContaining('「extra」') });
  });

  it('carry limits and formats', () => {
    expect(problemOf({ eventId: EVENT_ID, seconds: 601 })).toEqual({ field: 'seconds', rule: 'maximum', limit: 600, message: '秒数は600以下で指定してください / Seconds must be at most 600' });
    expect(problemOf({ eventId: EVENT_ID, seconds: 1 })).toMatchObject({ field: 'seconds', rule: 'minimum', limit: 5 });
    expect(problemOf({ eventId: EVENT_ID, name: 'abcdef' })).toMatchObject({ field: 'name', rule: 'maxLength', limit: 5 });
    expect(problemOf({ eventId: 'x' })).toMatchObject({ field: 'eventId', rule: 'format', format: 'uuid' });
  });

  it('say the payload itself must be an object', () => {
    expect(problemOf(null)).toEqual({ field: 'payload', rule: 'type', message: '送信内容はオブジェクトで送ってください / The payload must be an object' });
  });
});
