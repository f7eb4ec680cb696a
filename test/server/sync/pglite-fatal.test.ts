// The embedded database's thread dying on its own is reported (onFatal, once, with a clear error)
// and fails every later query with that error; a normal close() is not reported.
import { readFile } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { describe, expect, inject, it } from 'vitest';
import { PGliteThread } from '../../../server/db/pglite-thread.ts';

async function template(): Promise<Blob> {
  return new Blob([await readFile(inject('pgliteTemplate'))]);
}

describe('PGliteThread', () => {
  it('reports the thread dying unexpectedly through onFatal and fails every later query with a clear error', async () => {
    const fatal: Error[] = [];
    const thread = await PGliteThread.open({ loadDataDir: await template(), onFatal: (err) => fatal.push(err) });
    const viaListener: Error[] = [];
    thread.onFatal((err) => viaListener.push(err));
    expect((await thread.query('select 1 as one')).rows).toEqual([{ one: 1 }]);

    // Something outside our control ends the thread (a crash, an abort): simulated by stopping it.
    await (thread as unknown as { worker: Worker }).worker.terminate();

    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.message).toMatch(/^the embedded database stopped: /);
    expect(viaListener).toEqual(fatal);
    await expect(thread.query('select 1')).rejects.toThrow(/the embedded database stopped/);
    await expect(thread.transaction(async () => 1)).rejects.toThrow(/the embedded database stopped/);
    // Closing afterwards is harmless and reports nothing more.
    await expect(thread.close()).resolves.toBeUndefined();
    expect(fatal).toHaveLength(1);
  });

  it('does not report a normal close()', async () => {
    const fatal: Error[] = [];
    const thread = await PGliteThread.open({ loadDataDir: await template(), onFatal: (err) => fatal.push(err) });
    expect((await thread.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    await thread.close();
    await expect(thread.query('select 1')).rejects.toThrow('database is closed');
    expect(fatal).toEqual([]);
  });
});
