// Who may change a presence id. Stock y-websocket clients send back every presence change they
// receive (others' too): those echoes claim nothing. Presence relayed from other nodes
// (server/cluster/) stays that node's and its user's: a client of the same user that moved here
// (its node died, or the load balancer sent its reconnect here) takes its id over; nobody else
// can; and a node that is gone takes its presence with it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { SyncedDoc, type DocConnection } from '../../../server/sync/synced-doc.ts';
import { MessageType, encodeAwareness } from '../../../server/sync/y-messages.ts';

class FakeConnection implements DocConnection {
  readonly readOnly = false;
  readonly presence: Uint8Array[] = [];
  constructor(readonly owner: { userId: string; displayName?: string; eventCompanyId?: string | null }) {}
  send(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === MessageType.Awareness) this.presence.push(decoding.readVarUint8Array(decoder));
  }
  notifyWriteDenied(): void {}
  reject(err: Error): void {
    throw err;
  }
}

/** A client's presence at clock `clock` (≥ 1), as a raw awareness update. */
function presenceUpdate(clientId: number, state: object, clock: number): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.clientID = clientId;
  for (let i = 0; i <= clock; i++) awareness.setLocalState({ ...state, i });
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId]);
  awareness.destroy();
  return update;
}
/** The same as the message a client sends over its socket. */
const presenceMessage = (clientId: number, state: object, clock: number) => {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(awareness, presenceUpdate(clientId, state, clock), null);
  return encodeAwareness(awareness, [clientId]);
};

function liveDoc() {
  const relayed: Array<{ owners: Array<{ clientId: number; userId?: string }> }> = [];
  const doc = new SyncedDoc('sheet:test', new Y.Doc(), {
    onUpdate: () => {},
    reload: async () => new Y.Doc(),
    onLocalAwareness: (_update, owners) => relayed.push({ owners }),
  });
  return { doc, relayed };
}

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));
const stateOf = (doc: SyncedDoc, id: number) => doc.awareness.getStates().get(id) as { name?: string; i?: number } | undefined;

/** A removal as a client that saw it would echo it: the id at its last clock, state null. */
function echoedRemoval(clientId: number, clock: number): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awarenessProtocol.applyAwarenessUpdate(awareness, presenceUpdate(clientId, {}, clock), null);
  awarenessProtocol.removeAwarenessStates(awareness, [clientId], null);
  return encodeAwareness(awareness, [clientId]);
}

describe('echoed presence', () => {
  it('an echo of someone\'s removal claims nothing: they are accepted when they come back', () => {
    const { doc } = liveDoc();
    const alice = new FakeConnection({ userId: 'alice' });
    const bob = new FakeConnection({ userId: 'bob' });
    doc.addConnection(alice);
    doc.addConnection(bob);
    doc.handleMessage(alice, presenceMessage(1, { name: 'Alice' }, 2));
    doc.removeConnection(alice);
    expect(doc.awareness.getStates().has(1)).toBe(false);
    // Bob's client saw the removal and sends it back.
    doc.handleMessage(bob, echoedRemoval(1, 2));
    // Alice reconnects (her page kept its awareness: the same id, the next clock).
    const aliceAgain = new FakeConnection({ userId: 'alice' });
    doc.addConnection(aliceAgain);
    doc.handleMessage(aliceAgain, presenceMessage(1, { name: 'Alice' }, 3));
    expect(stateOf(doc, 1)).toEqual({ name: 'Alice', i: 3 });
  });

  it('echoing many departures does not count against the echoing client\'s limit', () => {
    const { doc } = liveDoc();
    const bob = new FakeConnection({ userId: 'bob' });
    doc.addConnection(bob);
    doc.handleMessage(bob, presenceMessage(100, { name: 'Bob' }, 1));
    for (let id = 1; id <= 10; id++) {
      const someone = new FakeConnection({ userId: `user-${id}` });
      doc.addConnection(someone);
      doc.handleMessage(someone, presenceMessage(id, { name: `P${id}` }, 1));
      doc.removeConnection(someone);
      expect(() => doc.handleMessage(bob, echoedRemoval(id, 1))).not.toThrow();
    }
    // Bob still changes his own presence.
    doc.handleMessage(bob, presenceMessage(100, { name: 'Bob', busy: true }, 2));
    expect(stateOf(doc, 100)).toMatchObject({ busy: true });
  });
});

describe('presence from other nodes', () => {
  it('the same user, moved here with the same id, takes it over; another user cannot touch it', async () => {
    const { doc, relayed } = liveDoc();
    doc.applyRemoteAwareness(presenceUpdate(7, { name: '佐藤' }, 3), [{ clientId: 7, node: 'C', userId: 'sato' }]);
    expect(stateOf(doc, 7)).toEqual({ name: '佐藤', i: 3 });

    const mallory = new FakeConnection({ userId: 'mallory' });
    doc.addConnection(mallory);
    doc.handleMessage(mallory, presenceMessage(7, { name: 'なりすまし' }, 9));
    expect(stateOf(doc, 7)).toEqual({ name: '佐藤', i: 3 });

    const sato = new FakeConnection({ userId: 'sato' });
    doc.addConnection(sato);
    doc.handleMessage(sato, presenceMessage(7, { name: '佐藤', moved: true }, 4));
    expect(stateOf(doc, 7)).toMatchObject({ moved: true, i: 4 });
    // Relayed on, now as this node's, with its user.
    await turnEnds();
    expect(relayed.at(-1)?.owners).toEqual([{ clientId: 7, userId: 'sato' }]);
    // And the other node's late word about the id no longer counts here.
    doc.applyRemoteAwareness(presenceUpdate(7, { name: '古い' }, 8), [{ clientId: 7, node: 'C', userId: 'sato' }]);
    expect(stateOf(doc, 7)).toMatchObject({ moved: true });
  });

  it('an id relayed without a user stays the other node\'s for everyone', () => {
    const { doc } = liveDoc();
    doc.applyRemoteAwareness(presenceUpdate(8, { name: '匿名' }, 1), [{ clientId: 8, node: 'C' }]);
    const someone = new FakeConnection({ userId: 'someone' });
    doc.addConnection(someone);
    doc.handleMessage(someone, presenceMessage(8, { name: '誰か' }, 5));
    expect(stateOf(doc, 8)).toEqual({ name: '匿名', i: 1 });
  });

  it('a node that is gone takes its clients\' presence with it, and only theirs', async () => {
    const { doc } = liveDoc();
    const here = new FakeConnection({ userId: 'suzuki' });
    doc.addConnection(here);
    doc.handleMessage(here, presenceMessage(1, { name: '鈴木' }, 1));
    doc.applyRemoteAwareness(presenceUpdate(7, { name: '佐藤' }, 1), [{ clientId: 7, node: 'C', userId: 'sato' }]);
    doc.applyRemoteAwareness(presenceUpdate(9, { name: '田中' }, 1), [{ clientId: 9, node: 'A', userId: 'tanaka' }]);
    await turnEnds();
    const seenBefore = here.presence.length;

    doc.dropNode('C');
    expect([...doc.awareness.getStates().keys()].sort()).toEqual([1, 9]);
    // The connections here are told at once.
    expect(here.presence.length).toBe(seenBefore + 1);
    const view = new awarenessProtocol.Awareness(new Y.Doc());
    for (const u of here.presence) awarenessProtocol.applyAwarenessUpdate(view, u, null);
    expect(view.getStates().has(7)).toBe(false);
    expect(view.getStates().has(9)).toBe(true);
    // Sato reconnects here later with the same id: accepted.
    const sato = new FakeConnection({ userId: 'sato' });
    doc.addConnection(sato);
    doc.handleMessage(sato, presenceMessage(7, { name: '佐藤' }, 5));
    expect(stateOf(doc, 7)).toEqual({ name: '佐藤', i: 5 });
  });
});

describe('presence that names someone else', () => {
  const board = (id: string, name: string) => ({ user: { id, name, eventCompanyId: null, color: '#123456', element: 'customers' } });

  it('is dropped: a board presence must carry the connection’s own user id and name', () => {
    const { doc } = liveDoc();
    const bob = new FakeConnection({ userId: 'bob', displayName: 'Bob' });
    doc.addConnection(bob);
    doc.handleMessage(bob, presenceMessage(7, board('alice', 'Alice'), 1));
    doc.handleMessage(bob, presenceMessage(7, board('bob', 'Alice'), 2));
    expect(doc.awareness.getStates().has(7)).toBe(false);
    doc.handleMessage(bob, presenceMessage(7, board('bob', 'Bob'), 3));
    expect((doc.awareness.getStates().get(7) as { user: { name: string } }).user.name).toBe('Bob');
  });

  it('is dropped when it names another company than the user’s (the console counts a room’s people by company)', () => {
    const { doc } = liveDoc();
    const withCompany = (eventCompanyId: string | null) => ({ user: { ...board('bob', 'Bob').user, eventCompanyId } });
    const bob = new FakeConnection({ userId: 'bob', displayName: 'Bob', eventCompanyId: 'company-b' });
    doc.addConnection(bob);
    doc.handleMessage(bob, presenceMessage(7, withCompany('company-a'), 1));
    doc.handleMessage(bob, presenceMessage(7, withCompany(null), 2));
    expect(doc.awareness.getStates().has(7)).toBe(false);
    doc.handleMessage(bob, presenceMessage(7, withCompany('company-b'), 3));
    expect((doc.awareness.getStates().get(7) as { user: { eventCompanyId: string } }).user.eventCompanyId).toBe('company-b');
    // A facilitator speaks for no company: none, or null, is theirs.
    const fran = new FakeConnection({ userId: 'fran', displayName: 'Fran', eventCompanyId: null });
    doc.addConnection(fran);
    doc.handleMessage(fran, presenceMessage(8, { user: { ...board('fran', 'Fran').user, eventCompanyId: 'company-b' } }, 1));
    expect(doc.awareness.getStates().has(8)).toBe(false);
    doc.handleMessage(fran, presenceMessage(8, board('fran', 'Fran'), 2));
    expect(doc.awareness.getStates().has(8)).toBe(true);
  });

  it('is dropped when its colour is not #hex or its element is not one (boards put them into styles and look them up)', () => {
    const { doc } = liveDoc();
    const bob = new FakeConnection({ userId: 'bob', displayName: 'Bob' });
    doc.addConnection(bob);
    const shaped = (extra: object) => ({ user: { ...board('bob', 'Bob').user, ...extra } });
    doc.handleMessage(bob, presenceMessage(7, shaped({ color: 'red; position: fixed; inset: 0; z-index: 99999' }), 1));
    doc.handleMessage(bob, presenceMessage(7, shaped({ element: 'bogus' }), 2));
    doc.handleMessage(bob, presenceMessage(7, shaped({ color: 42 }), 3));
    expect(doc.awareness.getStates().has(7)).toBe(false);
    // Without an id too (a presence shown as no one's still reaches every board).
    doc.handleMessage(bob, presenceMessage(9, { user: { name: 'Bob', color: 'red; position: fixed; inset: 0' } }, 1));
    expect(doc.awareness.getStates().has(9)).toBe(false);
    doc.handleMessage(bob, presenceMessage(7, shaped({ color: '#1f6fb2', element: null }), 4));
    expect((doc.awareness.getStates().get(7) as { user: { color: string } }).user.color).toBe('#1f6fb2');
  });

  it('keeps a departed person’s id for them: nobody else takes it over, whatever its clock; they do', () => {
    const { doc } = liveDoc();
    const alice = new FakeConnection({ userId: 'alice' });
    const bob = new FakeConnection({ userId: 'bob' });
    doc.addConnection(alice);
    doc.addConnection(bob);
    doc.handleMessage(alice, presenceMessage(1, { name: 'Alice' }, 2));
    doc.removeConnection(alice);
    doc.handleMessage(bob, presenceMessage(1, { name: 'Alice' }, 40));
    expect(doc.awareness.getStates().has(1)).toBe(false);
    const aliceAgain = new FakeConnection({ userId: 'alice' });
    doc.addConnection(aliceAgain);
    doc.handleMessage(aliceAgain, presenceMessage(1, { name: 'Alice' }, 3));
    expect(stateOf(doc, 1)).toEqual({ name: 'Alice', i: 3 });
  });
});
