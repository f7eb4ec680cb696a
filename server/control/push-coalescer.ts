// Live state pushed whole (the meetup's, the open help requests) is coalesced per event: the first
// change goes out at once, the ones within the next PUSH_INTERVAL_MS are held and only the latest
// goes out when it ends (so the last state always arrives). 1,779 done marks in 15 s each pushed
// the 3.8 KB meetup state to every socket of the event (697 MB); now at most four a second go out.

/** At most one push per key in this time. */
export const PUSH_INTERVAL_MS = 250;

export interface Coalescer<T> {
  push(key: string, value: T): void;
  /** Sends what is held at once and forgets the windows (shutdown, tests). */
  flush(): void;
}

/**
 * `merge` folds a held value into the newer one (default: the newer wins), for what the held
 * pushes said beyond their state (help.changed's `added` cue).
 */
export function coalescer<T>(send: (value: T) => void, merge: (held: T, next: T) => T = (_held, next) => next, intervalMs = PUSH_INTERVAL_MS): Coalescer<T> {
  const windows = new Map<string, { timer: ReturnType<typeof setTimeout>; held?: { value: T } }>();

  function open(key: string): void {
    const timer = setTimeout(() => close(key), intervalMs);
    timer.unref?.();
    windows.set(key, { timer });
  }

  function close(key: string): void {
    const window = windows.get(key);
    windows.delete(key);
    if (!window?.held) return;
    send(window.held.value);
    // What came in just now is spaced from the next one too.
    open(key);
  }

  return {
    push(key, value) {
      if (intervalMs <= 0) return send(value);
      const window = windows.get(key);
      if (!window) {
        send(value);
        open(key);
        return;
      }
      window.held = { value: window.held ? merge(window.held.value, value) : value };
    },
    flush() {
      for (const [key, window] of [...windows]) {
        clearTimeout(window.timer);
        windows.delete(key);
        if (window.held) send(window.held.value);
      }
    },
  };
}
