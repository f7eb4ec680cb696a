// One client's WebSocket on one document. Messages that arrive while the document loads are
// queued (bounded), so the first answer to the client already carries the document's content.
import type { WebSocket, RawData } from 'ws';
import { CloseCode } from '../../shared/protocol/close-codes.ts';
import type { DocConnection, SyncedDoc, WriteDenied } from './synced-doc.ts';
import { encodePermissionDenied } from './y-messages.ts';
import { sendFramed } from './ws-frame.ts';
import { MESSAGE_COST_BYTES, type ByteBudget } from './write-budget.ts';
import type { BacklogAccount } from './backlog.ts';

/** An unbounded queue would let a client fill our memory while its document is still loading. */
const MAX_QUEUED_MESSAGES = 256;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/**
 * A client that does not read its socket gets disconnected instead of growing our buffers. Room
 * for a full document (MAX_DOC_BYTES) and what follows it; a session may hold many connections.
 */
const MAX_BUFFERED_BYTES = 6 * 1024 * 1024;

export interface ConnectionLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Malformed frames are logged at most this often per process (a fuzzing client once wrote 81,116
 * lines in 4 minutes); the rest are counted and reported with the next line.
 */
const MALFORMED_LOG_INTERVAL_MS = 10_000;
const malformedLog = new WeakMap<ConnectionLogger, { last: number; suppressed: number }>();

function warnMalformed(log: ConnectionLogger, docName: string, err: Error): void {
  const state = malformedLog.get(log) ?? { last: 0, suppressed: 0 };
  malformedLog.set(log, state);
  const now = Date.now();
  if (now - state.last < MALFORMED_LOG_INTERVAL_MS) {
    state.suppressed++;
    return;
  }
  const suppressed = state.suppressed;
  state.last = now;
  state.suppressed = 0;
  log.warn({ docName, err: err.message, suppressed }, 'closing socket after malformed Yjs message');
}

export class YConnection implements DocConnection {
  private doc: SyncedDoc | undefined;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private lastToldReadOnly = 0;
  private closed = false;
  private alive = true;
  /** The payload of the last ping: only a pong that carries it back counts as an answer. */
  private pingPayload: Buffer | undefined;
  /** Over a write budget: the socket is not read, and messages already read wait in `queue`. */
  private throttle: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly docName: string,
    readonly readOnly: boolean,
    /** Who is connected and to which event's document: rights are re-checked by reconnecting. */
    readonly owner: { userId: string; displayName: string; eventCompanyId: string | null; eventId: string; sessionId: string },
    private readonly log: ConnectionLogger,
    /** Why this connection may only read (said in the permission-denied message). */
    private readonly readOnlyReason: 'closed' | 'other-party' = 'other-party',
    /** The user's byte budget (server/sync/write-budget.ts), shared by all their connections here. */
    private readonly budget?: ByteBudget,
    /** What waits unsent for the connections of this client's address (server/sync/backlog.ts). */
    private readonly backlog?: BacklogAccount,
  ) {
    // Few closures per connection (a server holds thousands): one bound handler per event.
    ws.on('message', this.onMessage);
    ws.on('pong', this.onPong);
    ws.on('ping', this.onPing);
    // ws closes the socket itself (1009) for frames over maxPayload and emits an error first.
    ws.on('error', ignore);
    ws.once('close', this.onSocketClose);
  }

  private closeListener: (() => void) | undefined;

  /** Called once, when the socket has closed (whoever closed it). One listener per connection. */
  onClose(listener: () => void): void {
    this.closeListener = listener;
  }

  /** Resolves once the socket is fully closed (after a close handshake or terminate()). */
  get finished(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
  }

  private readonly onSocketClose = (): void => {
    this.closed = true;
    this.backlog?.release();
    clearTimeout(this.throttle);
    this.closeListener?.();
  };

  /**
   * A pong answers a ping only if it carries the ping's payload back (RFC 6455 5.5.3; browsers and
   * ws do so by themselves). Pongs sent unasked would otherwise keep a client that reads nothing
   * alive past every heartbeat.
   */
  private readonly onPong = (data: Buffer): void => {
    if (this.pingPayload !== undefined && data.equals(this.pingPayload)) this.alive = true;
  };

  /**
   * ws answers every ping with a pong before telling us, outside send() and its limit: a client
   * flooding pings without reading its socket (and sending pongs of its own, so the heartbeat
   * keeps it) grew the server by 700 MB in 15 s. Past the buffered limit it is closed as in send();
   * once closing, ws answers no more pings.
   */
  private readonly onPing = (): void => {
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) this.close(CloseCode.MessageTooBig.code, 'Client too slow');
  };

  /** Bytes waiting in our buffers to be sent to the client. */
  get unsent(): number {
    return this.ws.bufferedAmount;
  }

  /** Drops the socket without a close handshake (a peer that stopped answering). */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  /** The document is loaded: start syncing and replay what the client sent meanwhile. */
  attach(doc: SyncedDoc): void {
    if (this.closed) return;
    this.doc = doc;
    doc.addConnection(this);
    this.drain();
  }

  /** Applies the queued messages in order, until the queue is empty or a budget runs out. */
  private drain(): void {
    while (this.queue.length > 0 && !this.closed && this.throttle === undefined) {
      const message = this.queue.shift()!;
      this.queuedBytes -= message.byteLength;
      this.receive(message);
    }
  }

  send(message: Uint8Array, frame?: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // The message counts before it is queued: checking only what waited already let a client that
    // reads nothing ask for the whole document several times at once (sync step 1) and get each
    // 4 MB answer queued past the limit.
    const buffered = this.ws.bufferedAmount;
    if (buffered + message.byteLength > MAX_BUFFERED_BYTES || (this.backlog && !this.backlog.admits(buffered, message.byteLength))) {
      this.close(CloseCode.MessageTooBig.code, 'Client too slow');
      return;
    }
    // No per-message callback (in a room of 500 that is 500 closures per edit): a failed write
    // errors the socket, which ws then destroys, and the 'close' handler cleans up as for any close.
    if (frame) sendFramed(this.ws, message, frame);
    else this.ws.send(message);
    this.backlog?.record(this.ws.bufferedAmount);
  }

  notifyWriteDenied(why: WriteDenied = 'read-only'): void {
    // Tell the client, but not for every keystroke.
    if (Date.now() - this.lastToldReadOnly < 10_000) return;
    this.lastToldReadOnly = Date.now();
    this.send(encodePermissionDenied(why === 'document-full' ? DOCUMENT_FULL : this.readOnlyReason === 'closed' ? READ_ONLY_CLOSED : READ_ONLY_OTHER_PARTY));
  }

  /**
   * Ping round: a connection that did not answer the previous ping is dropped. `payload` is new
   * each round and for each connection (random), so a pong cannot be sent before its ping was read
   * on this very connection.
   */
  heartbeat(payload: Buffer): void {
    // Not reading the socket (over a write budget), so no pong could arrive: not a dead peer.
    if (this.throttle !== undefined) return;
    if (!this.alive) {
      this.terminate();
      return;
    }
    this.alive = false;
    this.pingPayload = payload;
    this.ws.ping(payload);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.closed) return;
    if (!isBinary) {
      this.close(CloseCode.UnsupportedData.code, CloseCode.UnsupportedData.reason);
      return;
    }
    const message = toUint8Array(data);
    // Still loading, or waiting for a budget: in order, behind what is queued already.
    if (!this.doc || this.throttle !== undefined || this.queue.length > 0) {
      if (this.queue.length >= MAX_QUEUED_MESSAGES || this.queuedBytes + message.byteLength > MAX_QUEUED_BYTES) {
        this.close(CloseCode.ProtocolError.code, 'Too many messages queued');
        return;
      }
      this.queue.push(message);
      this.queuedBytes += message.byteLength;
      return;
    }
    this.receive(message);
  };

  /**
   * Applies the message if the user's budget is out of debt (and spends its cost), else puts it
   * back at the head of the queue and stops reading the socket until the budget has refilled.
   * Checked before every message, so however many connections a user holds, one message at a
   * time overdraws the budget.
   */
  private receive(message: Uint8Array): void {
    const wait = this.budget?.readyIn() ?? 0;
    if (wait > 0) {
      this.queue.unshift(message);
      this.queuedBytes += message.byteLength;
      this.ws.pause();
      this.throttle = setTimeout(() => {
        this.throttle = undefined;
        if (this.closed) return;
        this.ws.resume();
        this.drain();
      }, wait);
      return;
    }
    this.budget?.spend(message.byteLength + MESSAGE_COST_BYTES);
    this.apply(message);
  }

  /** Spends what an update cost besides its bytes (server/sync/synced-doc.ts): the next message waits for it. */
  charge(bytes: number): void {
    this.budget?.spend(bytes);
  }

  /** The client sent something malformed or over a limit: log (rate-limited) and close with 1002. */
  reject(err: Error): void {
    if (this.closed) return;
    warnMalformed(this.log, this.docName, err);
    this.close(CloseCode.ProtocolError.code, CloseCode.ProtocolError.reason);
  }

  private apply(message: Uint8Array): void {
    try {
      this.doc!.handleMessage(this, message);
    } catch (err) {
      this.reject(err as Error);
    }
  }
}

/** The reasons a refused write is told (the client's board shows its notice by the prefix). */
const READ_ONLY_CLOSED = 'read-only: this event is closed';
const READ_ONLY_OTHER_PARTY = 'read-only: this document belongs to another company (or to the facilitators)';
export const DOCUMENT_FULL = 'document-full: this document is too large to take more';

function ignore(): void {}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
