// Domain events between nodes over Redis pub/sub (JSON, one channel): a company moved on node A
// loses its rights on node B at once. Events are small and rare next to Yjs traffic.
import type { Redis } from 'ioredis';
import type { DomainTransport } from '../control/domain-bus.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';

export interface DomainRelayOptions {
  nodeId: string;
  pub: Redis;
  sub: Redis;
  log: { warn(obj: object, msg: string): void };
  prefix?: string;
}

interface Envelope {
  from: string;
  event: DomainEvent;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const { from, event } = value as Record<string, unknown>;
  return typeof from === 'string' && typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string';
}

export async function redisDomainTransport(options: DomainRelayOptions): Promise<DomainTransport> {
  const channel = `${options.prefix ?? 'kizuki'}:domain`;
  const handlers: Array<(event: DomainEvent) => void> = [];
  options.sub.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    if (!isEnvelope(envelope)) {
      options.log.warn({ channel }, 'ignored a malformed domain event from another node');
      return;
    }
    if (envelope.from === options.nodeId) return;
    for (const handler of handlers) handler(envelope.event);
  });
  await options.sub.subscribe(channel);
  return {
    send(event) {
      const envelope: Envelope = { from: options.nodeId, event };
      options.pub.publish(channel, JSON.stringify(envelope)).catch((err: unknown) => {
        options.log.warn({ err, event: event.type }, 'could not send a domain event to the other nodes');
      });
    },
    onReceive(handler) {
      handlers.push(handler);
    },
  };
}
