// The main-thread side of pglite-worker.mjs: a client with the part of PGlite's interface that
// drizzle's PGlite driver uses (query, exec, transaction), forwarding each call to the worker.
import { Worker } from 'node:worker_threads';

type Row = Record<string, unknown> | unknown[];
interface Results {
  rows: Row[];
  fields: Array<{ name: string; dataTypeID: number }>;
  affectedRows?: number;
}
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string) => unknown>;
}

class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

interface Queryable {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results>;
  exec(sql: string): Promise<Results[]>;
}

export class PGliteThread implements Queryable {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  closed = false;

  private constructor(options: { dataDir?: string; loadDataDir?: ArrayBuffer }) {
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: options,
      transferList: options.loadDataDir ? [options.loadDataDir] : [],
    });
    this.worker.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: { message: string; code?: string } }) => {
      const call = this.calls.get(message.id);
      if (!call) return;
      this.calls.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new DatabaseError(message.error!.message, message.error!.code));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => {
      this.closed = true;
      this.failAll(new Error('database thread stopped'));
    });
  }

  static async open(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGliteThread> {
    const thread = new PGliteThread({
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined,
    });
    await thread.call('ready', {});
    return thread;
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results> {
    return this.runQuery(undefined, sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.call('exec', { sql });
  }

  /** Like PGlite.transaction: the callback's queries run inside one transaction on the worker. */
  async transaction<T>(callback: (tx: Queryable) => Promise<T>): Promise<T> {
    const txId: number = await this.call('begin', {});
    const tx: Queryable = {
      query: (sql, params = [], options = {}) => this.runQuery(txId, sql, params, options),
      exec: (sql) => this.call('exec', { sql, txId }),
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (err) {
      await this.call('end', { txId, outcome: 'rollback' }).catch(() => {});
      throw err;
    }
    await this.call('end', { txId, outcome: 'commit' });
    return result;
  }

  async dumpDataDir(): Promise<Blob> {
    return new Blob([await this.call<ArrayBuffer>('dump', {})]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call('close', {});
    this.closed = true;
    await this.worker.terminate();
  }

  private runQuery(txId: number | undefined, sql: string, params: unknown[], options: QueryOptions): Promise<Results> {
    // drizzle's parsers only keep dates and intervals as strings; the worker recreates them.
    const rawOids = options.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.call('query', { sql, params, rowMode: options.rowMode, rawOids, txId });
  }

  private call<T = any>(op: string, payload: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...payload });
    });
  }

  private failAll(err: Error): void {
    for (const call of this.calls.values()) call.reject(err);
    this.calls.clear();
  }
}
