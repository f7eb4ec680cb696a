// The one path for server-decided changes: a command validates, writes PostgreSQL in one
// transaction, then publishes a domain event here. Subscribers (socket.io broadcaster, sync
// rights) act on it. A subscriber that throws is logged and does not stop the others.
//
// With several nodes (server/cluster/domain-relay.ts) an event also reaches the other nodes. Two
// kinds of subscriber: `subscribe` runs once, on the node where the event happened (socket.io
// pushes: the Redis adapter already delivers them to every node's sockets); `subscribeEveryNode`
// runs on every node (what is held per node: live document connections, timers).
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';

export type DomainSubscriber = (event: DomainEvent) => void | Promise<void>;

export interface BusLogger {
  error(obj: object, msg: string): void;
}

/** Carries events to the other nodes and brings theirs (server/cluster/domain-relay.ts). */
export interface DomainTransport {
  send(event: DomainEvent): void;
  onReceive(handler: (event: DomainEvent) => void): void;
}

interface Subscription {
  subscriber: DomainSubscriber;
  everyNode: boolean;
}

export class DomainBus {
  private readonly subscriptions: Subscription[] = [];
  private transport: DomainTransport | undefined;

  constructor(private readonly log: BusLogger) {}

  /** Runs once per event, on the node where it was published. */
  subscribe(subscriber: DomainSubscriber): () => void {
    return this.add({ subscriber, everyNode: false });
  }

  /** Runs on every node for every event (for state each node holds itself). */
  subscribeEveryNode(subscriber: DomainSubscriber): () => void {
    return this.add({ subscriber, everyNode: true });
  }

  /** Multi-node: events go to the other nodes too, and theirs come in here. */
  connect(transport: DomainTransport): void {
    this.transport = transport;
    transport.onReceive((event) => void this.deliver(event, true));
  }

  /** Delivers the event to every subscriber, in order; resolves when all have handled it. */
  async publish(event: DomainEvent): Promise<void> {
    this.transport?.send(event);
    await this.deliver(event, false);
  }

  private add(subscription: Subscription): () => void {
    this.subscriptions.push(subscription);
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index >= 0) this.subscriptions.splice(index, 1);
    };
  }

  private async deliver(event: DomainEvent, fromOtherNode: boolean): Promise<void> {
    for (const { subscriber, everyNode } of [...this.subscriptions]) {
      if (fromOtherNode && !everyNode) continue;
      try {
        await subscriber(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'domain event subscriber failed');
      }
    }
  }
}
