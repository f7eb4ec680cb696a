import { describe, expect, it } from 'vitest';
import { newerState } from '../../../shared/meetup/state-order.ts';
import type { MeetupState } from '../../../shared/protocol/meetup.ts';

const EVENT = '00000000-0000-4000-8000-000000000001';

function state(revision: number, eventId = EVENT): MeetupState {
  return {
    eventId,
    revision,
    kind: 'meetup',
    theme: null,
    coveredElements: [],
    scoresHidden: false,
    elementScoring: true,
    roomMode: 'assigned',
    phase: 'breakout',
    phaseEndsAt: null,
    spotlight: null,
    agenda: [],
    clock: { status: 'idle', stepIndex: null, endsAt: null, pausedRemainingMs: null },
    rooms: [],
    banners: [],
    done: [],
  };
}

describe('newerState', () => {
  it('takes the first state of the event', () => {
    const first = state(3);
    expect(newerState(null, first, EVENT)).toBe(first);
  });

  it('takes a newer revision and an equal one (read a moment later)', () => {
    const current = state(3);
    const newer = state(4);
    const same = state(3);
    expect(newerState(current, newer, EVENT)).toBe(newer);
    expect(newerState(current, same, EVENT)).toBe(same);
  });

  it('keeps the current state when an older one arrives late', () => {
    const current = state(7);
    expect(newerState(current, state(6), EVENT)).toBe(current);
  });

  it('ignores another event’s state', () => {
    const current = state(1);
    expect(newerState(current, state(9, '00000000-0000-4000-8000-000000000002'), EVENT)).toBe(current);
    expect(newerState(null, state(9, '00000000-0000-4000-8000-000000000002'), EVENT)).toBeNull();
  });
});
