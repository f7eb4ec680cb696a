// Shares database round trips between requests that arrive together: every key asked for in one
// turn of the event loop is fetched by one query (e.g. 1,000 browsers reconnecting after a restart
// need their sessions and memberships: a handful of queries instead of thousands). While a query
// is out, keys asked for meanwhile wait for it to return and then go in one query together, so
// under a storm batches grow with the load instead of each turn paying its own round trip.
export class TickBatcher<K, V> {
  private queue = new Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (err: unknown) => void }>>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    /** Loads many keys at once; keys it leaves out resolve to undefined. */
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
    /** Queries out at once; more requests wait and join the next batch. */
    private readonly maxInFlight = 1,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.size === 0) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = new Map();
    const keys = [...batch.keys()];
    this.inFlight++;
    try {
      for (let i = 0; i < keys.length; i += this.maxBatch) {
        const slice = keys.slice(i, i + this.maxBatch);
        try {
          const found = await this.loadMany(slice);
          for (const key of slice) for (const waiter of batch.get(key)!) waiter.resolve(found.get(key));
        } catch (err) {
          for (const key of slice) for (const waiter of batch.get(key)!) waiter.reject(err);
        }
      }
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
