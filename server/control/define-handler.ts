// Wraps every socket.io handler: the payload is checked against its schema, the ack must be a
// function, and a thrown error becomes { ok: false, error } instead of crashing or hanging
// (with retry: true when it was too fast or our fault, so a client's outbox sends it again).
import { Compile } from 'typebox/compile';
import type { TSchema, Static } from 'typebox';
import type { Socket } from 'socket.io';
import type { Ack } from '../../shared/protocol/control-events.ts';
import { HttpError } from '../errors.ts';

type AnyAck = (res: Ack<Record<string, unknown>>) => void;

export interface HandlerLogger {
  error(obj: object, msg: string): void;
}

export function onValidated<S extends TSchema, R extends Record<string, unknown>>(
  socket: Socket,
  log: HandlerLogger,
  event: string,
  schema: S,
  handler: (payload: Static<S>) => Promise<R>,
): void {
  const validator = Compile(schema);
  socket.on(event, async (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return; // every control event is request/response
    const reply = ack as AnyAck;
    if (!validator.Check(payload)) {
      const first = validator.Errors(payload)[0];
      reply({ ok: false, error: `invalid ${event} payload${first ? `: ${first.instancePath || '/'} ${first.message}` : ''}` });
      return;
    }
    try {
      reply({ ok: true, ...(await handler(payload as Static<S>)) });
    } catch (err) {
      if (!(err instanceof HttpError)) {
        log.error({ err, event }, 'control handler failed');
        reply({ ok: false, error: 'internal error', retry: true });
      } else {
        reply(err.statusCode === 429 ? { ok: false, error: err.message, retry: true } : { ok: false, error: err.message });
      }
    }
  });
}
