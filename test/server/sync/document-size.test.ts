// A document may not grow past MAX_DOC_BYTES: a client's update that would take it there is not
// applied (nor stored or sent on), the client is told, and the document keeps working for edits
// that fit, deletions included.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FULL_DOC_MEASURE_INTERVAL_MS, MAX_DOC_BYTES, SyncedDoc, type DocConnection, type WriteDenied } from '../../../server/sync/synced-doc.ts';
import { encodeSyncUpdate } from '../../../server/sync/y-messages.ts';

class Writer implements DocConnection {
  readonly readOnly = false;
  readonly denied: Array<WriteDenied | undefined> = [];
  send(): void {}
  notifyWriteDenied(why?: WriteDenied): void {
    this.denied.push(why);
  }
  reject(err: Error): void {
    throw err;
  }
}

/** A client's edit: `text` appended to the memo of its own copy, as an update message. */
function edit(client: Y.Doc, change: (text: Y.Text) => void): Uint8Array {
  const before = Y.encodeStateVector(client);
  change(client.getText('memo'));
  return encodeSyncUpdate(Y.encodeStateAsUpdate(client, before));
}

describe('a document at its size limit', () => {
  it('refuses the update that would pass the limit, keeps taking small edits and deletions', async () => {
    const stored: Uint8Array[] = [];
    const doc = new SyncedDoc('sheet:big', new Y.Doc(), { onUpdate: (u) => stored.push(u), reload: async () => new Y.Doc() });
    const writer = new Writer();
    doc.addConnection(writer);
    const client = new Y.Doc();
    const third = 'あ'.repeat(Math.floor(MAX_DOC_BYTES / 3 / 3)); // 3 bytes a character: ~1/3 of the limit
    for (let i = 0; i < 2; i++) doc.handleMessage(writer, edit(client, (t) => t.insert(t.length, third)));
    expect(writer.denied).toEqual([]);
    const storedBefore = stored.length;
    // The fourth third cannot fit.
    const tooMuch = edit(client, (t) => t.insert(t.length, third + third));
    doc.handleMessage(writer, tooMuch);
    expect(writer.denied).toEqual(['document-full']);
    expect(stored.length).toBe(storedBefore);
    expect(doc.doc.getText('memo').length).toBe(third.length * 2);
    // Small edits still fit; a deletion makes room again (seen at the next measurement: a full
    // document is measured at most once a second).
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc.doc));
    doc.handleMessage(writer, edit(fresh, (t) => t.delete(0, third.length)));
    await new Promise((r) => setTimeout(r, FULL_DOC_MEASURE_INTERVAL_MS + 50));
    doc.handleMessage(writer, edit(fresh, (t) => t.insert(t.length, third)));
    expect(writer.denied).toEqual(['document-full']);
    expect(doc.doc.getText('memo').length).toBe(third.length * 2);
  });
});
