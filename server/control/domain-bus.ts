// The one path for server-decided changes: a command validates, writes PostgreSQL in one
// transaction, then publishes a domain event here. Subscribers (socket.io broadcaster, sync
// rights) act on it. A subscriber that throws is logged and does not stop the others.
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';

export type DomainSubscriber = (event: DomainEvent) => void | Promise<void>;

export interface BusLogger {
  error(obj: object, msg: string): void;
}

export class DomainBus {
  private readonly subscribers: DomainSubscriber[] = [];

  constructor(private readonly log: BusLogger) {}

  subscribe(subscriber: DomainSubscriber): () => void {
    this.subscribers.push(subscriber);
    return () => {
      const index = this.subscribers.indexOf(subscriber);
      if (index >= 0) this.subscribers.splice(index, 1);
    };
  }

  /** Delivers the event to every subscriber, in order; resolves when all have handled it. */
  async publish(event: DomainEvent): Promise<void> {
    for (const subscriber of this.subscribers) {
      try {
        await subscriber(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'domain event subscriber failed');
      }
    }
  }
}
