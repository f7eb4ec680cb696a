// YPersistence against a real database: batching, compaction (snapshot + tail) and retry after a
// failed write. Each test uses its own document names on one shared database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asc, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { eventually } from '../../helpers/yjs-client.ts';
import { YPersistence } from '../../../server/sync/persistence.ts';
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
    const p = persistence({ flushDelayMs: 20, onError: (_err, context) => errors.push(context) });
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
    } finally {
      await db.execute(sql`drop trigger if exists kizuki_test_reject on yjs_updates`);
      await db.execute(sql`drop function if exists kizuki_test_reject()`);
    }
    // The retry timer writes them without anyone calling flush().
    await eventually(async () => expect((await updateRows(name)).length).toBeGreaterThan(0), 10_000);
    const loaded = await persistence().load(name);
    expect(loaded.getText('t').toString()).toBe('first second');
  });
});
