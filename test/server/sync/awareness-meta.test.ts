// y-protocols keeps a clock (awareness.meta) for every presence id it ever saw while the document
// stays loaded: 20,634 reconnects left 82,536 of them. SyncedDoc forgets the clocks of ids whose
// connection left, once their removal went out, and still keeps departed ids their owner's
// (departedPresence) and ignores echoed removals.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { SyncedDoc, type DocConnection } from '../../../server/sync/synced-doc.ts';
import { MessageType, encodeAwareness } from '../../../server/sync/y-messages.ts';

class FakeConnection implements DocConnection {
  readonly readOnly = false;
  readonly presence: Uint8Array[] = [];
  constructor(readonly owner: { userId: string }) {}
  send(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === MessageType.Awareness) this.presence.push(decoding.readVarUint8Array(decoder));
  }
  notifyWriteDenied(): void {}
  reject(err: Error): void {
    throw err;
  }
}

/** A client's presence message (id, state, clock ≥ 1). */
function presenceMessage(clientId: number, state: object | null, clock: number): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.clientID = clientId;
  for (let i = 0; i <= clock; i++) awareness.setLocalState({ ...state, i });
  if (state === null) awareness.setLocalState(null);
  const message = encodeAwareness(awareness, [clientId]);
  awareness.destroy();
  return message;
}

/** A removal as another client that saw it would echo it: the id at the removal's clock, state null. */
function echoedRemoval(clientId: number, clock: number): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(awareness, awarenessProtocol.encodeAwarenessUpdate(fakeState(clientId, clock), [clientId]), null);
  awarenessProtocol.removeAwarenessStates(awareness, [clientId], null);
  return encodeAwareness(awareness, [clientId]);
}
function fakeState(clientId: number, clock: number) {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.clientID = clientId;
  for (let i = 0; i <= clock; i++) awareness.setLocalState({ i });
  return awareness;
}

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));
const liveDoc = () => new SyncedDoc('sheet:test', new Y.Doc(), { onUpdate: () => {}, reload: async () => new Y.Doc() });

describe('awareness clocks of departed connections', () => {
  it('1,000 page loads (a new id each) leave no clocks behind', async () => {
    const doc = liveDoc();
    const stayer = new FakeConnection({ userId: 'stayer' });
    doc.addConnection(stayer);
    doc.handleMessage(stayer, presenceMessage(7, { name: 'Stayer' }, 1));
    for (let i = 0; i < 1_000; i++) {
      const conn = new FakeConnection({ userId: `u${i % 10}` });
      doc.addConnection(conn);
      doc.handleMessage(conn, presenceMessage(1_000 + i, { name: 'Reloader' }, 1));
      doc.removeConnection(conn);
      if (i % 100 === 99) await turnEnds();
    }
    await turnEnds();
    // The server's own id and the one still present.
    expect([...doc.awareness.meta.keys()].sort()).toEqual([doc.awareness.clientID, 7].sort());
    // Every removal still went out, with its clock (the stayer's client applies it, and keeps the clock).
    const seen = new awarenessProtocol.Awareness(new Y.Doc());
    for (const update of stayer.presence) awarenessProtocol.applyAwarenessUpdate(seen, update, null);
    expect([...seen.getStates().keys()].filter((id) => id !== seen.clientID)).toEqual([7]);
    expect(seen.meta.get(1_500)?.clock).toBe(1);
  });

  it('a connection that cleared its own presence before leaving leaves no clock either', async () => {
    const doc = liveDoc();
    const conn = new FakeConnection({ userId: 'alice' });
    doc.addConnection(conn);
    doc.handleMessage(conn, presenceMessage(1, { name: 'Alice' }, 1));
    doc.handleMessage(conn, presenceMessage(1, null, 1));
    expect(doc.awareness.meta.has(1)).toBe(true);
    doc.removeConnection(conn);
    await turnEnds();
    expect(doc.awareness.meta.has(1)).toBe(false);
  });

  it('with its clock forgotten, a departed id stays its owner\'s and an echoed removal claims nothing', async () => {
    const doc = liveDoc();
    const alice = new FakeConnection({ userId: 'alice' });
    const bob = new FakeConnection({ userId: 'bob' });
    const aliceTab = new FakeConnection({ userId: 'alice' });
    doc.addConnection(alice);
    doc.addConnection(bob);
    doc.addConnection(aliceTab);
    doc.handleMessage(alice, presenceMessage(1, { name: 'Alice' }, 2));
    doc.removeConnection(alice);
    await turnEnds();
    expect(doc.awareness.meta.has(1)).toBe(false);

    // Echoes of the removal (from Bob, and from Alice's other tab) claim nothing and send nothing.
    const before = bob.presence.length;
    doc.handleMessage(bob, echoedRemoval(1, 3));
    doc.handleMessage(aliceTab, echoedRemoval(1, 3));
    await turnEnds();
    expect(doc.awareness.meta.has(1)).toBe(false);
    expect(bob.presence.length).toBe(before);

    // Bob may not take Alice's departed id (any clock).
    doc.handleMessage(bob, presenceMessage(1, { name: 'Mallory' }, 50));
    expect(doc.awareness.getStates().has(1)).toBe(false);
    // Alice's reconnect is accepted at once, even at her old clock.
    const aliceAgain = new FakeConnection({ userId: 'alice' });
    doc.addConnection(aliceAgain);
    doc.handleMessage(aliceAgain, presenceMessage(1, { name: 'Alice' }, 2));
    expect((doc.awareness.getStates().get(1) as { name: string }).name).toBe('Alice');
    // Her other tab was not made an owner of the id by its echo: it may present its own ids.
    for (let id = 20; id < 24; id++) doc.handleMessage(aliceTab, presenceMessage(id, { name: 'Tab' }, 1));
    expect(doc.awareness.getStates().has(23)).toBe(true);
  });
});
