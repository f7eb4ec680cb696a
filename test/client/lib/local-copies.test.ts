// Signing out removes the person's outboxes of unsent score changes (localStorage), in every event,
// and nobody else's: another person who used this browser may still have changes waiting to be sent.
import { describe, expect, it } from 'vitest';
import { deleteOutboxes, isOutboxOf, outboxKey } from '../../../client/lib/api/local-copies.ts';

const ME = '0b5e3c1a-1111-4aaa-8bbb-000000000001';
const OTHER = '0b5e3c1a-2222-4aaa-8bbb-000000000002';
const EVENT_A = 'a0000000-0000-4000-8000-00000000000a';
const EVENT_B = 'b0000000-0000-4000-8000-00000000000b';

/** localStorage as a Map, with the Storage interface deleteOutboxes walks. */
function memoryStorage(entries: Record<string, string>) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    removeItem: (key: string) => void map.delete(key),
  };
}

describe('outbox keys', () => {
  it('name the event and the person', () => {
    expect(outboxKey(EVENT_A, ME)).toBe(`kizuki:outbox:${EVENT_A}:${ME}`);
    expect(isOutboxOf(outboxKey(EVENT_A, ME), ME)).toBe(true);
    expect(isOutboxOf(outboxKey(EVENT_A, OTHER), ME)).toBe(false);
    // Not an outbox, or not one event and one person.
    expect(isOutboxOf(`kizuki:${ME}:sheet:x`, ME)).toBe(false);
    expect(isOutboxOf(`kizuki:outbox:${ME}`, ME)).toBe(false);
    expect(isOutboxOf(`kizuki:outbox::${ME}`, ME)).toBe(false);
    expect(isOutboxOf(`kizuki:outbox:${EVENT_A}:${ME}:extra`, ME)).toBe(false);
    expect(isOutboxOf(`kizuki:outbox:${EVENT_A}:x${ME}`, ME)).toBe(false);
  });
});

describe('deleteOutboxes', () => {
  it('removes the person’s outboxes in every event, and nothing else', () => {
    const storage = memoryStorage({
      [outboxKey(EVENT_A, ME)]: '[]',
      [outboxKey(EVENT_A, OTHER)]: '[]',
      [outboxKey(EVENT_B, ME)]: '[]',
      [outboxKey(EVENT_B, OTHER)]: '[]',
      'kizuki:locale': 'ja',
      [`kizuki:join-request:${EVENT_A}`]: 'r',
    });
    deleteOutboxes(ME, storage);
    expect([...storage.map.keys()].sort()).toEqual(
      [outboxKey(EVENT_A, OTHER), outboxKey(EVENT_B, OTHER), 'kizuki:locale', `kizuki:join-request:${EVENT_A}`].sort(),
    );
  });

  it('does nothing, and does not throw, without storage or when it fails', () => {
    expect(() => deleteOutboxes(ME, null)).not.toThrow();
    const broken = {
      get length(): number {
        throw new Error('SecurityError');
      },
      key: () => null,
      removeItem: () => undefined,
    };
    expect(() => deleteOutboxes(ME, broken)).not.toThrow();
  });
});
