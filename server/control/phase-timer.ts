// Ends closing countdowns on the server, so the event reaches the plenary even when no
// facilitator's browser is open: a timer per counting-down event, set from the domain events
// (a facilitator started, restarted or cancelled the countdown) and, at start-up, from the
// database (countdowns that ran out while the server was down end at once).
import type { Db } from '../db/client.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import { getMeetupState } from '../domain/meetup.ts';
import { closingEvents, settleClosing } from '../domain/phase.ts';

type Publish = (event: DomainEvent) => Promise<void>;

export interface TimerLogger {
  error(obj: object, msg: string): void;
}

/** After a failure (database briefly away), try again this much later. */
const RETRY_MS = 2000;

/**
 * Moves the event to the plenary if its countdown has run out, and tells everyone. Returns
 * whether this call did it; when the countdown is still running, when it ends.
 */
export async function settleAndPublish(db: Db, publish: Publish, eventId: string, now = Date.now()): Promise<{ settled: boolean; endsAt: number | null }> {
  const result = await settleClosing(db, eventId, now);
  if (!result.settled) return result;
  await publish({ type: 'meetup.changed', eventId, state: await getMeetupState(db, eventId) });
  return { settled: true, endsAt: null };
}

export class PhaseTimer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly publish: Publish,
    private readonly log: TimerLogger,
  ) {}

  /** Domain-bus subscriber: follows every change of an event's phase. */
  readonly onDomainEvent = (event: DomainEvent): void => {
    if (event.type !== 'meetup.changed') return;
    const { phase, phaseEndsAt } = event.state;
    if (phase === 'closing' && phaseEndsAt !== null) this.schedule(event.eventId, phaseEndsAt);
    else this.cancel(event.eventId);
  };

  /** At start-up: every countdown in the database (ones that already ran out end now). */
  async resume(): Promise<void> {
    for (const { eventId, endsAt } of await closingEvents(this.db)) this.schedule(eventId, endsAt);
  }

  /** The events with a countdown running here (for tests). */
  get pending(): string[] {
    return [...this.timers.keys()];
  }

  schedule(eventId: string, endsAt: number, now = Date.now()): void {
    this.cancel(eventId);
    if (this.stopped) return;
    const timer = setTimeout(() => void this.fire(eventId), Math.max(0, endsAt - now));
    this.timers.set(eventId, timer);
  }

  cancel(eventId: string): void {
    clearTimeout(this.timers.get(eventId));
    this.timers.delete(eventId);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async fire(eventId: string): Promise<void> {
    this.timers.delete(eventId);
    if (this.stopped) return;
    try {
      const result = await settleAndPublish(this.db, this.publish, eventId);
      // Not yet (this machine's timer ran a little early): wait for the rest.
      if (!result.settled && result.endsAt !== null && !this.timers.has(eventId)) this.schedule(eventId, Math.max(result.endsAt, Date.now() + 50));
    } catch (err) {
      if (this.stopped) return;
      // A deleted event has nothing to settle; anything else is tried again shortly.
      if ((err as { statusCode?: number }).statusCode === 404) return;
      this.log.error({ err, eventId }, 'could not end the closing countdown; retrying');
      if (!this.timers.has(eventId)) this.schedule(eventId, Date.now() + RETRY_MS);
    }
  }
}
