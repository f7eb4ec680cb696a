// Whole-state pushes are coalesced per event: a flood of done marks (or help text changes) sends
// everyone at most a few state frames a second, the last one carrying the final state; a mark as
// it already is changes and pushes nothing.
import { describe, expect, it, vi } from 'vitest';
import { controlSuite } from '../../helpers/control-suite.ts';
import { createEvent, joinAs } from '../../helpers/fixtures.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { ask, type ControlClient } from '../../helpers/control-client.ts';
import { coalescer, PUSH_INTERVAL_MS } from '../../../server/control/push-coalescer.ts';

const suite = controlSuite();
const { testServer, connect } = suite;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (client: ControlClient, event: string) => client.frames.filter(([e]) => e === event).length;

async function meetupWithStep() {
  const event = await createEvent(suite.facilitator, `交流会 ${Math.random()}`);
  const alice = await joinAs(testServer.server.origin, event.joinCode, 'Alice', `Acme-${event.id.slice(0, 4)}`);
  const fac = await connect(suite.facilitator.cookie, event.id);
  const board = await connect(alice.client.cookie, event.id);
  expect((await ask(fac.socket, 'clock:start', { eventId: event.id, stepIndex: 0 })).ok).toBe(true);
  await sleep(PUSH_INTERVAL_MS * 2);
  return { event, alice, fac, board };
}

describe('meetup state pushes', () => {
  it('a burst of done marks reaches listeners as a few frames, the last with the final state', async () => {
    const { event, alice, fac, board } = await meetupWithStep();
    const before = count(fac, 'meetup:state');
    // Sent together (as a flood does), then one more once they are answered: the final state.
    const marks = Array.from({ length: 19 }, (_, i) => i % 2 === 0);
    const answers = await Promise.all(marks.map((done) => ask(board.socket, 'step:done', { eventId: event.id, done })));
    expect(answers.filter((res) => !res.ok)).toEqual([]);
    expect((await ask(board.socket, 'step:done', { eventId: event.id, done: false })).ok).toBe(true);
    await eventually(() => expect(fac.last('meetup:state')?.done).toEqual([]));
    await sleep(PUSH_INTERVAL_MS * 2);
    expect(fac.last('meetup:state')?.done).toEqual([]);
    const pushed = count(fac, 'meetup:state') - before;
    expect(pushed).toBeGreaterThan(0);
    expect(pushed).toBeLessThan(marks.length / 2);
    // And once more after the window: the mark arrives (the trailing frame is not the only one).
    expect((await ask(board.socket, 'step:done', { eventId: event.id, done: true })).ok).toBe(true);
    await eventually(() => expect(fac.last('meetup:state')?.done).toEqual([alice.userId]));
  });

  it('a done mark as it already is answers the state and pushes nothing', async () => {
    const { event, alice, fac, board } = await meetupWithStep();
    expect((await ask(board.socket, 'step:done', { eventId: event.id, done: true })).state.done).toEqual([alice.userId]);
    await eventually(() => expect(fac.last('meetup:state')?.done).toEqual([alice.userId]));
    await sleep(PUSH_INTERVAL_MS * 2);
    const before = count(fac, 'meetup:state');
    for (let i = 0; i < 5; i++) {
      const again = await ask(board.socket, 'step:done', { eventId: event.id, done: true });
      expect(again.state.done).toEqual([alice.userId]);
    }
    await sleep(PUSH_INTERVAL_MS * 2);
    expect(count(fac, 'meetup:state')).toBe(before);
  });
});

describe('help request pushes', () => {
  it('a burst of text changes reaches facilitators as a few lists, the last with the final text and the cue kept', async () => {
    const { event, fac, board } = await meetupWithStep();
    const before = count(fac, 'help:requests');
    const answers = await Promise.all(Array.from({ length: 11 }, (_, i) => ask(board.socket, 'help:request', { eventId: event.id, text: `help ${i}` })));
    expect(answers.filter((res) => !res.ok)).toEqual([]);
    expect((await ask(board.socket, 'help:request', { eventId: event.id, text: 'help 11' })).ok).toBe(true);
    await eventually(() => expect(fac.last('help:requests')?.requests.map((r: { text: string }) => r.text)).toEqual(['help 11']));
    await sleep(PUSH_INTERVAL_MS * 2);
    const lists = fac.frames.filter(([e]) => e === 'help:requests').slice(before).map(([, p]) => p);
    expect(lists.length).toBeLessThan(6);
    expect(lists[0].added).toBe(true);
  });
});

describe('coalescer', () => {
  it('with no interval (several nodes) sends every push as it comes, in order', () => {
    const sent: number[] = [];
    const c = coalescer<number>((v) => sent.push(v), undefined, 0);
    for (const v of [1, 2, 3]) c.push('event', v);
    expect(sent).toEqual([1, 2, 3]);
  });

  it('sends the first at once, holds the rest of the window and sends only the latest (merged) at its end', () => {
    vi.useFakeTimers();
    try {
      const sent: Array<[string, number]> = [];
      const c = coalescer<[string, number]>((v) => sent.push(v), (held, next) => [next[0], held[1] + next[1]], 100);
      c.push('a', ['a1', 1]);
      c.push('b', ['b1', 1]);
      c.push('a', ['a2', 1]);
      c.push('a', ['a3', 1]);
      expect(sent).toEqual([['a1', 1], ['b1', 1]]);
      vi.advanceTimersByTime(100);
      expect(sent).toEqual([['a1', 1], ['b1', 1], ['a3', 2]]);
      // The trailing send opened a new window.
      c.push('a', ['a4', 1]);
      expect(sent.length).toBe(3);
      vi.advanceTimersByTime(100);
      expect(sent.at(-1)).toEqual(['a4', 1]);
      vi.advanceTimersByTime(100);
      c.push('a', ['a5', 1]);
      expect(sent.at(-1)).toEqual(['a5', 1]);
    } finally {
      vi.useRealTimers();
    }
  });
});
