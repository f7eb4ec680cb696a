// The main-thread side of pglite-worker.mjs: a client with the part of PGlite's interface that
// drizzle's PGlite driver uses (query, exec, transaction), forwarding each call to the worker.
import { Worker } from 'node:worker_threads';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export interface PGliteThreadOptions {
  /** PGlite data directory; absent = in memory. */
  dataDir?: string;
  loadDataDir?: Blob;
  /**
   * Called once if the database thread dies on its own (crash, WebAssembly abort, exit). From then
   * on every query fails with the same error, so nothing can be saved any more: the process should
   * stop instead of accepting edits it cannot keep. Not called for close(), nor while open() runs
   * (open() rejects instead).
   */
  onFatal?: (err: Error) => void;
}

/** The embedded database thread died; every later call fails with this error. */
export class DatabaseStoppedError extends Error {
  constructor(reason: string) {
    super(`the embedded database stopped: ${reason}`);
    this.name = 'DatabaseStoppedError';
  }
}

export class PGliteThread implements Queryable {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly fatalListeners = new Set<(err: Error) => void>();
  private nextId = 1;
  private closing = false;
  private opened = false;
  /** Set once the worker died unexpectedly. */
  fatalError: Error | undefined;
  closed = false;

  private constructor(options: { dataDir?: string; loadDataDir?: ArrayBuffer; onFatal?: (err: Error) => void }) {
    if (options.onFatal) this.fatalListeners.add(options.onFatal);
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir: options.dataDir, loadDataDir: options.loadDataDir },
      transferList: options.loadDataDir ? [options.loadDataDir] : [],
    });
    this.worker.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: { message: string; code?: string } }) => {
      const call = this.calls.get(message.id);
      if (!call) return;
      this.calls.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new DatabaseError(message.error!.message, message.error!.code));
    });
    this.worker.on('error', (err) => this.die(`${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`));
    this.worker.on('exit', (code) => {
      if (this.closing) {
        this.closed = true;
        this.failAll(new Error('database is closed'));
      } else {
        this.die(`its thread exited with code ${code}`);
      }
    });
  }

  static async open(options: PGliteThreadOptions): Promise<PGliteThread> {
    // A new data directory is made by a child process (unpacked from the template that initdb made,
    // see pglite-template.mjs), so that memory never counts against the server.
    if (options.dataDir && !existsSync(join(options.dataDir, 'PG_VERSION'))) await createDataDir(options.dataDir);
    const thread = new PGliteThread({
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined,
      onFatal: options.onFatal,
    });
    try {
      await thread.call('ready', {});
    } catch (err) {
      await thread.close().catch(() => {});
      throw err;
    }
    thread.opened = true;
    return thread;
  }

  /** Adds a listener for the thread dying unexpectedly (see PGliteThreadOptions.onFatal); returns a remover. */
  onFatal(listener: (err: Error) => void): () => void {
    if (this.fatalError) {
      const err = this.fatalError;
      queueMicrotask(() => listener(err));
      return () => {};
    }
    this.fatalListeners.add(listener);
    return () => this.fatalListeners.delete(listener);
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

  /** Closes PGlite cleanly and stops the thread (does not count as a fatal stop). */
  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    try {
      await this.call('close', {});
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  private runQuery(txId: number | undefined, sql: string, params: unknown[], options: QueryOptions): Promise<Results> {
    // drizzle's parsers only keep dates and intervals as strings; the worker recreates them.
    const rawOids = options.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.call('query', { sql, params, rowMode: options.rowMode, rawOids, txId });
  }

  private call<T = any>(op: string, payload: Record<string, unknown>): Promise<T> {
    if (this.fatalError) return Promise.reject(this.fatalError);
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...payload });
    });
  }

  /** The worker stopped without close(): fail everything from now on and tell the listeners once. */
  private die(reason: string): void {
    if (this.fatalError) return;
    if (this.closed || this.closing) {
      this.failAll(new Error('database is closed'));
      return;
    }
    const err = new DatabaseStoppedError(reason);
    this.fatalError = err;
    this.closed = true;
    this.failAll(err);
    // The thread may still be running after an 'error' event; make sure it is gone.
    void this.worker.terminate().catch(() => {});
    // While open() runs, its rejection reports the failure.
    if (!this.opened) return;
    for (const listener of this.fatalListeners) {
      try {
        listener(err);
      } catch {
        // a listener's failure must not hide the others
      }
    }
    this.fatalListeners.clear();
  }

  private failAll(err: Error): void {
    for (const call of this.calls.values()) call.reject(err);
    this.calls.clear();
  }
}

/** Runs pglite-init.mjs in a child process to create the data directory; rejects with its output. */
function createDataDir(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./pglite-init.mjs', import.meta.url)), dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`could not create the database in ${dataDir} (exit ${code}): ${stderr.trim().slice(-500)}`))));
  });
}
