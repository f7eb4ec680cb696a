// Control-plane actions (score:set today; reactions and moves can use it too) wait here until the
// server acknowledges them: sent at once when connected, kept while offline (in memory and in
// localStorage, so a reload keeps them), shown as not yet sent, and sent in order on reconnect.
// What the server then refuses for good is dropped and reported. The queue rules are in
// outbox-queue.ts.
import type { ClientToServerEvents } from '../../../shared/protocol/control-events.ts';
import { sendOnce, type AckOf, type ControlSocket, type PayloadOf } from '../api/control-socket.ts';
import { localStorageOrNull } from '../api/local-copies.ts';
import { deserialize, enqueue, outcomeOf, remove, retryDelayMs, serialize, type OutboxItem } from './outbox-queue.ts';
import { bilingualMessage } from '../error-message.ts';
import { randomId } from '../random-id.ts';

export interface OutboxHandler<E extends keyof ClientToServerEvents> {
  /** The server accepted the action: apply its answer. */
  acked?(payload: PayloadOf<E>, res: Extract<AckOf<E>, { ok: true }>): void;
  /** Names the action for a message about it, e.g. 「青空通販 の PR のスコア」. */
  describe?(payload: PayloadOf<E>): string;
}

/** Actions the server refused (they were dropped), grouped by the server's reason. */
export interface Refusal {
  id: string;
  /** What was refused, e.g. 「青空通販 の「PR」のスコア」. */
  whats: string[];
  error: string;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
/** A handler as stored: its event's types are checked where it is registered (handle). */
type AnyHandler = { acked?(payload: unknown, res: unknown): void; describe?(payload: unknown): string };

export class ControlOutbox {
  /** Waiting actions, oldest first; the first may be on its way. */
  items = $state.raw<OutboxItem[]>([]);
  /** Refused actions the user has not dismissed yet. */
  refusals = $state.raw<Refusal[]>([]);

  private readonly handlers = new Map<string, AnyHandler>();
  private flushing = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private readonly storage: StorageLike | null;

  constructor(
    private readonly socket: ControlSocket,
    /** Per event and user: two people sharing a browser must not send each other's changes. */
    private readonly storageKey: string,
    storage: StorageLike | null = localStorageOrNull(),
  ) {
    this.storage = storage;
    this.items = deserialize(this.read());
    socket.on('connect', this.onConnect);
  }

  get count(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.items.some((item) => item.key === key);
  }

  /** Registers what to do with the answers to one kind of action (also those queued before a reload). */
  handle<E extends keyof ClientToServerEvents>(event: E, handler: OutboxHandler<E>): void {
    this.handlers.set(event, handler as AnyHandler);
  }

  /**
   * Queues an action (replacing one still waiting with the same key) and sends it as soon as the
   * socket is connected. False when it could not be queued (the queue is full).
   */
  send<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>, key: string): boolean {
    const next = enqueue(this.items, { id: newId(), event, payload, key, queuedAt: Date.now() });
    if (!next) return false;
    this.setItems(next);
    void this.flush();
    return true;
  }

  dismiss(id: string): void {
    this.refusals = this.refusals.filter((r) => r.id !== id);
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    this.socket.off('connect', this.onConnect);
  }

  private readonly onConnect = (): void => {
    this.failures = 0;
    clearTimeout(this.retryTimer);
    void this.flush();
  };

  /** Sends the waiting actions one by one, in order, while connected. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (!this.destroyed && this.socket.connected) {
        const item = this.items[0];
        if (!item) break;
        const result = await sendOnce(this.socket, item.event, item.payload);
        if (this.destroyed) return;
        const outcome = outcomeOf(result);
        if (outcome === 'retry') {
          // Offline: 'connect' sends it. Still connected (timed out, too fast): try again later.
          this.failures++;
          if (this.socket.connected) this.retryTimer = setTimeout(() => void this.flush(), retryDelayMs(this.failures));
          return;
        }
        this.failures = 0;
        // A newer action with the same key may have replaced it meanwhile: that one stays.
        this.setItems(remove(this.items, item.id));
        const handler = this.handlers.get(item.event);
        if (result.kind !== 'ack') continue;
        if (outcome === 'done') {
          try {
            handler?.acked?.(item.payload, result.res);
          } catch (err) {
            console.error(`outbox: applying the answer to ${item.event} failed`, err);
          }
        } else if (!result.res.ok) {
          this.refuse(item.id, this.describe(item, handler), bilingualMessage(result.res.error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Several actions refused for one reason (the event was closed meanwhile) make one message. */
  private refuse(id: string, what: string, error: string): void {
    const same = this.refusals.find((r) => r.error === error);
    if (!same) this.refusals = [...this.refusals, { id, whats: [what], error }];
    else if (!same.whats.includes(what)) this.refusals = this.refusals.map((r) => (r === same ? { ...r, whats: [...r.whats, what] } : r));
  }

  private describe(item: OutboxItem, handler: AnyHandler | undefined): string {
    try {
      return handler?.describe?.(item.payload) ?? item.event;
    } catch {
      // A payload stored by another version of the page may not be what describe expects.
      return item.event;
    }
  }

  private setItems(items: OutboxItem[]): void {
    this.items = items;
    try {
      if (items.length) this.storage?.setItem(this.storageKey, serialize(items));
      else this.storage?.removeItem(this.storageKey);
    } catch {
      // Storage full or disabled: the actions are still kept in memory until sent.
    }
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(this.storageKey) ?? null;
    } catch {
      return null;
    }
  }
}

function newId(): string {
  return typeof crypto === 'undefined' ? `${Date.now()}-${Math.random().toString(36).slice(2)}` : randomId();
}
