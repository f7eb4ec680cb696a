// How fast Yjs messages may arrive from one user (all their connections to this node), in bytes.
// The 4 MiB document cap bounds what a document holds, not what flows through it: a client
// inserting and deleting megabytes in a loop made the server apply, store and fan out 78 MB in
// 10 s (a 21 s stall for everyone). Over budget, a connection is not refused and nothing is
// dropped: it is not read until the budget has refilled, so the sender is slowed to the sustained
// rate (TCP backpressure) and everyone else is served meanwhile. A budget per document was tried
// and dropped: anyone able to write to it (a sign-in joining the company is free) could keep it in
// debt and stall its real writers for minutes.

/**
 * A user's budget: 1 MiB at once, then 64 KiB/s (typing sends ~1–3 KiB/s, a paste a few KB once).
 * A message is never split or refused for its size (the WebSocket frame limit does that): a browser
 * back from offline sends its unsent edits in one sync message, applied at once, and waits after.
 */
export const USER_WRITE_BUDGET = { burstBytes: 1024 * 1024, bytesPerSecond: 64 * 1024 };
/** What a message costs besides its bytes: a flood of tiny messages is work too. */
export const MESSAGE_COST_BYTES = 64;

export interface WriteBudgetLimits {
  burstBytes: number;
  bytesPerSecond: number;
}

/**
 * A token bucket in bytes that may go into debt: the message that overdraws it is taken; the next
 * waits until the debt is repaid (readyIn), whichever of the user's connections it arrives on.
 */
export class ByteBudget {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    private readonly limits: WriteBudgetLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.burstBytes;
    this.last = now();
    this.perMs = limits.bytesPerSecond / 1000;
  }

  /** How many ms until the budget is out of debt (0: a message may be taken now). */
  readyIn(): number {
    this.refill();
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }

  /** Takes `bytes` from the budget (possibly into debt). */
  spend(bytes: number): void {
    this.refill();
    this.tokens -= bytes;
  }

  /** Full again: nothing to remember about this spender. */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.limits.burstBytes;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.limits.burstBytes, this.tokens + Math.max(0, t - this.last) * this.perMs);
    this.last = t;
  }
}

/** One budget per key (a user, a document) on this node, forgotten once full again (see sweep()). */
export class WriteBudgets {
  private readonly budgets = new Map<string, ByteBudget>();

  constructor(private readonly limits: WriteBudgetLimits) {}

  of(key: string): ByteBudget {
    let budget = this.budgets.get(key);
    if (!budget) {
      if (this.budgets.size >= SWEEP_AT) this.sweep();
      budget = new ByteBudget(this.limits);
      this.budgets.set(key, budget);
    }
    return budget;
  }

  /** Drops the budgets that have refilled completely (a new one starts full: the same thing). */
  sweep(): void {
    for (const [key, budget] of this.budgets) if (budget.full) this.budgets.delete(key);
  }

  get size(): number {
    return this.budgets.size;
  }
}

/** Budgets kept before the full ones are swept out on the spot (besides the periodic sweep). */
const SWEEP_AT = 10_000;
