// YPersistence against a real database: batching, compaction (snapshot + tail) and retry after a
// failed write. Each test uses its own document names on one shared database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asc, eq, sql } from 'drizzle-orm';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../../helpers/database.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { YPersistence } from '../../../server/sync/persistence.ts';
import { DocRegistry } from '../../../server/sync/doc-registry.ts';
import { yjsSnapshots, yjsUpdates } from '../../../server/db/schema.ts';
import type { Db } from '../../../server/db/client.ts';

let testDb: TestDatabase;
let db: Db;
const open: YPersistence[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
});

afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

afterAll(async () => {
  await testDb?.drop();
});

function persistence(options: ConstructorParameters<typeof YPersistence>[1] = {}) {
  const p = new YPersistence(db, { flushDelayMs: 20, compactAfterRows: 5, ...options });
  open.push(p);
  return p;
}

let docCounter = 0;
const freshName = (label: string) => `test:${label}:${++docCounter}`;

async function updateRows(docName: string) {
  return db.select().from(yjsUpdates).where(eq(yjsUpdates.docName, docName)).orderBy(asc(yjsUpdates.id));
}

async function snapshotOf(docName: string) {
  const [row] = await db.select().from(yjsSnapshots).where(eq(yjsSnapshots.docName, docName));
  return row;
}

/** Edits a doc and captures each update as the server's SyncedDoc would hand it to persistence. */
function editor(onUpdate: (u: Uint8Array) => void) {
  const doc = new Y.Doc();
  doc.on('update', (u: Uint8Array) => onUpdate(u));
  return doc;
}

describe('YPersistence', () => {
  it('writes enqueued updates within the flush delay, without an explicit flush', async () => {
    const p = persistence();
    const name = freshName('delay');
    const doc = editor((u) => p.enqueue(name, u));
    doc.getText('t').insert(0, 'hello');
    await eventually(async () => expect(await updateRows(name)).toHaveLength(1), 5_000);
    const loaded = await persistence().load(name);
    expect(loaded.getText('t').toString()).toBe('hello');
  });

  it('stores every byte value and many documents of one flush exactly (one INSERT of arrays)', async () => {
    const p = persistence({ compactAfterRows: 1000 });
    const names = Array.from({ length: 30 }, (_, i) => freshName(`bytes-${i}`));
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const sent = new Map<string, Uint8Array[]>();
    names.forEach((name, i) => {
      const doc = editor((u) => {
        p.enqueue(name, u);
        sent.set(name, [...(sent.get(name) ?? []), u]);
      });
      doc.getMap('m').set('bytes', everyByte);
      doc.getMap('m').set('text', `文書${i} \\x00 '"`);
    });
    await p.flush();
    for (const [i, name] of names.entries()) {
      const rows = await updateRows(name);
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0]!.update).equals(Buffer.from(Y.mergeUpdates(sent.get(name)!)))).toBe(true);
      const loaded = await persistence().load(name);
      expect(loaded.getMap('m').get('bytes')).toEqual(everyByte);
      expect(loaded.getMap('m').get('text')).toBe(`文書${i} \\x00 '"`);
    }
  });

  it('merges many updates from one flush window into one row per document', async () => {
    const p = persistence({ compactAfterRows: 1000 });
    const first = freshName('batch-a');
    const second = freshName('batch-b');
    const a = editor((u) => p.enqueue(first, u));
    const b = editor((u) => p.enqueue(second, u));
    for (let i = 0; i < 50; i++) {
      a.getText('t').insert(a.getText('t').length, `${i},`);
      b.getArray('n').push([i]);
    }
    await p.flush();
    expect(await updateRows(first)).toHaveLength(1);
    expect(await updateRows(second)).toHaveLength(1);
    const reader = persistence();
    expect((await reader.load(first)).getText('t').toString()).toBe(a.getText('t').toString());
    expect((await reader.load(second)).getArray('n').toArray()).toEqual(b.getArray('n').toArray());
  });

  it('compacts the tail into a snapshot, deleting exactly the rows it read', async () => {
    const p = persistence({ compactAfterRows: 5 });
    const name = freshName('compact');
    const bystander = freshName('bystander');
    const doc = editor((u) => p.enqueue(name, u));
    const other = editor((u) => p.enqueue(bystander, u));
    other.getText('t').insert(0, 'not mine');
    await p.flush();
    const bystanderRows = await updateRows(bystander);
    expect(bystanderRows).toHaveLength(1);

    // Four flushes: still below the threshold, so everything stays in the tail.
    for (let i = 0; i < 4; i++) {
      doc.getArray('items').push([`item ${i}`]);
      await p.flush();
    }
    const beforeCompaction = await updateRows(name);
    expect(beforeCompaction).toHaveLength(4);
    expect(await snapshotOf(name)).toBeUndefined();

    // The fifth row triggers compaction.
    doc.getArray('items').push(['item 4']);
    doc.getMap('meta').set('title', '気付き');
    await p.flush();
    await eventually(async () => {
      expect(await snapshotOf(name)).toBeDefined();
      expect(await updateRows(name)).toEqual([]);
    }, 5_000);
    const snapshot = (await snapshotOf(name))!;
    // The snapshot claims the last row it folded (the fifth), and that row's id is above all earlier ones.
    expect(snapshot.lastUpdateId).toBeGreaterThan(Math.max(...beforeCompaction.map((r) => r.id)));
    // Another document's row was not touched.
    expect(await updateRows(bystander)).toEqual(bystanderRows);

    const loaded = await persistence().load(name);
    expect(loaded.getArray('items').toArray()).toEqual(['item 0', 'item 1', 'item 2', 'item 3', 'item 4']);
    expect(loaded.getMap('meta').get('title')).toBe('気付き');
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc));
  });

  it('load() = snapshot + tail, and a later compaction folds the new tail into the snapshot', async () => {
    const p = persistence({ compactAfterRows: 1000 });
    const name = freshName('snap-tail');
    const doc = editor((u) => p.enqueue(name, u));
    doc.getText('t').insert(0, 'snapshot part');
    await p.flush();
    doc.getText('t').insert(doc.getText('t').length, ' / second');
    await p.flush();
    await p.compact(name);
    expect(await updateRows(name)).toEqual([]);
    const snapshot = (await snapshotOf(name))!;
    const snapshotDoc = new Y.Doc();
    Y.applyUpdate(snapshotDoc, snapshot.state);
    expect(snapshotDoc.getText('t').toString()).toBe('snapshot part / second');

    // New edits go to the tail, on top of the snapshot.
    doc.getText('t').insert(doc.getText('t').length, ' + tail');
    doc.getArray('later').push(['x']);
    await p.flush();
    const tail = await updateRows(name);
    expect(tail).toHaveLength(1);
    expect(tail[0]!.id).toBeGreaterThan(snapshot.lastUpdateId);
    // Neither part alone has everything; together they do.
    expect(snapshotDoc.getArray('later').length).toBe(0);
    const loaded = await persistence().load(name);
    expect(loaded.getText('t').toString()).toBe('snapshot part / second + tail');
    expect(loaded.getArray('later').toArray()).toEqual(['x']);

    // A second compaction folds the new tail into the existing snapshot.
    await p.compact(name);
    expect(await updateRows(name)).toEqual([]);
    const again = await persistence().load(name);
    expect(again.getText('t').toString()).toBe('snapshot part / second + tail');
    expect((await snapshotOf(name))!.lastUpdateId).toBe(tail[0]!.id);
  });

  it('compacts a tail longer than PostgreSQL\'s 65,535 query parameters (a restored or neglected document)', { timeout: 120_000 }, async () => {
    const name = freshName('huge-tail');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 70_000; i++) source.getText('t').insert(i, 'x');
    for (let i = 0; i < updates.length; i += 5000) {
      await db.insert(yjsUpdates).values(updates.slice(i, i + 5000).map((update) => ({ docName: name, update })));
    }
    // Loading a document with a tail that long folds it at once (not at its next write).
    const p = persistence({ compactAfterRows: 500 });
    expect((await p.load(name)).getText('t').length).toBe(70_000);
    await p.settled(name);
    expect(await updateRows(name)).toHaveLength(0);
    expect((await persistence().load(name)).getText('t').length).toBe(70_000);
  });

  it('compacting with an empty tail changes nothing', async () => {
    const p = persistence();
    const name = freshName('empty');
    await p.compact(name);
    expect(await snapshotOf(name)).toBeUndefined();
    expect((await p.load(name)).share.size).toBe(0);
  });

  it('many documents compacting at once all end up with snapshot-only storage and full content', async () => {
    const p = persistence({ compactAfterRows: 3 });
    const names = Array.from({ length: 6 }, () => freshName('many'));
    const docs = names.map((name) => editor((u) => p.enqueue(name, u)));
    for (let round = 0; round < 3; round++) {
      docs.forEach((d, i) => d.getArray('a').push([`${i}:${round}`]));
      await p.flush();
    }
    await eventually(async () => {
      for (const name of names) {
        expect(await snapshotOf(name)).toBeDefined();
        expect(await updateRows(name)).toEqual([]);
      }
    }, 5_000);
    const reader = persistence();
    for (const [i, name] of names.entries()) {
      expect((await reader.load(name)).getArray('a').toArray()).toEqual([`${i}:0`, `${i}:1`, `${i}:2`]);
    }
  });

  it('keeps updates whose write failed and writes them (in order, with newer ones) once the database accepts them', async () => {
    const errors: string[] = [];
    // "Saved through n" (what other nodes wait for before dropping their copies) must not move
    // while a write fails.
    const saved: number[] = [];
    const p = persistence({ flushDelayMs: 20, onError: (_err, context) => errors.push(context), onSaved: (n) => saved.push(n) });
    const name = freshName('retry');
    // A trigger makes every insert into yjs_updates fail until it is dropped.
    await db.execute(sql`create or replace function kizuki_test_reject() returns trigger language plpgsql as $$
      begin raise exception 'simulated write failure'; end $$`);
    await db.execute(sql`create trigger kizuki_test_reject before insert on yjs_updates for each statement execute function kizuki_test_reject()`);
    try {
      const doc = editor((u) => p.enqueue(name, u));
      doc.getText('t').insert(0, 'first');
      await p.flush();
      expect(errors).toContain('writing document updates');
      expect(await updateRows(name)).toEqual([]);
      doc.getText('t').insert(5, ' second');
      await p.flush();
      expect(await updateRows(name)).toEqual([]);
      // A document unloaded meanwhile and loaded again must not come back without them.
      expect((await p.load(name)).getText('t').toString()).toBe('first second');
      expect(p.enqueuedTotal).toBe(2);
      expect(p.savedThrough).toBe(0);
      expect(saved).toEqual([]);
    } finally {
      await db.execute(sql`drop trigger if exists kizuki_test_reject on yjs_updates`);
      await db.execute(sql`drop function if exists kizuki_test_reject()`);
    }
    // The retry timer writes them without anyone calling flush().
    await eventually(async () => expect((await updateRows(name)).length).toBeGreaterThan(0), 10_000);
    await eventually(() => expect(saved.at(-1)).toBe(2));
    expect(p.savedThrough).toBe(2);
    const loaded = await persistence().load(name);
    expect(loaded.getText('t').toString()).toBe('first second');
  });
  it('load() reads the tail before the snapshot, so a compaction committing between its two reads loses nothing', async () => {
    const writer = persistence({ compactAfterRows: 1000 });
    const name = freshName('load-race');
    const doc = editor((u) => writer.enqueue(name, u));
    doc.getText('t').insert(0, 'in the tail');
    await writer.flush();
    doc.getArray('a').push(['also in the tail']);
    await writer.flush();
    expect(await updateRows(name)).toHaveLength(2);
    expect(await snapshotOf(name)).toBeUndefined();

    // Another node compacts the document right after load()'s first statement returns, whichever
    // table that statement read: the worst interleaving READ COMMITTED allows.
    const compactor = persistence({ compactAfterRows: 1000 });
    let statements = 0;
    const reader = persistence();
    (reader as unknown as { db: Db }).db = afterEachStatement(db, async () => {
      if (++statements === 1) await compactor.compact(name);
    });
    const loaded = await reader.load(name);
    expect(statements).toBe(2);
    // The compaction did run in between: the rows are gone and the snapshot holds them.
    expect(await updateRows(name)).toEqual([]);
    expect(await snapshotOf(name)).toBeDefined();
    expect(loaded.getText('t').toString()).toBe('in the tail');
    expect(loaded.getArray('a').toArray()).toEqual(['also in the tail']);
  });

  it('settled() resolves once the compaction started by a flush has committed', async () => {
    const p = persistence({ compactAfterRows: 2 });
    const name = freshName('settled');
    const doc = editor((u) => p.enqueue(name, u));
    doc.getText('t').insert(0, 'one');
    await p.flush();
    doc.getText('t').insert(3, ' two');
    await p.flush(); // second row: starts a compaction
    await p.settled(name);
    expect(await updateRows(name)).toEqual([]);
    const snapshot = new Y.Doc();
    Y.applyUpdate(snapshot, (await snapshotOf(name))!.state);
    expect(snapshot.getText('t').toString()).toBe('one two');
  });

  it('flush() never rejects: an update that cannot be merged is reported and holds back only its own document', async () => {
    const errors: string[] = [];
    const p = persistence({ onError: (_err, context) => errors.push(context) });
    const broken = freshName('corrupt');
    const healthy = freshName('healthy');
    // Two garbage updates for one document: merging them throws.
    p.enqueue(broken, Uint8Array.of(5, 200, 1, 2, 3));
    p.enqueue(broken, Uint8Array.of(9, 9, 9));
    const doc = editor((u) => p.enqueue(healthy, u));
    doc.getText('t').insert(0, 'still saved');
    await expect(p.flush()).resolves.toBeUndefined();
    expect(errors).toContain(`merging updates of ${broken}`);
    expect(await updateRows(healthy)).toHaveLength(1);
    expect(await updateRows(broken)).toEqual([]);
    // The chain is not stuck: later writes still go through.
    doc.getText('t').insert(0, 'and this: ');
    await expect(p.flush()).resolves.toBeUndefined();
    expect((await persistence().load(healthy)).getText('t').toString()).toBe('and this: still saved');
    // close() reports what never reached the database instead of pretending all is well.
    expect(p.unsaved).toBe(2);
    open.splice(open.indexOf(p), 1);
    expect(await p.close()).toEqual({ unsaved: 2 });
  });

  it('after a failed multi-document insert, writes the documents one by one so one bad row blocks only its own', async () => {
    const errors: string[] = [];
    const p = persistence({ onError: (_err, context) => errors.push(context) });
    const poisoned = freshName('poison');
    const fine = [freshName('fine'), freshName('fine')];
    // A row trigger rejecting one document's rows makes the whole multi-row INSERT fail.
    await db.execute(sql.raw(`create or replace function kizuki_test_poison() returns trigger language plpgsql as $$
      begin if new.doc_name = '${poisoned}' then raise exception 'simulated bad row'; end if; return new; end $$`));
    await db.execute(sql`create trigger kizuki_test_poison before insert on yjs_updates for each row execute function kizuki_test_poison()`);
    try {
      const bad = editor((u) => p.enqueue(poisoned, u));
      const goods = fine.map((name) => editor((u) => p.enqueue(name, u)));
      bad.getText('t').insert(0, 'poison');
      goods.forEach((d, i) => d.getText('t').insert(0, `fine ${i}`));
      await p.flush();
      expect(errors).toContain('writing document updates');
      expect(errors).toContain(`writing updates of ${poisoned}`);
      for (const name of fine) expect(await updateRows(name)).toHaveLength(1);
      expect(await updateRows(poisoned)).toEqual([]);
      expect(p.unsaved).toBe(1);
      // Still loadable with the unsaved edit (kept in memory).
      expect((await p.load(poisoned)).getText('t').toString()).toBe('poison');
    } finally {
      await db.execute(sql`drop trigger if exists kizuki_test_poison on yjs_updates`);
      await db.execute(sql`drop function if exists kizuki_test_poison()`);
    }
    await p.flush();
    expect(await updateRows(poisoned)).toHaveLength(1);
    expect(p.unsaved).toBe(0);
    open.splice(open.indexOf(p), 1);
    expect(await p.close()).toEqual({ unsaved: 0 });
  });

  it('close() resolves with the number of updates its last write could not save', async () => {
    const p = persistence();
    open.splice(open.indexOf(p), 1);
    const name = freshName('close-fail');
    await db.execute(sql`create or replace function kizuki_test_reject() returns trigger language plpgsql as $$
      begin raise exception 'simulated write failure'; end $$`);
    await db.execute(sql`create trigger kizuki_test_reject before insert on yjs_updates for each statement execute function kizuki_test_reject()`);
    try {
      const doc = editor((u) => p.enqueue(name, u));
      doc.getText('t').insert(0, 'a');
      doc.getText('t').insert(1, 'b');
      doc.getText('t').insert(2, 'c');
      expect(await p.close()).toEqual({ unsaved: 3 });
    } finally {
      await db.execute(sql`drop trigger if exists kizuki_test_reject on yjs_updates`);
      await db.execute(sql`drop function if exists kizuki_test_reject()`);
    }
    expect(await updateRows(name)).toEqual([]);
  });

  // PostgreSQL only: it blocks the compaction with a row lock from a second connection, which the
  // single-connection embedded database cannot have (there the race cannot happen either).
  const onPostgres = usingPostgres ? it : () => {};
  onPostgres('DocRegistry: a document is not reloaded while the compaction started by its unload is still running', async () => {
    const p = persistence({ compactAfterRows: 1, flushDelayMs: 60_000 });
    const registry = new DocRegistry(p, { unloadAfterMs: 0 });
    const name = freshName('unload-compaction');
    const live = await registry.acquire(name);
    live.doc.getText('t').insert(0, 'folded at unload');

    // Hold the document's advisory lock: the compaction started by the unload's flush waits for it.
    let releaseLock!: () => void;
    const lockReleased = new Promise<void>((resolve) => (releaseLock = resolve));
    let lockTaken!: () => void;
    const locked = new Promise<void>((resolve) => (lockTaken = resolve));
    const lockTx = db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
      lockTaken();
      await lockReleased;
    });
    const order: string[] = [];
    try {
      await locked;
      registry.release(name); // unloads after 0 ms: flush, then compaction
      await eventually(async () => {
        const waiting = await db.execute(sql`select 1 from pg_locks where locktype = 'advisory' and not granted`);
        expect((waiting as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      });
      expect(await updateRows(name)).toHaveLength(1); // the flush itself went through
      expect(registry.peek(name)).toBeUndefined();
      const reacquired = registry.acquire(name).then((doc) => {
        order.push('acquired');
        return doc;
      });
      await new Promise((r) => setTimeout(r, 150));
      order.push('lock released');
      releaseLock();
      await lockTx;
      const doc = await reacquired;
      expect(order).toEqual(['lock released', 'acquired']);
      expect(doc.doc.getText('t').toString()).toBe('folded at unload');
      expect(await updateRows(name)).toEqual([]);
      expect(await snapshotOf(name)).toBeDefined();
      registry.release(name);
      expect(await registry.closeAll()).toEqual({ unsaved: 0 });
    } finally {
      releaseLock();
      await lockTx.catch(() => {});
      await registry.closeAll();
    }
  });
});

/**
 * The same database, with `hook` awaited after each statement issued through it completes (before
 * the caller sees the result): lets a test put another transaction between two statements.
 */
function afterEachStatement(target: Db, hook: () => Promise<void>): Db {
  const wrap = (obj: object): any =>
    new Proxy(obj, {
      get(inner, prop) {
        const value = Reflect.get(inner, prop, inner);
        if (typeof value !== 'function') return value;
        if (prop === 'then') {
          return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
            value.call(inner, async (result: unknown) => {
              await hook();
              return result;
            }).then(onFulfilled, onRejected);
        }
        return (...args: unknown[]) => {
          const out = value.apply(inner, args);
          return out !== null && typeof out === 'object' ? wrap(out) : out;
        };
      },
    });
  return wrap(target) as Db;
}
