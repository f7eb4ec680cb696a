// The socket.io control plane from the browser: typed events, and emit-with-ack as a promise.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/control-events.ts';

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectControl(): ControlSocket {
  // WebSocket first (lower latency); long-polling stays as the fallback for networks that block it.
  return io({ withCredentials: true, reconnectionDelayMax: 5000, transports: ['websocket', 'polling'], tryAllTransports: true });
}

type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [...unknown[], (res: infer R) => void]
  ? R
  : never;
type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]> extends [infer P, (res: Ack<never>) => void]
  ? P
  : never;

/** Sends a control event and resolves with its acknowledgement (rejects on { ok: false } or timeout). */
export async function request<E extends keyof ClientToServerEvents>(
  socket: ControlSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 8000,
): Promise<Extract<AckOf<E>, { ok: true }>> {
  const res = (await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(
    event,
    payload,
  )) as Ack<Record<string, unknown>>;
  if (!res.ok) throw new Error(res.error);
  return res as Extract<AckOf<E>, { ok: true }>;
}
