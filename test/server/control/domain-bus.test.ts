// The domain bus with a transport to other nodes: an event published here runs every subscriber
// here and goes to the others once; an event from another node runs only the every-node
// subscribers (socket.io pushes already reached every node through the Redis adapter).
import { describe, expect, it } from 'vitest';
import { DomainBus, type DomainTransport } from '../../../server/control/domain-bus.ts';
import type { DomainEvent } from '../../../shared/protocol/domain-events.ts';

/** Two buses joined like two nodes on one Redis channel (delivery is asynchronous, as there). */
function linkedPair(): [DomainBus, DomainBus] {
  const log = { error: () => {} };
  const buses = [new DomainBus(log), new DomainBus(log)] as const;
  const handlers: Array<(event: DomainEvent) => void> = [];
  buses.forEach((bus, i) => {
    const transport: DomainTransport = {
      send: (event) => queueMicrotask(() => handlers[1 - i]?.(structuredClone(event))),
      onReceive: (handler) => void (handlers[i] = handler),
    };
    bus.connect(transport);
  });
  return [buses[0], buses[1]];
}

describe('domain bus across nodes', () => {
  it('runs publish-node subscribers once and every-node subscribers on each node', async () => {
    const [a, b] = linkedPair();
    const seen: string[] = [];
    for (const [name, bus] of [['A', a], ['B', b]] as const) {
      bus.subscribe((e) => void seen.push(`${name} once ${e.type}`));
      bus.subscribeEveryNode((e) => void seen.push(`${name} every ${e.type}`));
    }
    await a.publish({ type: 'event.closed', eventId: 'e1' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.sort()).toEqual(['A every event.closed', 'A once event.closed', 'B every event.closed']);
  });

  it('a failing subscriber does not stop the others, on either node', async () => {
    const errors: string[] = [];
    const bus = new DomainBus({ error: (_o, msg) => void errors.push(msg) });
    const seen: string[] = [];
    bus.subscribeEveryNode(() => {
      throw new Error('boom');
    });
    bus.subscribeEveryNode((e) => void seen.push(e.type));
    await bus.publish({ type: 'signed-out', filter: { userId: 'u1' } });
    expect(seen).toEqual(['signed-out']);
    expect(errors).toHaveLength(1);
  });
});
