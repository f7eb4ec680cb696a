// Shares database round trips between requests that arrive together: every key asked for in one
// turn of the event loop is fetched by one query (e.g. 1,000 browsers reconnecting after a restart
// need their sessions and memberships: a handful of queries instead of thousands).
export class TickBatcher<K, V> {
  private queue = new Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (err: unknown) => void }>>();
  private scheduled = false;

  constructor(
    /** Loads many keys at once; keys it leaves out resolve to undefined. */
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const slice = keys.slice(i, i + this.maxBatch);
      try {
        const found = await this.loadMany(slice);
        for (const key of slice) for (const waiter of batch.get(key)!) waiter.resolve(found.get(key));
      } catch (err) {
        for (const key of slice) for (const waiter of batch.get(key)!) waiter.reject(err);
      }
    }
  }
}
