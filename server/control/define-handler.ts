// Wraps every socket.io handler: the payload is checked against the text rules every request obeys
// (server/text-rules.ts) and its schema, both answered as on the HTTP edge (a bilingual message,
// field and rule), the ack must be a function, and a thrown error becomes { ok: false, error }
// instead of crashing or hanging (with retry: true when it was too fast or our fault, so a
// client's outbox sends it again).
// guardEvents sits in front of all of them: per-socket and per-user rate limits, and an answer for
// events nobody handles. A socket's handlers share one gate (socket-limits.ts) that bounds the work
// it can have in flight, and then take turns with every other user's at the node's gate.
import { Compile } from 'typebox/compile';
import type { TSchema, Static } from 'typebox';
import type { Socket } from 'socket.io';
import type { Ack } from '../../shared/protocol/control-events.ts';
import { HttpError } from '../errors.ts';
import { findTextProblem } from '../text-rules.ts';
import { describeValidation, fromTypeBoxErrors, type TypeBoxError } from '../validation-messages.ts';
import type { SessionUser } from '../auth/session.ts';
import { eventBudget, handlerGateOf, nodeHandlerGate, TOO_MANY_AT_ONCE, TOO_MANY_EVENTS, userEventBudget } from './socket-limits.ts';

type AnyAck = (res: Ack<Record<string, unknown>>) => void;

export interface HandlerLogger {
  error(obj: object, msg: string): void;
}

/** The ack, which socket.io always appends as the last argument when the client asked for an answer. */
export function ackOf(args: readonly unknown[]): AnyAck | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as AnyAck) : undefined;
}

/** A handler's own fault (logged): the same words as the web app's for a 5xx. */
export const INTERNAL_ERROR = 'サーバーでエラーが発生しました。もう一度お試しください / Something went wrong on the server. Please try again';

/** An unknown event name is echoed back, but not a 64 KB one. */
const MAX_ECHOED_EVENT_NAME = 100;

const unknownEvent = (name: string) => `この操作はありません: ${name} / unknown event: ${name}`;

/** socket.io listens to 'error' itself (a no-op, so that a client's 'error' cannot crash us): not a request. */
function isHandled(socket: Socket, event: unknown): boolean {
  return event !== 'error' && socket.listeners(event as never).length > 0;
}

/**
 * Runs before any handler of the socket: every event spends from the socket's budget and its user's
 * (shared by all their sockets on this node; refused with retry: true once either is spent), and an event no handler listens to is answered instead of left hanging
 * (nor dispatched).
 */
export function guardEvents(socket: Socket): void {
  const budget = eventBudget();
  const userBudget = userEventBudget(socket, userKeyOf(socket));
  socket.use((packet, next) => {
    const [event] = packet;
    const reply = ackOf(packet);
    // The socket's own budget first: a socket past it does not drain its user's other tabs.
    if (!budget.take() || !userBudget.take()) return reply?.({ ok: false, error: TOO_MANY_EVENTS, retry: true });
    if (!isHandled(socket, event)) {
      return reply?.({ ok: false, error: unknownEvent(String(event).slice(0, MAX_ECHOED_EVENT_NAME)) });
    }
    next();
  });
}

/** Who a socket's work is counted for: its user (every socket is signed in; see plugins/control.ts). */
function userKeyOf(socket: Socket): string {
  return (socket.data.user as SessionUser | undefined)?.id ?? `socket:${socket.id}`;
}

/** A request without a payload (any sent is ignored), answered at once. */
export function onInstant(socket: Socket, event: string, answer: () => Record<string, unknown>): void {
  socket.on(event, (...args: unknown[]) => ackOf(args)?.({ ok: true, ...answer() }));
}

export function onValidated<S extends TSchema, R extends Record<string, unknown>>(
  socket: Socket,
  log: HandlerLogger,
  event: string,
  schema: S,
  handler: (payload: Static<S>) => Promise<R>,
): void {
  const validator = Compile(schema);
  const gate = handlerGateOf(socket);
  const userKey = userKeyOf(socket);
  socket.on(event, (...args: unknown[]) => {
    const reply = ackOf(args);
    if (!reply) return; // every control event is request/response
    const payload = args.length > 1 ? args[0] : undefined;
    const broken = findTextProblem(schema, payload);
    if (broken) {
      const { field, rule, message } = describeValidation([broken], 'payload', event);
      reply({ ok: false, error: message, field, rule });
      return;
    }
    if (!validator.Check(payload)) {
      const errors = fromTypeBoxErrors(validator.Errors(payload) as TypeBoxError[]);
      const { field, rule, message } = describeValidation(errors, 'payload', event);
      reply({ ok: false, error: message, field, rule });
      return;
    }
    const admitted = gate.admit(() => onNode(() => answer(payload as Static<S>, reply), reply));
    if (!admitted) reply({ ok: false, error: TOO_MANY_AT_ONCE, retry: true });
  });

  /** Waits for a turn at the node's gate (the socket's slot stays taken meanwhile), or is refused. */
  function onNode(task: () => Promise<void>, reply: AnyAck): Promise<void> {
    return new Promise((settled) => {
      const admitted = nodeHandlerGate.admit(userKey, async () => {
        try {
          // Gone while it waited: nobody would hear the answer.
          if (socket.connected) await task();
        } finally {
          settled();
        }
      });
      if (!admitted) {
        reply({ ok: false, error: TOO_MANY_AT_ONCE, retry: true });
        settled();
      }
    });
  }

  async function answer(payload: Static<S>, reply: AnyAck): Promise<void> {
    try {
      reply({ ok: true, ...(await handler(payload)) });
    } catch (err) {
      if (!(err instanceof HttpError)) {
        log.error({ err, event }, 'control handler failed');
        reply({ ok: false, error: INTERNAL_ERROR, retry: true });
      } else {
        reply(err.statusCode === 429 ? { ok: false, error: err.message, retry: true } : { ok: false, error: err.message, ...(err.rule ? { rule: err.rule } : {}) });
      }
    }
  }
}
