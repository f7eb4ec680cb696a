// What one control socket may ask of the server. Every event spends from a per-socket token bucket,
// and only a few handlers of a socket run at once (a few more wait their turn), so a client that
// floods requests without waiting for answers is refused at once, cheaply, instead of piling up
// database work and memory that starve every other client and /healthz. Both limits sit far above
// what the app's own client sends (a reconnect: subscribe, three loads, five clock samples, the
// outbox one at a time), and their refusals carry retry: true.
// Per socket is not enough: one sign-in may hold 20 sockets and sign-ins are cheap, so a user's
// sockets on this node also share one budget, and the handlers of all sockets together take turns
// (fairly, user by user) at a few database slots, so that a crowd of sockets cannot fill the
// database's queue in front of everyone else and /healthz.
import type { Socket } from 'socket.io';

/** Every event of a socket, reads included: bursts of `burst`, refilled at `burst` per `windowMs`. */
export const EVENT_RATE_LIMIT = { burst: 100, windowMs: 10_000 };
export const TOO_MANY_EVENTS = 'リクエストが多すぎます。少し待ってください / Too many requests, slow down';

/** Handlers of one socket running at once, and how many more may wait for a turn. */
export const HANDLER_CONCURRENCY = { running: 4, waiting: 32 };
export const TOO_MANY_AT_ONCE = '同時のリクエストが多すぎます。少し待ってからやり直してください / Too many requests at once, try again shortly';

/**
 * Every event of one user, all their sockets on this node together. A facilitator's console (one
 * socket, however many rooms) plus a few board and projector tabs reconnecting at once send a few
 * dozen; one user's 20 sockets at the per-socket rate would send 2,000.
 */
export const USER_EVENT_RATE_LIMIT = { burst: 300, windowMs: 10_000 };

/**
 * Control handlers of this node running at once (the PostgreSQL pool holds 10 connections; PGlite
 * runs one query at a time anyway), how many of one user may wait, and of everyone together.
 */
export const NODE_HANDLER_CONCURRENCY = { running: 10, waitingPerUser: 64, waiting: 2_000 };

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

/** One bucket per user, shared by their sockets on this node; forgotten when the last one goes. */
const userBudgets = new Map<string, { bucket: { take(): boolean }; sockets: number }>();

/** The bucket every event of the socket's user spends from (with the socket's own). */
export function userEventBudget(socket: Socket, userId: string): { take(): boolean } {
  let entry = userBudgets.get(userId);
  if (!entry) {
    entry = { bucket: tokenBucket(USER_EVENT_RATE_LIMIT.burst, USER_EVENT_RATE_LIMIT.burst / USER_EVENT_RATE_LIMIT.windowMs), sockets: 0 };
    userBudgets.set(userId, entry);
  }
  const held = entry;
  held.sockets++;
  socket.once('disconnect', () => {
    // A user who disconnects everything and comes back at once starts with a full bucket: the
    // per-socket bucket and the node gate still bound them.
    if (--held.sockets === 0 && userBudgets.get(userId) === held) userBudgets.delete(userId);
  });
  return held.bucket;
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

export interface FairGate {
  /** Runs the task now or after the waiting ones (user by user in turn), or refuses it (false). */
  admit(key: string, task: Task): boolean;
  /** Tasks running and waiting, for tests and logs. */
  readonly load: { running: number; waiting: number };
}

/**
 * A node-wide gate: at most `running` tasks at once; the rest wait in one queue per key (a user),
 * served in turn, so a user with many sockets waits behind their own requests, not in front of
 * everyone else's. Bounded per key and in total: beyond, refused.
 */
export function createFairGate(limits: { running: number; waitingPerUser: number; waiting: number } = NODE_HANDLER_CONCURRENCY): FairGate {
  let running = 0;
  let waiting = 0;
  // Insertion order is the turn order: a served key goes to the back.
  const queues = new Map<string, Task[]>();

  function next(): Task | undefined {
    for (const [key, queue] of queues) {
      const task = queue.shift()!;
      queues.delete(key);
      if (queue.length > 0) queues.set(key, queue);
      waiting--;
      return task;
    }
    return undefined;
  }

  function start(task: Task): void {
    running++;
    const done = () => {
      running--;
      const following = next();
      if (following) start(following);
    };
    task().then(done, done);
  }

  return {
    admit(key, task) {
      if (running < limits.running && waiting === 0) {
        start(task);
        return true;
      }
      const queue = queues.get(key) ?? [];
      if (queue.length >= limits.waitingPerUser || waiting >= limits.waiting) return false;
      queue.push(task);
      if (queue.length === 1) queues.set(key, queue);
      waiting++;
      return true;
    },
    get load() {
      return { running, waiting };
    },
  };
}

/** The one gate of this node that every control handler passes before touching the database. */
export const nodeHandlerGate = createFairGate();
