// The socket.io control plane from the browser: typed events, and emit-with-ack as a promise.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/control-events.ts';
import type { SendResult } from '../state/outbox-queue.ts';
import { bilingualMessage, NETWORK_MESSAGES } from '../error-message.ts';

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Longest wait between two reconnection attempts. Short enough that a board is live again within
 * a few seconds of a server restart; a meetup's few dozen clients retrying this often cost nothing.
 */
export const RECONNECT_DELAY_MAX_MS = 2500;

export function connectControl(): ControlSocket {
  // WebSocket first (lower latency); long-polling stays as the fallback for networks that block it.
  const socket: ControlSocket = io({
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  keepConnected(socket);
  return socket;
}

/**
 * socket.io reconnects by itself after a lost transport, but not when the server ended the socket
 * ('io server disconnect': an older server at shutdown, or a server kicking us) nor when its
 * middleware refused the handshake (e.g. while the server starts). Then reconnect ourselves, with
 * back-off, until the page calls socket.disconnect().
 */
function keepConnected(socket: ControlSocket): void {
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const retry = () => {
    clearTimeout(timer);
    const delay = Math.min(500 * 2 ** attempts++, RECONNECT_DELAY_MAX_MS * 4) * (0.75 + Math.random() / 2);
    timer = setTimeout(() => {
      if (!stopped && !socket.connected) socket.connect();
    }, delay);
  };
  socket.on('connect', () => {
    attempts = 0;
    clearTimeout(timer);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') retry();
  });
  socket.on('connect_error', () => {
    // While socket.active the manager is retrying the transport itself.
    if (!socket.active) retry();
  });
  const disconnect = socket.disconnect.bind(socket);
  socket.disconnect = () => {
    stopped = true;
    clearTimeout(timer);
    return disconnect();
  };
}

export type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [...unknown[], (res: infer R) => void]
  ? R
  : never;
export type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [infer P, (res: Ack<never>) => void]
  ? P
  : never;

/** A request made while the control socket is not connected: nothing was sent. */
export class OfflineError extends Error {
  constructor() {
    super('オフラインのため送信できません / Offline: not sent');
    this.name = 'OfflineError';
  }
}

/** A request the server did not answer in time (or the connection dropped before it did). */
export class NoAnswerError extends Error {
  constructor() {
    super(NETWORK_MESSAGES.timeout);
    this.name = 'NoAnswerError';
  }
}

/**
 * Sends a control event and resolves with its acknowledgement (rejects on { ok: false }, on
 * timeout, and at once when the socket is offline or drops before answering: socket.io would
 * otherwise buffer the request and send it whenever it reconnects, long after we gave up on it).
 * Changes that must survive being offline go through the outbox (outbox.svelte.ts) instead.
 */
export async function request<E extends keyof ClientToServerEvents>(
  socket: ControlSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 8000,
): Promise<Extract<AckOf<E>, { ok: true }>> {
  if (!socket.connected) throw new OfflineError();
  let res: Ack<Record<string, unknown>>;
  try {
    res = (await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(
      event,
      payload,
    )) as Ack<Record<string, unknown>>;
  } catch {
    // socket.io rejects with "operation has timed out" (no answer in time, or the socket dropped).
    throw new NoAnswerError();
  }
  if (!res.ok) throw new Error(bilingualMessage(res.error));
  return res as Extract<AckOf<E>, { ok: true }>;
}

/** One attempt for the outbox: the server's answer, or 'no-answer' (offline, timed out, dropped). */
export async function sendOnce(socket: ControlSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<SendResult> {
  if (!socket.connected) return { kind: 'no-answer' };
  try {
    const res = await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(
      event,
      payload,
    );
    return { kind: 'ack', res: res as Ack<Record<string, unknown>> };
  } catch {
    return { kind: 'no-answer' };
  }
}
