// Fastify declaration merging: what the app plugins decorate.
import type { Server as SocketIoServer } from 'socket.io';
import type { Database, Db } from './db/client.ts';
import type { Config } from './config.ts';
import type { SessionUser } from './auth/session.ts';
import type { DocRegistry } from './sync/doc-registry.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol/control-events.ts';
import type { UpgradeRouter } from './plugins/upgrade-router.ts';
import type { CardLists } from './control/card-lists.ts';

export type ControlServer = SocketIoServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: SessionUser; sessionId: string }>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Compiles every route schema not compiled yet (they compile on first use); returns how many. */
    compileAllSchemas(): number;
    database: Database;
    db: Db;
    docs: DocRegistry;
    io: ControlServer;
    /** cards:get answers shared per event (server/control/card-lists.ts). */
    cardLists: CardLists;
    upgrades: UpgradeRouter;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
  }
}
