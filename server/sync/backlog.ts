// What the server holds unsent for the Yjs connections of one client address, together. Each
// connection may have MAX_BUFFERED_BYTES waiting for it (y-connection.ts), but one address may hold
// 256 connections (net/connection-limits.ts), and what waits for each is mostly its own copy of the
// whole document (every sync step 1 is answered with a fresh encoding): 100 connections that never
// read a busy 3.6 MB document took the server from 105 MB to 900 MB, and 256 would take ~2 GB. So
// the connections of one address share a limit too; a connection that would add to an address
// over it is closed like any slow consumer.
//
// The sum is kept from what each connection had waiting after its last send (cheap per message) and
// measured afresh (every connection's bufferedAmount) only when that count says the address is over
// the limit: connections that read in the meantime have less waiting than counted. A connection
// counts until its socket has really closed: one being closed still holds its buffers (the close
// handshake waits behind them), so closing it must not make room for more.
import { isIP } from 'node:net';
import { isLoopback } from '../net/connection-limits.ts';

/** Unsent Yjs data the connections of one address may hold together: ten full documents and then some. */
export const MAX_BACKLOG_BYTES_PER_ADDRESS = 48 * 1024 * 1024;

export interface BacklogLimits {
  /** Bytes all connections of one address may have waiting together. */
  perAddress?: number;
  /** Addresses without a limit (default: loopback, as for the connection limits). */
  exempt?: (address: string) => boolean;
}

/** A connection as the ledger sees it: how much waits for it right now. */
export interface Backlogged {
  readonly bufferedAmount: number;
}

/** One connection's place in its address's ledger. */
export interface BacklogAccount {
  /**
   * Whether `bytes` more may wait for this connection (it has `buffered` waiting now) without its
   * address going over the limit; records `buffered` as the connection's count.
   */
  admits(buffered: number, bytes: number): boolean;
  /** What waits for the connection after a send. */
  record(buffered: number): void;
  /** The socket has closed: its buffers are gone. */
  release(): void;
}

const UNLIMITED: BacklogAccount = { admits: () => true, record: () => {}, release: () => {} };

class AddressLedger {
  readonly counted = new Map<Backlogged, number>();
  sum = 0;

  set(conn: Backlogged, bytes: number): void {
    this.sum += bytes - (this.counted.get(conn) ?? 0);
    this.counted.set(conn, bytes);
  }

  /** Every connection's count measured afresh. */
  remeasure(): void {
    this.sum = 0;
    for (const conn of this.counted.keys()) {
      const bytes = conn.bufferedAmount;
      this.counted.set(conn, bytes);
      this.sum += bytes;
    }
  }
}

export class Backlogs {
  private readonly limit: number;
  private readonly exempt: (address: string) => boolean;
  private readonly byAddress = new Map<string, AddressLedger>();

  constructor({ perAddress = MAX_BACKLOG_BYTES_PER_ADDRESS, exempt = isLoopback }: BacklogLimits = {}) {
    this.limit = perAddress;
    this.exempt = exempt;
  }

  /** The account of a connection from `address` (null: behind a proxy, where every address is the proxy's). */
  account(address: string | null | undefined, conn: Backlogged): BacklogAccount {
    if (!address || !isIP(address) || this.exempt(address)) return UNLIMITED;
    let ledger = this.byAddress.get(address);
    if (!ledger) this.byAddress.set(address, (ledger = new AddressLedger()));
    ledger.set(conn, 0);
    const limit = this.limit;
    let released = false;
    return {
      admits: (buffered, bytes) => {
        if (released) return true;
        ledger.set(conn, buffered);
        if (ledger.sum + bytes <= limit) return true;
        ledger.remeasure();
        return ledger.sum + bytes <= limit;
      },
      record: (buffered) => {
        if (!released) ledger.set(conn, buffered);
      },
      release: () => {
        if (released) return;
        released = true;
        ledger.set(conn, 0);
        ledger.counted.delete(conn);
        if (ledger.counted.size === 0) this.byAddress.delete(address);
      },
    };
  }

  /** What the connections of `address` had waiting when last counted (tests). */
  counted(address: string): number {
    return this.byAddress.get(address)?.sum ?? 0;
  }
}
