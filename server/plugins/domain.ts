// The domain-event bus and its subscribers: socket.io pushes by visibility, and document rights
// (closing an event or removing a member closes exactly the affected live connections).
import fp from 'fastify-plugin';
import { DomainBus } from '../control/domain-bus.ts';
import { broadcastTo } from '../control/broadcaster.ts';
import { membershipPushes } from '../control/membership-pushes.ts';
import { CloseCode } from '../../shared/protocol/close-codes.ts';
import type { SessionUser } from '../auth/session.ts';
import { redisDomainTransport } from '../cluster/domain-relay.ts';

export default fp(
  async (app) => {
    const bus = new DomainBus(app.log);
    // Several nodes: meetup states are still coalesced (they carry a revision), help lists are not (see broadcastTo).
    bus.subscribe(broadcastTo(app.io, { singleNode: !app.cluster }));
    bus.subscribe(membershipPushes(app.io));
    if (app.cluster) {
      const { nodeId, prefix, redis } = app.cluster;
      bus.connect(await redisDomainTransport({ nodeId, prefix, pub: redis.pub, sub: redis.sub, log: app.log }));
    }
    // Live document connections are held per node: every node closes its own.
    bus.subscribeEveryNode((event) => {
      // A card written, a 共感, a member or company change: the event's card list is asked afresh.
      if ('eventId' in event) app.cardLists.invalidate(event.eventId);
      // Open document connections still carry the rights they were opened with.
      if (event.type === 'event.closed') app.liveDocs.disconnect({ eventId: event.eventId });
      // A removed member's browser must not retry (it would be refused): a 44xx close stops y-websocket.
      if (event.type === 'member.removed') app.liveDocs.disconnect({ eventId: event.eventId, userId: event.userId }, CloseCode.Removed);
      if (event.type === 'signed-out') {
        const { filter } = event;
        app.liveDocs.disconnect(filter, CloseCode.SignedOut);
        for (const socket of app.io.of('/').sockets.values()) {
          const data = socket.data as { user?: SessionUser; sessionId?: string };
          if ('userId' in filter ? data.user?.id === filter.userId : data.sessionId === filter.sessionId) socket.disconnect(true);
        }
      }
    });
    app.decorate('domain', bus);
  },
  { name: 'domain', dependencies: ['yjs-sync', 'control'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Publish every server-decided change here after its transaction commits. */
    domain: DomainBus;
  }
}
