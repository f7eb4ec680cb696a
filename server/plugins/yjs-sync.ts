// The y-websocket endpoint: /yjs/<docName>. Authenticates at the upgrade (Origin + session +
// the caller's right on that document) before any document byte is sent.
import fp from 'fastify-plugin';
import type * as Y from 'yjs';
import { WebSocketServer } from 'ws';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { YPersistence } from '../sync/persistence.ts';
import { DocRegistry } from '../sync/doc-registry.ts';
import { YConnection } from '../sync/y-connection.ts';
import { USER_WRITE_BUDGET, WriteBudgets, type WriteBudgetLimits } from '../sync/write-budget.ts';
import { Backlogs, type BacklogLimits } from '../sync/backlog.ts';
import { DocRelay } from '../cluster/doc-relay.ts';
import { refuseUpgrade } from './upgrade-router.ts';
import { isAllowedOrigin } from '../security/origin.ts';
import { sessionTokenFromCookieHeader } from '../auth/cookies.ts';
import type { SessionUser } from '../auth/session.ts';
import { ConnectionAuth } from '../access/connection-auth.ts';
import { parseDocName, YJS_PATH_PREFIX } from '../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../shared/protocol/close-codes.ts';

/** How long a closing server waits for clients to acknowledge the close before dropping them. */
const CLOSE_GRACE_MS = 1000;
/**
 * Live documents one sign-in may hold open: the plenary and the console each open every
 * company's worksheet and every room of an event (~40 for a meetup of 30 companies), in a few
 * tabs. Each connection may buffer several MB for a client that does not read, so this bounds
 * what one session can make the server hold.
 */
export const MAX_DOC_CONNECTIONS_PER_SESSION = 100;

export interface SyncOptions {
  /** Largest accepted WebSocket frame; bigger ones close that socket with 1009. */
  maxMessageBytes?: number;
  flushDelayMs?: number;
  compactAfterRows?: number;
  unloadAfterMs?: number;
  heartbeatMs?: number;
  /** How fast a user may send (server/sync/write-budget.ts; tests make it small). */
  writeBudget?: WriteBudgetLimits;
  /** What one client address may have waiting unsent, over all its connections (server/sync/backlog.ts; tests make it small). */
  backlog?: BacklogLimits;
}

export default fp<SyncOptions>(
  async (app, options) => {
    let relay: DocRelay | undefined;
    const persistence = new YPersistence(app.db, {
      flushDelayMs: options.flushDelayMs,
      compactAfterRows: options.compactAfterRows,
      onError: (err, context) => app.log.error({ err }, `Yjs persistence failed while ${context}`),
      onQuarantine: (row) => app.log.error(row, 'Yjs row could not be applied; moved to yjs_quarantine, the rest of the document loads'),
      onSaved: (savedThrough) => relay?.announceSaved(savedThrough),
    });
    if (app.cluster) {
      const { nodeId, prefix, redis } = app.cluster;
      relay = new DocRelay({ nodeId, prefix, pub: redis.pub, sub: redis.sub, store: persistence, log: app.log });
      await relay.start();
    }
    app.decorate('docRelay', relay ?? null);
    const docs = new DocRegistry(persistence, {
      replica: relay,
      unloadAfterMs: options.unloadAfterMs,
      onTransaction: (docName, doc, transaction) => app.syncObservers.onTransaction(docName, doc, transaction),
      onBroken: (docName, err) => {
        app.log.error({ err, docName }, 'Yjs document could not be reloaded after a failed update; its clients reconnect');
        for (const conn of connections) if (conn.docName === docName) conn.close(CloseCode.InternalError.code, CloseCode.InternalError.reason);
      },
    });
    app.decorate('docs', docs);
    // Other plugins (card authorship) observe document transactions through this hook list.
    const observers: SyncObserver[] = [];
    app.decorate('syncObservers', {
      add: (observer: SyncObserver) => void observers.push(observer),
      onTransaction(docName: string, doc: Y.Doc, transaction: Y.Transaction) {
        const effects = observers.map((o) => o(docName, doc, transaction)).filter((e) => e !== undefined);
        if (effects.length === 0) return undefined;
        return () => {
          for (const effect of effects) effect();
        };
      },
    });
    // Connections arriving together share their session and access queries.
    const connectionAuth = new ConnectionAuth(app.db);
    const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 8 * 1024 * 1024 });
    const connections = new Set<YConnection>();
    const perSession = new Map<string, number>();

    const userBudgets = new WriteBudgets(options.writeBudget ?? USER_WRITE_BUDGET);
    // Behind a proxy every connection is the proxy's: no per-address limit (as for connections).
    const backlogs = app.config.trustProxy === false ? new Backlogs(options.backlog) : undefined;

    const heartbeat = setInterval(() => {
      // A payload of its own per connection: with one for all, a client reading one connection
      // could echo it on any number of connections it never reads, and keep them all alive.
      const payloads = randomBytes(8 * connections.size);
      let at = 0;
      for (const conn of connections) {
        conn.heartbeat(payloads.subarray(at, at + 8));
        at += 8;
      }
      userBudgets.sweep();
    }, options.heartbeatMs ?? 30_000);
    heartbeat.unref();

    type Authorization =
      | { ok: false; status: number; message: string }
      | { ok: true; docName: string; access: 'read' | 'write'; readOnlyReason?: 'closed' | 'other-party'; eventId: string; eventCompanyId: string | null; user: SessionUser; sessionId: string };

    async function authorize(req: IncomingMessage): Promise<Authorization> {
      const refuse = (status: number, message: string): Authorization => ({ ok: false, status, message });
      if (!isAllowedOrigin(req.headers, app.config)) return refuse(403, 'Origin not allowed');
      const path = (req.url ?? '').split('?')[0]!;
      let docName: string;
      try {
        docName = decodeURIComponent(path.slice(YJS_PATH_PREFIX.length));
      } catch {
        return refuse(400, 'Bad document name');
      }
      const ref = parseDocName(docName);
      if (!ref) return refuse(404, 'Unknown document');
      const token = sessionTokenFromCookieHeader(req.headers.cookie);
      const authorized = token ? await connectionAuth.authorizeDoc(token, ref) : null;
      if (!authorized) return refuse(401, 'Sign-in required');
      const { session, decision, eventCompanyId } = authorized;
      const { access, eventId, readOnlyReason } = decision;
      if (access === 'none' || !eventId) return refuse(403, 'No access to this document');
      return { ok: true, docName, access, readOnlyReason, eventId, eventCompanyId, user: session.user, sessionId: session.sessionId };
    }

    function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      authorize(req).then(
        (result) => {
          if (!result.ok) return refuseUpgrade(socket, result.status, result.message);
          if (socket.destroyed) return;
          if ((perSession.get(result.sessionId) ?? 0) >= MAX_DOC_CONNECTIONS_PER_SESSION) {
            return refuseUpgrade(socket, 429, `Too many open documents for this sign-in (at most ${MAX_DOC_CONNECTIONS_PER_SESSION})`);
          }
          const { docName, access, readOnlyReason } = result;
          const { user, eventId, eventCompanyId, sessionId } = result;
          const owner = { userId: user.id, displayName: user.displayName, eventCompanyId, eventId, sessionId };
          const budget = userBudgets.of(user.id);
          const address = req.socket.remoteAddress;
          wss.handleUpgrade(req, socket, head, (ws) =>
            serve(new YConnection(ws, docName, access === 'read', owner, app.log, readOnlyReason, budget, backlogs?.account(address, ws))),
          );
        },
        (err) => {
          app.log.error({ err }, 'Yjs upgrade failed');
          refuseUpgrade(socket, 503, 'Temporarily unavailable');
        },
      );
    }

    /**
     * Joins an upgraded connection to its document. Apart from onUpgrade on purpose: closures made
     * there would keep its scope (the upgrade request, its headers and buffer) for the
     * connection's whole life, ~1.5 KB each.
     */
    function serve(conn: YConnection): void {
      connections.add(conn);
      const { sessionId } = conn.owner;
      perSession.set(sessionId, (perSession.get(sessionId) ?? 0) + 1);
      const acquired = docs.acquire(conn.docName);
      conn.onClose(() => {
        connections.delete(conn);
        const left = perSession.get(sessionId)! - 1;
        if (left > 0) perSession.set(sessionId, left);
        else perSession.delete(sessionId);
        void acquired.then((doc) => {
          doc.removeConnection(conn);
          docs.release(conn.docName);
        }, () => {});
      });
      acquired.then(
        (doc) => conn.attach(doc),
        (err) => {
          app.log.error({ err, docName: conn.docName }, 'could not load Yjs document');
          conn.close(CloseCode.InternalError.code, CloseCode.InternalError.reason);
        },
      );
    }

    app.upgrades.add(YJS_PATH_PREFIX, onUpgrade);

    app.decorate('liveDocs', {
      unsent(): number {
        let bytes = 0;
        for (const conn of connections) bytes += conn.unsent;
        return bytes;
      },
      disconnect(filter: LiveDocFilter, close: { code: number; reason: string } = CloseCode.AccessChanged): number {
        let count = 0;
        for (const conn of connections) {
          if (filter.eventId !== undefined && conn.owner.eventId !== filter.eventId) continue;
          if (filter.userId !== undefined && conn.owner.userId !== filter.userId) continue;
          if (filter.sessionId !== undefined && conn.owner.sessionId !== filter.sessionId) continue;
          if (filter.docName !== undefined && conn.docName !== filter.docName) continue;
          conn.close(close.code, close.reason);
          count++;
        }
        return count;
      },
    });

    // Save everything while the database is still open: close sockets (new upgrades are refused
    // first, or reconnecting clients would keep the HTTP server from closing), give peers a
    // moment to answer the close handshake, drop those that don't, then flush every document.
    app.addHook('preClose', async () => {
      clearInterval(heartbeat);
      app.upgrades.stopAccepting();
      const open = [...connections];
      for (const conn of open) conn.close(CloseCode.GoingAway.code, CloseCode.GoingAway.reason);
      const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.all(open.map((c) => c.finished)), grace]);
      for (const conn of connections) conn.terminate();
      await docs.closeAll();
      await relay?.stop();
      wss.close();
    });
  },
  { name: 'yjs-sync', dependencies: ['database', 'upgrade-router', 'cluster'] },
);

/**
 * Sees a completed transaction of a live document (origin = the YConnection that sent it, or
 * null for the server) and returns what to do once the update is known to have applied.
 */
export type SyncObserver = (docName: string, doc: Y.Doc, transaction: Y.Transaction) => (() => void) | undefined;

/** Which live connections to close; every given field must match. */
export interface LiveDocFilter {
  eventId?: string;
  userId?: string;
  /** One sign-in (SHA-256 id of the session token), e.g. at logout. */
  sessionId?: string;
  docName?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Multi-node: the Yjs relay through Redis (stats for tests and /healthz); null for one node. */
    docRelay: DocRelay | null;
    /** Live Yjs connections: closes matching ones (by default with AccessChanged, so they reconnect with fresh rights). */
    liveDocs: {
      disconnect(filter: LiveDocFilter, close?: { code: number; reason: string }): number;
      /** Bytes waiting in the server's buffers for all live connections (tests, diagnostics). */
      unsent(): number;
    };
    syncObservers: {
      add(observer: SyncObserver): void;
      onTransaction(docName: string, doc: Y.Doc, transaction: Y.Transaction): (() => void) | undefined;
    };
  }
}
