// The outbox's rules without a socket: order, coalescing by key, what an answer means, and the
// stored form surviving a reload (and garbage).
import { describe, expect, it } from 'vitest';
import {
  MAX_OUTBOX_ITEMS,
  deserialize,
  enqueue,
  outcomeOf,
  remove,
  retryDelayMs,
  serialize,
  type OutboxItem,
} from '../../../../client/lib/state/outbox-queue.ts';

let counter = 0;
function item(key: string, payload: unknown = {}, event = 'score:set'): OutboxItem {
  counter++;
  return { id: `id-${counter}`, event, payload, key, queuedAt: counter };
}

function build(...items: OutboxItem[]): OutboxItem[] {
  let queue: OutboxItem[] = [];
  for (const i of items) queue = enqueue(queue, i)!;
  return queue;
}

describe('enqueue', () => {
  it('keeps actions in the order they were made', () => {
    const queue = build(item('a'), item('b'), item('c'));
    expect(queue.map((q) => q.key)).toEqual(['a', 'b', 'c']);
  });

  it('collapses several changes to one score into the last, placed where it was last made', () => {
    const first = item('score:e:acme:pr', { value: 1 });
    const last = item('score:e:acme:pr', { value: 3 });
    const queue = build(first, item('score:e:acme:data', { value: 2 }), item('score:e:acme:pr', { value: 0 }), last);
    expect(queue.map((q) => [q.key, q.payload])).toEqual([
      ['score:e:acme:data', { value: 2 }],
      ['score:e:acme:pr', { value: 3 }],
    ]);
    expect(queue.at(-1)).toBe(last);
  });

  it('does not touch the queue it was given', () => {
    const queue = build(item('a'));
    const before = [...queue];
    enqueue(queue, item('a'));
    expect(queue).toEqual(before);
  });

  it('refuses a new action when the queue is full, but still accepts one replacing a waiting action', () => {
    const full = Array.from({ length: MAX_OUTBOX_ITEMS }, (_, i) => item(`k${i}`));
    expect(enqueue(full, item('new'))).toBeNull();
    expect(enqueue(full, item('k7'))?.length).toBe(MAX_OUTBOX_ITEMS);
  });
});

describe('remove', () => {
  it('drops the answered action, and nothing if a newer one replaced it meanwhile', () => {
    const sent = item('a', { value: 1 });
    let queue = build(sent, item('b'));
    expect(remove(queue, sent.id).map((q) => q.key)).toEqual(['b']);
    queue = enqueue(queue, item('a', { value: 2 }))!;
    expect(remove(queue, sent.id).map((q) => [q.key, q.payload])).toEqual([
      ['b', {}],
      ['a', { value: 2 }],
    ]);
  });
});

describe('outcomeOf', () => {
  it('drops an acknowledged action', () => {
    expect(outcomeOf({ kind: 'ack', res: { ok: true } })).toBe('done');
  });
  it('drops and reports an action the server refused for good', () => {
    expect(outcomeOf({ kind: 'ack', res: { ok: false, error: 'この勉強会は終了しています / This session is closed' } })).toBe('refused');
  });
  it('keeps an action that got no answer, or one the server could not handle now', () => {
    expect(outcomeOf({ kind: 'no-answer' })).toBe('retry');
    expect(outcomeOf({ kind: 'ack', res: { ok: false, error: 'too many score changes, slow down', retry: true } })).toBe('retry');
  });
});

describe('retryDelayMs', () => {
  it('backs off from 1 s to at most 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });
});

describe('the stored form', () => {
  it('round-trips', () => {
    const queue = build(item('a', { value: 1 }), item('b', { value: null }, 'card:react'));
    expect(deserialize(serialize(queue))).toEqual(queue);
  });

  it('reads nothing from missing or malformed storage', () => {
    expect(deserialize(null)).toEqual([]);
    expect(deserialize('')).toEqual([]);
    expect(deserialize('{not json')).toEqual([]);
    expect(deserialize('null')).toEqual([]);
    expect(deserialize(JSON.stringify({ v: 2, items: [] }))).toEqual([]);
    expect(deserialize(JSON.stringify([item('a')]))).toEqual([]);
  });

  it('skips malformed items and collapses duplicate keys', () => {
    const good = item('a', { value: 1 });
    const newer = item('a', { value: 2 });
    const text = JSON.stringify({ v: 1, items: [good, { id: 1, event: 'x', key: 'b' }, null, 'x', { ...item('c'), queuedAt: 'yesterday' }, newer] });
    expect(deserialize(text)).toEqual([newer]);
  });
});
