import { describe, expect, it } from 'vitest';
import {
  DEFAULT_AGENDA,
  IDLE_CLOCK,
  clockOffset,
  cueBetween,
  extend,
  formatCountdown,
  pause,
  remainingMs,
  resume,
  startStep,
} from '../../../shared/meetup/clock.ts';

describe('agenda clock', () => {
  it('counts down from the server-held end time', () => {
    const clock = startStep(2, 10 * 60_000, 1_000_000);
    expect(clock).toMatchObject({ status: 'running', stepIndex: 2, endsAt: 1_600_000 });
    expect(remainingMs(clock, 1_000_000)).toBe(600_000);
    expect(remainingMs(clock, 1_599_000)).toBe(1_000);
    expect(remainingMs(clock, 1_605_000)).toBe(-5_000);
    expect(remainingMs(IDLE_CLOCK, 0)).toBeNull();
    expect(() => startStep(0, 0, 0)).toThrow(RangeError);
  });

  it('pauses, resumes and extends without losing time', () => {
    const running = startStep(0, 60_000, 0);
    const paused = pause(running, 20_000);
    expect(paused).toMatchObject({ status: 'paused', pausedRemainingMs: 40_000, endsAt: null });
    expect(remainingMs(paused, 999_999)).toBe(40_000);
    expect(pause(paused, 30_000)).toBe(paused);
    const resumed = resume(paused, 100_000);
    expect(remainingMs(resumed, 100_000)).toBe(40_000);
    expect(remainingMs(extend(resumed, 60_000, 110_000), 110_000)).toBe(90_000);
    expect(remainingMs(extend(paused, 30_000, 0), 0)).toBe(70_000);
    // A step already in overtime gets the extra time from now.
    expect(remainingMs(extend(running, 120_000, 90_000), 90_000)).toBe(120_000);
    expect(extend(IDLE_CLOCK, 1000, 0)).toBe(IDLE_CLOCK);
  });

  it('estimates the client clock offset from the shortest round trip', () => {
    // The client is 5 s behind the server; the second sample was delayed on its way back.
    const offset = clockOffset([
      { sentAt: 1000, serverTime: 6050, receivedAt: 1100 },
      { sentAt: 2000, serverTime: 7010, receivedAt: 2900 },
      { sentAt: 3000, serverTime: 8010, receivedAt: 3020 },
    ]);
    expect(offset).toBe(5000);
    expect(clockOffset([])).toBe(0);
  });

  it('two clients with different clocks show the same remaining time', () => {
    const clock = startStep(0, 300_000, 50_000);
    const serverNow = 120_000;
    const clientA = { now: serverNow - 3000, offset: 3000 };
    const clientB = { now: serverNow + 42_000, offset: -42_000 };
    expect(remainingMs(clock, clientA.now + clientA.offset)).toBe(remainingMs(clock, clientB.now + clientB.offset));
  });

  it('formats mm:ss rounding up, with overtime as +mm:ss', () => {
    expect(formatCountdown(600_000)).toBe('10:00');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-500)).toBe('0:00');
    expect(formatCountdown(-61_000)).toBe('+1:01');
  });

  it('cues once at one minute left and once at zero', () => {
    expect(cueBetween(61_000, 60_000)).toBe('oneMinute');
    expect(cueBetween(60_000, 59_000)).toBeNull();
    expect(cueBetween(1000, 0)).toBe('zero');
    expect(cueBetween(0, -1000)).toBeNull();
    expect(cueBetween(null, 5000)).toBeNull();
    // A long jump (tab asleep) past both thresholds cues the later one.
    expect(cueBetween(120_000, -5000)).toBe('zero');
  });

  it('ships a 90-minute default agenda in the study-session order', () => {
    expect(DEFAULT_AGENDA.map((s) => s.title.ja)).toEqual(['自己紹介', 'ワークシート記入', '各社の共有', '気付きの投稿', '採点', '比較と議論', '全体共有', '持ち帰り']);
    expect(DEFAULT_AGENDA.reduce((sum, s) => sum + s.durationMinutes, 0)).toBe(90);
  });
});
