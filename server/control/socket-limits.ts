// What one control socket may ask of the server. Every event spends from a per-socket token bucket,
// and only a few handlers of a socket run at once (a few more wait their turn), so a client that
// floods requests without waiting for answers is refused at once, cheaply, instead of piling up
// database work and memory that starve every other client and /healthz. Both limits sit far above
// what the app's own client sends (a reconnect: subscribe, three loads, five clock samples, the
// outbox one at a time), and their refusals carry retry: true.
import type { Socket } from 'socket.io';

/** Every event of a socket, reads included: bursts of `burst`, refilled at `burst` per `windowMs`. */
export const EVENT_RATE_LIMIT = { burst: 100, windowMs: 10_000 };
export const TOO_MANY_EVENTS = 'リクエストが多すぎます。少し待ってください / Too many requests, slow down';

/** Handlers of one socket running at once, and how many more may wait for a turn. */
export const HANDLER_CONCURRENCY = { running: 4, waiting: 32 };
export const TOO_MANY_AT_ONCE = '同時のリクエストが多すぎます。少し待ってからやり直してください / Too many requests at once, try again shortly';

/** A token bucket: take() is true while tokens last; they refill continuously up to capacity. */
export function tokenBucket(capacity: number, refillPerMs: number, now: () => number = () => Date.now()): { take(): boolean } {
  let tokens = capacity;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(capacity, tokens + Math.max(0, t - last) * refillPerMs);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** The bucket every event of a socket spends from. */
export function eventBudget(): { take(): boolean } {
  return tokenBucket(EVENT_RATE_LIMIT.burst, EVENT_RATE_LIMIT.burst / EVENT_RATE_LIMIT.windowMs);
}

/** A task handles its own errors; the gate only counts it until it settles. */
type Task = () => Promise<void>;

export interface HandlerGate {
  /** Starts the task, queues it behind the running ones, or refuses it (false) when the queue is full. */
  admit(task: Task): boolean;
  /** Drops the waiting tasks and refuses new ones (the socket is gone: nobody would hear the answers). */
  close(): void;
}

export function createHandlerGate(limits: { running: number; waiting: number } = HANDLER_CONCURRENCY): HandlerGate {
  let running = 0;
  let closed = false;
  const waiting: Task[] = [];

  function start(task: Task): void {
    running++;
    const done = () => {
      running--;
      const next = waiting.shift();
      if (next) start(next);
    };
    task().then(done, done);
  }

  return {
    admit(task) {
      if (closed) return false;
      if (running < limits.running) start(task);
      else if (waiting.length < limits.waiting) waiting.push(task);
      else return false;
      return true;
    },
    close() {
      closed = true;
      waiting.length = 0;
    },
  };
}

const gates = new WeakMap<Socket, HandlerGate>();

/** The socket's one gate, shared by all its handlers; closed when the socket disconnects. */
export function handlerGateOf(socket: Socket): HandlerGate {
  let gate = gates.get(socket);
  if (!gate) {
    const created = createHandlerGate();
    socket.once('disconnect', () => created.close());
    gates.set(socket, created);
    gate = created;
  }
  return gate;
}
