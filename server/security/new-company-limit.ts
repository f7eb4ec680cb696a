// How many new companies one address may bring into one session through the join code. The code
// is as good as public (a QR code on the wall): one client made 110 companies in 7 s, and every
// board, which opens one worksheet per company of its room, broke. A venue's Wi-Fi is one address
// for everyone in the room, so the cap sits well above a real session's companies; loopback (the
// machine's own tools and benchmarks) is exempt. Per node and in memory: a restart forgets it.

import { isLoopback } from '../net/connection-limits.ts';

/** New companies one address may create per session. */
export const NEW_COMPANIES_PER_ADDRESS = 20;
/** (session, address) pairs remembered; the oldest are forgotten first. */
const MAX_TRACKED = 10_000;


export class NewCompanyLimit {
  private readonly counts = new Map<string, number>();

  constructor(private readonly perAddress = NEW_COMPANIES_PER_ADDRESS) {}

  /** Whether `address` may create another company in the session. */
  allows(eventId: string, address: string): boolean {
    return isLoopback(address) || (this.counts.get(`${eventId} ${address}`) ?? 0) < this.perAddress;
  }

  /** Counts a company `address` created (after its join committed). */
  count(eventId: string, address: string): void {
    if (isLoopback(address)) return;
    const key = `${eventId} ${address}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key);
    this.counts.set(key, n);
    if (this.counts.size > MAX_TRACKED) this.counts.delete(this.counts.keys().next().value!);
  }
}
