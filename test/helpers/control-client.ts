// A socket.io control-plane client as a browser would open it (session cookie + Origin), keeping
// every frame it receives so tests can check what a socket was (and was not) sent.
import { expect } from 'vitest';
import { io, type Socket } from 'socket.io-client';

export interface ControlClient {
  socket: Socket;
  /** Every frame received, in order, as [event, payload]. */
  frames: Array<[string, any]>;
  /** The latest payload of this event, if any arrived. */
  last(event: string): any;
}

/** Connects (and, given an eventId, subscribes to the event). Close it with socket.disconnect(). */
export async function connectControlClient(origin: string, cookie: string | undefined, eventId?: string): Promise<ControlClient> {
  const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: cookie ?? '', origin } });
  const frames: Array<[string, any]> = [];
  socket.onAny((event: string, payload: unknown) => frames.push([event, payload]));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (eventId) expect((await ask(socket, 'event:subscribe', { eventId })).ok).toBe(true);
  return { socket, frames, last: (event) => frames.filter(([e]) => e === event).at(-1)?.[1] };
}

/** Emits with an acknowledgement (payloads untyped on purpose, so invalid ones can be sent). */
export function ask(socket: Socket, event: string, payload?: unknown): Promise<any> {
  return payload === undefined ? socket.timeout(10_000).emitWithAck(event) : socket.timeout(10_000).emitWithAck(event, payload);
}
