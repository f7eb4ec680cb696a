// Runs PGlite on its own thread. PGlite executes SQL synchronously inside WebAssembly; on the main
// thread every batch of Yjs updates written would stall all sockets for milliseconds.
// Plain JavaScript so it starts under tsx, vitest and plain node alike.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_OPTIONS } from './pglite-options.mjs';

const { dataDir, loadDataDir } = workerData;
const db = new PGlite({
  ...PGLITE_OPTIONS,
  ...(dataDir ? { dataDir } : {}),
  ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
});
/** txId → { tx, finish(outcome) } for transactions opened by the main thread. */
const transactions = new Map();
let nextTxId = 1;

function identityParsers(oids) {
  if (!oids) return undefined;
  return Object.fromEntries(oids.map((oid) => [oid, (value) => value]));
}

function target(txId) {
  if (txId === undefined) return db;
  const entry = transactions.get(txId);
  if (!entry) throw new Error(`transaction ${txId} is not open`);
  return entry.tx;
}

async function handle(message) {
  switch (message.op) {
    case 'ready':
      await db.waitReady;
      return null;
    case 'query': {
      const options = { rowMode: message.rowMode, parsers: identityParsers(message.rawOids) };
      const result = await target(message.txId).query(message.sql, message.params, options);
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case 'exec':
      return (await target(message.txId).exec(message.sql)).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
    case 'begin':
      return new Promise((resolveBegin, rejectBegin) => {
        const txId = nextTxId++;
        const entry = { tx: undefined, finish: undefined, done: undefined };
        const finished = new Promise((resolve) => (entry.finish = resolve));
        // PGlite runs the callback once it holds the connection; the main thread then sends this
        // transaction's queries and finally 'end' with commit or rollback.
        entry.done = db
          .transaction(async (tx) => {
            entry.tx = tx;
            transactions.set(txId, entry);
            resolveBegin(txId);
            if ((await finished) === 'rollback') await tx.rollback();
          })
          .finally(() => transactions.delete(txId));
        entry.done.catch(rejectBegin);
      });
    case 'end': {
      const entry = transactions.get(message.txId);
      if (!entry) throw new Error(`transaction ${message.txId} is not open`);
      const done = entry.done;
      entry.finish(message.outcome);
      await done;
      return null;
    }
    case 'dump': {
      const blob = await db.dumpDataDir('none');
      return await blob.arrayBuffer();
    }
    case 'close':
      if (!db.closed) await db.close();
      return null;
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

/** A WebAssembly trap (abort, out of memory) leaves PGlite unusable: every later query would fail. */
function isFatal(err) {
  return err instanceof WebAssembly.RuntimeError;
}

parentPort.on('message', (message) => {
  handle(message).then(
    (result) => parentPort.postMessage({ id: message.id, ok: true, result }),
    (err) => {
      parentPort.postMessage({ id: message.id, ok: false, error: { message: err?.message ?? String(err), code: err?.code } });
      // Let the thread die so the main thread reports it (PGliteThread's onFatal) instead of
      // failing query after query.
      if (isFatal(err)) setImmediate(() => {
        throw err;
      });
    },
  );
});
