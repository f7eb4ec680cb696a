// One message to many sockets, framed once. ws frames every send() anew: an options object, a
// header buffer, then cork, two writes and uncork (one writev) per receiver. A document's update
// goes to every connection of its room, so the server builds the WebSocket frame (RFC 6455 §5.2:
// unmasked, one binary frame) once and each receiver costs a single socket write.
//
// It writes to ws's socket directly, so it is used only while nothing can be ordered before it
// inside ws: no compression negotiated (the server offers none) and ws's sender holding nothing
// queued. Otherwise, or for anything unexpected in ws's internals, it falls back to ws.send.
import type { WebSocket } from 'ws';

const BINARY_FINAL = 0x82;

/** The whole frame of one unfragmented, unmasked binary message carrying `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = BINARY_FINAL;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}

/** The frame for a message going to `receivers` sockets; none for one (ws.send frames it alike). */
export function frameForMany(payload: Uint8Array, receivers: number): Buffer | undefined {
  return receivers > 1 ? binaryFrame(payload) : undefined;
}

/** What of ws's internals (ws 8) the direct write relies on. */
interface WsInternals {
  _socket?: { write(chunk: Buffer): boolean; writable: boolean } | null;
  _sender?: { _state?: number; _queue?: unknown[]; _firstFragment?: boolean } | null;
  _extensions?: Record<string, unknown>;
}

/** Whether `frame` may be written to the socket under ws without being ordered wrongly. */
function canWriteDirectly(ws: WebSocket): boolean {
  const internals = ws as unknown as WsInternals;
  const sender = internals._sender;
  return (
    internals._socket?.writable === true &&
    sender?._state === 0 &&
    sender._queue?.length === 0 &&
    sender._firstFragment === true &&
    internals._extensions !== undefined &&
    Object.keys(internals._extensions).length === 0
  );
}

/** Sends `payload` (whose frame is `frame`) on an open socket. */
export function sendFramed(ws: WebSocket, payload: Uint8Array, frame: Buffer): void {
  if (canWriteDirectly(ws)) (ws as unknown as Required<WsInternals>)._socket!.write(frame);
  else ws.send(payload);
}
