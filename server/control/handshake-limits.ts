// Who may open an engine.io session (the transport under socket.io), checked before one exists.
// socket.io checks the sign-in only when the socket joins its namespace; the engine.io session
// comes first, and each costs ~6 KB until its ping times out (45 s). Without these checks, 16
// keep-alive connections without a cookie opened 138,590 polling sessions in 40 s (+860 MB).
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { isLoopback, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS } from '../net/connection-limits.ts';
import { sessionTokenFromCookieHeader } from '../auth/cookies.ts';
import { dropTransport, type EngineConn } from './slow-consumers.ts';

/** engine.io sessions open at once on this node (a browser tab holds one; like the TCP cap). */
export const MAX_ENGINE_SESSIONS = MAX_CONNECTIONS;
/**
 * engine.io sessions one address may hold (loopback exempt, as for TCP connections). A venue's
 * phones behind one NAT address hold one each; polling sessions are not bound to a TCP
 * connection, so the TCP cap alone did not bound them.
 */
export const MAX_ENGINE_SESSIONS_PER_ADDRESS = MAX_CONNECTIONS_PER_ADDRESS;
/**
 * A session that has not joined the namespace (passed the sign-in check) by then is closed, at
 * once: socket.io's own connectTimeout (default 45 s) closes gracefully, and a polling session
 * with no request pending then waits 30 s more for one.
 */
export const JOIN_TIMEOUT_MS = 5_000;
/** A place taken for a handshake that never became a session (its upgrade failed) is given back after this. */
const RESERVATION_TIMEOUT_MS = 10_000;

/** Bilingual refusals; engine.io sends them as `{ code: 4, message }` with a 403. */
export const HANDSHAKE_REFUSALS = {
  signIn: 'ログインが必要です / Sign-in required',
  perAddress: `このアドレスからの接続が多すぎます（最大${MAX_ENGINE_SESSIONS_PER_ADDRESS}） / Too many connections from this address (at most ${MAX_ENGINE_SESSIONS_PER_ADDRESS})`,
  total: 'サーバーの接続数が上限に達しています。しばらくしてから再度お試しください / The server has too many connections; try again shortly',
} as const;

export interface EngineSessionLimitOptions {
  /** Behind a trusted proxy every session comes from the proxy's address: only the total cap applies. */
  behindProxy: boolean;
  perAddress?: number;
  total?: number;
  joinTimeoutMs?: number;
  /** Addresses without a per-address cap (default: loopback). */
  exempt?: (address: string) => boolean;
}

/** The engine.io socket as far as the limits need it. */
interface EngineSocketLike extends EngineConn {
  request: IncomingMessage;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Open engine.io sessions per client address and in total. A handshake takes a place when it is
 * admitted (handshakes arriving together are counted before any of them is a session); the place
 * passes to the session it becomes and is given back when that closes.
 */
export class EngineSessionLimits {
  private readonly perAddress: number;
  private readonly total: number;
  private readonly exempt: (address: string) => boolean;
  private readonly behindProxy: boolean;
  private readonly joinTimeoutMs: number;
  private readonly counts = new Map<string, number>();
  private open = 0;
  private readonly reserved = new WeakMap<IncomingMessage, { release: () => void; timer: NodeJS.Timeout }>();

  constructor(options: EngineSessionLimitOptions) {
    this.behindProxy = options.behindProxy;
    this.perAddress = options.perAddress ?? MAX_ENGINE_SESSIONS_PER_ADDRESS;
    this.total = options.total ?? MAX_ENGINE_SESSIONS;
    this.exempt = options.exempt ?? isLoopback;
    this.joinTimeoutMs = options.joinTimeoutMs ?? JOIN_TIMEOUT_MS;
  }

  /** Sessions open or being opened (tests and /healthz-style checks read it). */
  get size(): number {
    return this.open;
  }

  /** Why a handshake from this request would be refused now, or null. */
  refusal(req: IncomingMessage): string | null {
    if (this.open >= this.total) return HANDSHAKE_REFUSALS.total;
    const address = this.addressOf(req);
    if (address !== null && (this.counts.get(address) ?? 0) >= this.perAddress) return HANDSHAKE_REFUSALS.perAddress;
    return null;
  }

  /** Takes a place for the handshake, or says why not. */
  reserve(req: IncomingMessage): string | null {
    const refused = this.refusal(req);
    if (refused) return refused;
    const address = this.addressOf(req);
    this.open++;
    if (address !== null) this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.open--;
      if (address === null) return;
      const left = this.counts.get(address)! - 1;
      if (left > 0) this.counts.set(address, left);
      else this.counts.delete(address);
    };
    const timer = setTimeout(() => {
      this.reserved.delete(req);
      release();
    }, RESERVATION_TIMEOUT_MS);
    timer.unref();
    this.reserved.set(req, { release, timer });
    return null;
  }

  /**
   * engine.io opened the session: it holds its handshake's place until it closes, and is closed
   * unless it joins the namespace (joined()) within JOIN_TIMEOUT_MS.
   */
  attach(conn: EngineSocketLike): void {
    const joinTimer = setTimeout(() => {
      if (!this.joinedConns.has(conn) && (conn.readyState === 'open' || conn.readyState === 'closing')) dropTransport(conn);
    }, this.joinTimeoutMs);
    joinTimer.unref();
    conn.once('close', () => clearTimeout(joinTimer));
    const reservation = this.reserved.get(conn.request);
    if (!reservation) return;
    this.reserved.delete(conn.request);
    clearTimeout(reservation.timer);
    conn.once('close', reservation.release);
  }

  /** The session's socket passed the sign-in check of the namespace: it stays. */
  joined(conn: object): void {
    this.joinedConns.add(conn);
  }

  private readonly joinedConns = new WeakSet<object>();

  /** The address a per-address cap applies to; null when none does. */
  private addressOf(req: IncomingMessage): string | null {
    if (this.behindProxy) return null;
    const address = req.socket.remoteAddress;
    if (!address || !isIP(address) || this.exempt(address)) return null;
    return address;
  }
}

export interface HandshakeChecks {
  originAllowed: boolean;
  /** The sign-in behind a session token (ConnectionAuth.validate: batched with others of the turn). */
  validate: (token: string) => Promise<unknown>;
  limits: EngineSessionLimits;
}

/**
 * engine.io's allowRequest for a new session: the Origin, a session cookie that is a live sign-in,
 * and a place under the caps; null to admit, else the refusal. The session is checked again when
 * the socket joins the namespace (with its per-sign-in cap); this check only keeps strangers from
 * opening sessions at all. A refused address costs no query.
 */
export async function admitHandshake(req: IncomingMessage, { originAllowed, validate, limits }: HandshakeChecks): Promise<string | null> {
  if (!originAllowed) return 'Origin not allowed';
  const token = sessionTokenFromCookieHeader(req.headers.cookie);
  if (!token) return HANDSHAKE_REFUSALS.signIn;
  const full = limits.refusal(req);
  if (full) return full;
  if (!(await validate(token))) return HANDSHAKE_REFUSALS.signIn;
  return limits.reserve(req);
}
