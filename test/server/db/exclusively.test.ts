// Database.exclusively: one caller at a time per key (a PostgreSQL advisory lock shared by every
// node on the database; within the process for PGlite), other keys unaffected, and a failing
// caller lets the next one in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { openDatabase, type Database } from '../../../server/db/client.ts';

let testDb: TestDatabase;
/** With PostgreSQL, a second node's connection pool on the same database; with PGlite the same process. */
let otherNode: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  otherNode = testDb.url ? await openDatabase({ url: testDb.url }) : testDb.database;
});

afterAll(async () => {
  if (otherNode !== testDb.database) await otherNode.close();
  await testDb.drop();
});

const tick = () => new Promise((r) => setTimeout(r, 150));

it('runs one caller at a time per key, across nodes; another key does not wait', async () => {
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = testDb.database.exclusively(9_001, async () => {
    order.push('first in');
    await gate;
    order.push('first out');
    return 1;
  });
  await tick();
  const second = otherNode.exclusively(9_001, async () => {
    order.push('second');
    return 2;
  });
  expect(await otherNode.exclusively(9_002, async () => 'other key')).toBe('other key');
  await tick();
  expect(order).toEqual(['first in']);
  release();
  expect(await Promise.all([first, second])).toEqual([1, 2]);
  expect(order).toEqual(['first in', 'first out', 'second']);
});

it('a caller that throws releases the lock and its error reaches the caller', async () => {
  await expect(testDb.database.exclusively(9_003, async () => Promise.reject(new Error('migration failed')))).rejects.toThrow('migration failed');
  expect(await otherNode.exclusively(9_003, async () => 'next')).toBe('next');
});
