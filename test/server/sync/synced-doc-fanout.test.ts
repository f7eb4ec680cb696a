// How a live document sends its changes: the first update of a turn of the event loop at once,
// the rest of that turn merged into one frame per connection at the turn's end; a writer never
// gets its own update back. Connections are in-memory fakes of DocConnection.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { SyncedDoc, type DocConnection } from '../../../server/sync/synced-doc.ts';
import { MessageType, SyncStep, encodeAwareness, encodeSyncUpdate } from '../../../server/sync/y-messages.ts';

class FakeConnection implements DocConnection {
  readonly readOnly = false;
  /** Updates received (sync update messages only), in order. */
  readonly updates: Uint8Array[] = [];
  /** Awareness messages received, in order. */
  readonly presence: Uint8Array[] = [];
  send(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Awareness) this.presence.push(decoding.readVarUint8Array(decoder));
    if (type !== MessageType.Sync) return;
    if (decoding.readVarUint(decoder) !== SyncStep.Update) return;
    this.updates.push(decoding.readVarUint8Array(decoder));
  }
  notifyWriteDenied(): void {}
  reject(err: Error): void {
    throw err;
  }
}

function liveDoc() {
  const relayed: Uint8Array[] = [];
  const synced = new SyncedDoc('sheet:test', new Y.Doc(), { onUpdate: () => {}, reload: async () => new Y.Doc(), onLocalAwareness: (u) => relayed.push(u) });
  const [alice, bob, carol] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
  for (const conn of [alice, bob, carol]) synced.addConnection(conn);
  return { synced, alice, bob, carol, relayed };
}

/**
 * A client's presence at awareness clock `clock` (≥ 1: a client's first state, clock 0, is its
 * empty one and is never applied by a peer) as the message it would send; the state carries i = clock.
 */
function presence(clientId: number, state: object | null, clock: number): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.clientID = clientId;
  for (let i = 0; i <= clock; i++) awareness.setLocalState({ ...state, i });
  if (state === null) awareness.setLocalState(null);
  const message = encodeAwareness(awareness, [clientId]);
  awareness.destroy();
  return message;
}

/** What a listener knows of everyone's presence after applying the messages it received. */
function presenceOf(messages: Uint8Array[]) {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  for (const m of messages) awarenessProtocol.applyAwarenessUpdate(awareness, m, 'test');
  const states = Object.fromEntries([...awareness.getStates()].filter(([id]) => id !== awareness.clientID));
  awareness.destroy();
  return states;
}

/** A client's edit as the sync message it would send. */
function edit(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | undefined;
  doc.on('update', (u: Uint8Array) => (update = u));
  doc.getMap('m').set(key, value);
  return encodeSyncUpdate(update!);
}

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

function contentOf(updates: Uint8Array[]) {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

describe('SyncedDoc fan-out', () => {
  it('sends a lone update to everyone but its writer at once, not at the end of the turn', () => {
    const { synced, alice, bob, carol } = liveDoc();
    synced.handleMessage(alice, edit('a', 'こんにちは'));
    expect(bob.updates).toHaveLength(1);
    expect(carol.updates).toHaveLength(1);
    expect(alice.updates).toHaveLength(0);
    expect(contentOf(bob.updates)).toEqual({ a: 'こんにちは' });
  });

  it('merges the rest of a busy turn into one frame per connection, sent when the turn ends', async () => {
    const { synced, alice, bob, carol } = liveDoc();
    synced.handleMessage(alice, edit('a', '1'));
    synced.handleMessage(bob, edit('b', '2'));
    synced.handleMessage(alice, edit('c', '3'));
    synced.handleMessage(carol, edit('d', '4'));
    // Only the first went out so far.
    expect(carol.updates).toHaveLength(1);
    expect(bob.updates).toHaveLength(1);
    await turnEnds();
    // Then one merged frame each, holding everything except the receiver's own edits.
    expect(carol.updates).toHaveLength(2);
    expect(bob.updates).toHaveLength(2);
    expect(alice.updates).toHaveLength(1);
    expect(contentOf(carol.updates)).toEqual({ a: '1', b: '2', c: '3' });
    expect(contentOf(bob.updates)).toEqual({ a: '1', c: '3', d: '4' });
    expect(contentOf(alice.updates)).toEqual({ b: '2', d: '4' });
    // Everyone ends up with the document's content once their own edits are counted.
    expect(synced.doc.getMap('m').toJSON()).toEqual({ a: '1', b: '2', c: '3', d: '4' });
  });

  it('starts over in the next turn: its first update goes out at once again', async () => {
    const { synced, alice, bob } = liveDoc();
    synced.handleMessage(alice, edit('a', '1'));
    synced.handleMessage(alice, edit('b', '2'));
    await turnEnds();
    expect(bob.updates).toHaveLength(2);
    synced.handleMessage(alice, edit('c', '3'));
    expect(bob.updates).toHaveLength(3);
    expect(contentOf(bob.updates)).toEqual({ a: '1', b: '2', c: '3' });
  });
});

describe('SyncedDoc presence fan-out', () => {
  it('sends a lone presence change to everyone at once', () => {
    const { synced, alice, bob, carol, relayed } = liveDoc();
    synced.handleMessage(alice, presence(101, { name: 'Alice' }, 1));
    for (const conn of [alice, bob, carol]) expect(conn.presence).toHaveLength(1);
    expect(presenceOf(bob.presence)).toEqual({ 101: { name: 'Alice', i: 1 } });
    expect(relayed).toHaveLength(1);
  });

  it('merges the rest of a busy turn into one message per connection holding the latest states', async () => {
    const { synced, alice, bob, carol, relayed } = liveDoc();
    synced.handleMessage(alice, presence(101, { name: 'Alice' }, 1));
    // A burst read in the same turn: Bob moves his cursor many times, Carol appears.
    for (let clock = 1; clock <= 50; clock++) synced.handleMessage(bob, presence(202, { name: 'Bob' }, clock));
    synced.handleMessage(carol, presence(303, { name: 'Carol' }, 1));
    expect(alice.presence).toHaveLength(1);
    await turnEnds();
    for (const conn of [alice, bob, carol]) {
      expect(conn.presence).toHaveLength(2);
      expect(presenceOf(conn.presence)).toEqual({ 101: { name: 'Alice', i: 1 }, 202: { name: 'Bob', i: 50 }, 303: { name: 'Carol', i: 1 } });
    }
    // Other nodes get the same two messages, not 52.
    expect(relayed).toHaveLength(2);
    expect(presenceOf(relayed)).toEqual(presenceOf(alice.presence));
  });

  it('a presence that appears and leaves within one turn reaches everyone as gone', async () => {
    const { synced, alice, bob, carol } = liveDoc();
    synced.handleMessage(alice, presence(101, { name: 'Alice' }, 1));
    synced.handleMessage(bob, presence(202, { name: 'Bob' }, 1));
    synced.removeConnection(bob);
    await turnEnds();
    expect(presenceOf(carol.presence)).toEqual({ 101: { name: 'Alice', i: 1 } });
    expect(presenceOf(alice.presence)).toEqual({ 101: { name: 'Alice', i: 1 } });
    expect(synced.awareness.getStates().has(202)).toBe(false);
  });
});
