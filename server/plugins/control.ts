// socket.io, the control plane. Bound to its own engine.io server so that HTTP polling goes
// through a Fastify route and WebSocket upgrades through the one upgrade router.
import fp from 'fastify-plugin';
import { Server as EngineServer } from 'engine.io';
import { Server, type Socket } from 'socket.io';
import { isAllowedOrigin } from '../security/origin.ts';
import { sessionTokenFromCookieHeader } from '../auth/cookies.ts';
import type { SessionUser } from '../auth/session.ts';
import { ConnectionAuth } from '../access/connection-auth.ts';
import { guardEvents } from '../control/define-handler.ts';
import { admitHandshake, EngineSessionLimits, JOIN_TIMEOUT_MS } from '../control/handshake-limits.ts';
import { guardSlowConsumers } from '../control/slow-consumers.ts';
import { registerSessionHandlers } from '../control/session-handlers.ts';
import { registerScoreHandlers } from '../control/score-handlers.ts';
import { registerCardHandlers } from '../control/card-handlers.ts';
import { CardLists } from '../control/card-lists.ts';
import { listCardMeta } from '../domain/cards.ts';
import { registerMeetupHandlers } from '../control/meetup-handlers.ts';
import { registerRoomHandlers } from '../control/room-handlers.ts';
import { controlRoom } from '../../shared/protocol/control-events.ts';
import type { ControlServer } from '../types.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';

const PATH = '/socket.io/';
/** Control messages are small JSON; anything bigger is refused by engine.io. */
const MAX_CONTROL_MESSAGE_BYTES = 64 * 1024;

/**
 * socket.io connections one sign-in may hold on this node. A browser tab holds one; a few tabs a
 * handful. Every socket costs memory and has its own rate budgets, so without a cap one cookie
 * opening hundreds multiplied both (400 sockets: +80 MB, 400 budgets). The Yjs plugin caps
 * documents per session the same way (MAX_DOC_CONNECTIONS_PER_SESSION).
 */
export const MAX_CONTROL_SOCKETS_PER_SESSION = 20;

/** What a refused handshake tells the client (connect_error: err.message, err.data). */
export const TOO_MANY_SOCKETS = {
  code: 'TOO_MANY_CONNECTIONS',
  error: `このログインで開いている接続が多すぎます（最大${MAX_CONTROL_SOCKETS_PER_SESSION}）。使っていないタブを閉じてください / Too many open connections for this sign-in (at most ${MAX_CONTROL_SOCKETS_PER_SESSION}). Close tabs you are not using`,
} as const;

export default fp(
  async (app) => {
    // Sockets arriving together (a reconnect storm) share their session queries.
    const connectionAuth = new ConnectionAuth(app.db);
    // The session found at the engine.io handshake, reused when the socket joins the namespace a
    // moment later (socket.request is that handshake's request): one query per connection, not two.
    const checkedAtHandshake = new WeakMap<object, Awaited<ReturnType<ConnectionAuth['validate']>>>();
    // Only signed-in browsers open engine.io sessions, a bounded number per address and in total.
    const sessionLimits = new EngineSessionLimits({ behindProxy: app.config.trustProxy !== false });
    const engine = new EngineServer({
      maxHttpBufferSize: MAX_CONTROL_MESSAGE_BYTES,
      allowRequest: (req, callback) => {
        const validate = async (token: string) => {
          const session = await connectionAuth.validate(token);
          if (session) checkedAtHandshake.set(req, session);
          return session;
        };
        const checks = { originAllowed: isAllowedOrigin(req.headers, app.config), validate, limits: sessionLimits };
        admitHandshake(req, checks).then(
          (refusal) => (refusal === null ? callback(null, true) : callback(refusal, false)),
          (err: unknown) => {
            app.log.error({ err }, 'engine.io handshake: could not check the session');
            callback(HANDSHAKE_UNAVAILABLE, false);
          },
        );
      },
    });
    // Each session holds its place until it closes, and is closed unless it joins in time.
    engine.on('connection', (conn) => sessionLimits.attach(conn));
    const io: ControlServer = new Server({ serveClient: false, maxHttpBufferSize: MAX_CONTROL_MESSAGE_BYTES, connectTimeout: JOIN_TIMEOUT_MS });
    io.bind(engine);
    // Sockets whose client stopped reading are dropped before their queue grows without bound.
    const stopSlowConsumerGuard = guardSlowConsumers(io, {
      onDrop: (info) => app.log.warn(info, 'socket.io: client not reading, transport closed'),
    });
    // Multi-node: rooms, emits, socketsJoin/Leave and fetchSockets reach every node's sockets.
    if (app.cluster) {
      const { createAdapter } = await import('@socket.io/redis-adapter'); // multi-node only
      io.adapter(createAdapter(app.cluster.redis.adapterPub, app.cluster.redis.adapterSub, { key: `${app.cluster.prefix}:socket.io` }));
    }
    app.decorate('io', io);
    // cards:get answers, shared by the event's readers until something of the event changes (on
    // any node: plugins/domain.ts drops them).
    const cardLists = new CardLists((eventId) => listCardMeta(app.db, eventId));
    app.decorate('cardLists', cardLists);

    const perSession = new SessionCounts();
    io.use((socket, next) => {
      const token = sessionTokenFromCookieHeader(socket.request.headers.cookie);
      if (!token) return next(new Error('unauthorized'));
      const known = checkedAtHandshake.get(socket.request);
      checkedAtHandshake.delete(socket.request);
      (known ? Promise.resolve(known) : connectionAuth.validate(token)).then(
        (session) => {
          if (!session) return next(new Error('unauthorized'));
          // Counted here, not on 'connection': sockets of a storm pass this check together.
          if (!perSession.take(session.sessionId, socket)) return next(tooManySockets());
          sessionLimits.joined(socket.conn);
          socket.data.user = session.user;
          // Signing out closes this sign-in's sockets (and only those, unless "everywhere").
          socket.data.sessionId = session.sessionId;
          next();
        },
        (err) => {
          // The browser hears only that the server is unavailable (connect_error); the failed
          // query, with its SQL and the session hash, goes to the log.
          app.log.error({ err }, 'socket.io handshake: could not check the session');
          next(new Error('unavailable'));
        },
      );
    });

    io.on('connection', (socket) => {
      const user = socket.data.user as SessionUser;
      // Rate limit and unknown events first: a flood must not reach the handlers.
      guardEvents(socket);
      registerSessionHandlers(socket, app.db, user, app.log);
      const publish = (event: DomainEvent) => app.domain.publish(event);
      registerScoreHandlers(socket, app.db, user, app.log, publish);
      registerCardHandlers(socket, app.db, user, app.log, publish, cardLists);
      registerMeetupHandlers(socket, app.db, user, app.log, publish);
      registerRoomHandlers(socket, app.db, user, app.log, {
        publish,
        onlineUserIds: async (eventId) => {
          const sockets = await io.in(controlRoom.event(eventId)).fetchSockets();
          return new Set(sockets.map((s) => (s.data.user as SessionUser).id));
        },
      });
    });

    // Long-polling transport: hand the raw request to engine.io before Fastify parses a body.
    app.route({
      method: ['GET', 'POST'],
      url: PATH,
      exposeHeadRoute: false,
      onRequest: async (request, reply) => {
        reply.hijack();
        engine.handleRequest(request.raw, reply.raw);
      },
      handler: async () => undefined,
    });
    app.upgrades.add(PATH, (req, socket, head) => engine.handleUpgrade(req, socket, head));

    app.addHook('preClose', async () => {
      app.upgrades.stopAccepting();
      stopSlowConsumerGuard();
      // Close the transports, not the sockets: a client told 'io server disconnect' (what
      // disconnectSockets sends) never reconnects by itself, so boards open across a restart
      // would stay without scores and pushes until reloaded. A closed transport is reconnected.
      await io.close();
    });
  },
  { name: 'control', dependencies: ['database', 'upgrade-router'] },
);

/** A handshake whose session could not be checked (the database failed): the details go to the log. */
const HANDSHAKE_UNAVAILABLE = 'サーバーに接続できません。しばらくしてから再度お試しください / The server is unavailable; try again shortly';

function tooManySockets(): Error {
  return Object.assign(new Error(TOO_MANY_SOCKETS.error), { data: { ...TOO_MANY_SOCKETS } });
}

/** Open sockets per sign-in: counted when admitted, given back once when the socket ends. */
class SessionCounts {
  private readonly counts = new Map<string, number>();

  /** Admits the socket unless its session is at the cap. */
  take(sessionId: string, socket: Socket): boolean {
    // Its connection closed while the session was being checked: socket.io drops such a socket
    // without a 'disconnect' and its 'close' has passed, so counting it would never give it back.
    if (socket.conn.readyState !== 'open') return true;
    const count = this.counts.get(sessionId) ?? 0;
    if (count >= MAX_CONTROL_SOCKETS_PER_SESSION) return false;
    this.counts.set(sessionId, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = this.counts.get(sessionId)! - 1;
      if (left > 0) this.counts.set(sessionId, left);
      else this.counts.delete(sessionId);
    };
    // 'disconnect' ends a connected socket; a handshake dropped before 'connection' has none,
    // only its transport closing.
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    return true;
  }
}
