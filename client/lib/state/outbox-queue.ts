// The pure part of the control-plane outbox: which actions wait to be sent, in which order, and
// what to do with the server's answer. No socket, no storage, no Svelte: unit-tested as is.
//
// An action waits here from the moment it is made until the server acknowledges it, so a change
// made offline (or while the server restarts) is kept, shown as not yet sent, and sent in order
// on reconnect. Actions must be idempotent (set a value, add or take back one's own reaction):
// one whose answer was lost is sent again.
import type { Ack } from '../../../shared/protocol/control-events.ts';

export interface OutboxItem {
  /** Unique per queued action. */
  id: string;
  /** The control event (score:set, card:react…). */
  event: string;
  payload: unknown;
  /**
   * What the action changes (e.g. `score:<eventCompanyId>:<element>`): a newer action with the
   * same key replaces an older one still waiting, so only the last change is sent.
   */
  key: string;
  /** Date.now() when queued. */
  queuedAt: number;
}

/** More waiting actions than this is a bug or a runaway client, not a person offline. */
export const MAX_OUTBOX_ITEMS = 500;

/**
 * Adds an action at the end. One waiting with the same key is dropped: the newer one replaces it
 * and takes its place at the end, so the actions that remain go out in the order they were last
 * made. Returns null when the queue is full (the caller must refuse the action visibly).
 */
export function enqueue(queue: readonly OutboxItem[], item: OutboxItem): OutboxItem[] | null {
  const rest = queue.filter((q) => q.key !== item.key);
  if (rest.length >= MAX_OUTBOX_ITEMS) return null;
  return [...rest, item];
}

/** The queue without the item with this id (it was answered); unchanged if it was replaced meanwhile. */
export function remove(queue: readonly OutboxItem[], id: string): OutboxItem[] {
  return queue.filter((q) => q.id !== id);
}

/** The server's answer to one sent action, or what happened instead of an answer. */
export type SendResult = { kind: 'ack'; res: Ack<Record<string, unknown>> } | { kind: 'no-answer' };

/**
 * - 'done': acknowledged; drop it and apply the answer.
 * - 'refused': the server will never accept it (invalid, not allowed, event closed): drop it and
 *   tell the user.
 * - 'retry': not acted on (offline, timed out, too fast, server fault): keep it, send it again.
 */
export type Outcome = 'done' | 'refused' | 'retry';

export function outcomeOf(result: SendResult): Outcome {
  if (result.kind === 'no-answer') return 'retry';
  if (result.res.ok) return 'done';
  return result.res.retry ? 'retry' : 'refused';
}

/** Wait before sending again after a 'retry' while still connected: 1 s, 2 s, 4 s… at most 15 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(0, failures - 1), 15_000);
}

/** The stored form (localStorage), so a reload keeps what was not sent. */
export function serialize(queue: readonly OutboxItem[]): string {
  return JSON.stringify({ v: 1, items: queue });
}

/** Reads the stored form back; anything malformed is skipped, never thrown. */
export function deserialize(text: string | null): OutboxItem[] {
  if (!text) return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null) return [];
  const { v, items } = data as { v?: unknown; items?: unknown };
  if (v !== 1 || !Array.isArray(items)) return [];
  const valid: OutboxItem[] = [];
  for (const item of items) {
    if (!isItem(item)) continue;
    const next = enqueue(valid, item);
    if (next) valid.splice(0, valid.length, ...next);
  }
  return valid;
}

function isItem(value: unknown): value is OutboxItem {
  const item = value as Partial<OutboxItem> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.id === 'string' &&
    typeof item.event === 'string' &&
    typeof item.key === 'string' &&
    typeof item.queuedAt === 'number' &&
    'payload' in item
  );
}
