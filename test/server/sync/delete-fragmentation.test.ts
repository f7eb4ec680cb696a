// A delete set of many one-character ranges over text typed in one go splits it into as many items:
// 150,000 ranges (a 590 KB update) stalled the server 1.25 s and made a 0.9 MB document 3.7 MB
// encoded (250,000 ranges: 5.4 s and 6.2 MB, past the 4 MiB cap, which counted only the update's
// bytes). New deletions are limited per update, and each is paid for in the sender's write budget
// and in the document's size count; deletions the document has already (a sync step 2 echoing the
// client's whole delete set) cost nothing.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { countNewDeletions, InvalidUpdate, MAX_NEW_DELETIONS_PER_UPDATE, NEW_DELETION_COST_BYTES } from '../../../server/sync/update-check.ts';
import { SyncedDoc, type DocConnection } from '../../../server/sync/synced-doc.ts';
import { encodeSyncUpdate } from '../../../server/sync/y-messages.ts';

class Writer implements DocConnection {
  readonly readOnly = false;
  readonly rejected: Error[] = [];
  charged = 0;
  send(): void {}
  notifyWriteDenied(): void {}
  reject(err: Error): void {
    this.rejected.push(err);
  }
  charge(bytes: number): void {
    this.charged += bytes;
  }
}

function deliver(doc: SyncedDoc, conn: Writer, message: Uint8Array): void {
  try {
    doc.handleMessage(conn, message);
  } catch (err) {
    conn.reject(err as Error);
  }
}

/** A document whose text `t` is `length` characters typed in one go (one item), and that item's client. */
function typedInOneGo(length: number): { doc: SyncedDoc; client: number } {
  const source = new Y.Doc();
  source.getText('t').insert(0, 'a'.repeat(length));
  const doc = new SyncedDoc('sheet:test', new Y.Doc(), { onUpdate: () => {}, reload: async () => new Y.Doc() });
  const writer = new Writer();
  doc.addConnection(writer);
  deliver(doc, writer, encodeSyncUpdate(Y.encodeStateAsUpdate(source)));
  expect(writer.rejected).toEqual([]);
  return { doc, client: source.clientID };
}

/** An update deleting every other character of the first `2 * ranges` (one range each). */
function everyOtherCharacter(client: number, ranges: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // no structs
  encoding.writeVarUint(encoder, 1); // one client in the delete set
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, ranges);
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(encoder, 2 * i);
    encoding.writeVarUint(encoder, 1);
  }
  return encoding.toUint8Array(encoder);
}

describe('deletions that fragment a document', () => {
  it('more new delete ranges than allowed in one update: refused before anything is applied', () => {
    const { doc, client } = typedInOneGo(2 * (MAX_NEW_DELETIONS_PER_UPDATE + 1));
    const attacker = new Writer();
    doc.addConnection(attacker);
    const before = Y.encodeStateAsUpdate(doc.doc);
    const started = performance.now();
    deliver(doc, attacker, encodeSyncUpdate(everyOtherCharacter(client, MAX_NEW_DELETIONS_PER_UPDATE + 1)));
    expect(attacker.rejected).toHaveLength(1);
    expect(attacker.rejected[0]).toBeInstanceOf(InvalidUpdate);
    expect(attacker.rejected[0]!.message).toContain('separate ranges');
    expect(Buffer.from(Y.encodeStateAsUpdate(doc.doc)).equals(Buffer.from(before))).toBe(true);
    expect(doc.doc.getText('t').length).toBe(2 * (MAX_NEW_DELETIONS_PER_UPDATE + 1));
    // Refused without splitting anything (applying would take seconds at 150,000 ranges).
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('scattered deletions within the limit apply, and are charged to the sender', () => {
    const { doc, client } = typedInOneGo(1_000);
    const person = new Writer();
    doc.addConnection(person);
    deliver(doc, person, encodeSyncUpdate(everyOtherCharacter(client, 300)));
    expect(person.rejected).toEqual([]);
    expect(doc.doc.getText('t').length).toBe(700);
    expect(person.charged).toBe(300 * NEW_DELETION_COST_BYTES);
  });

  it('a delete set the document has already (a sync step 2 echo) counts nothing, however long', () => {
    const { doc, client } = typedInOneGo(2 * (MAX_NEW_DELETIONS_PER_UPDATE + 1));
    const update = everyOtherCharacter(client, MAX_NEW_DELETIONS_PER_UPDATE + 1);
    // Applied by the server itself (e.g. stored history): then echoed by a client.
    doc.applyServerUpdate(update);
    expect(countNewDeletions(doc.doc, Y.decodeUpdate(update).ds)).toBe(0);
    const echo = new Writer();
    doc.addConnection(echo);
    deliver(doc, echo, encodeSyncUpdate(Y.encodeStateAsUpdate(doc.doc)));
    expect(echo.rejected).toEqual([]);
    expect(echo.charged).toBe(0);
  });
});
