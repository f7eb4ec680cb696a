// Rights that change while people are connected take effect at once: open document connections
// are closed (AccessChanged) and reconnect with the new rights.
import { describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { io as connectSocketIo } from 'socket.io-client';
import { serverPerTest } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';

const live = serverPerTest();

/** Resolves when the server closes the provider's socket with `code`. */
function closedWith(provider: WebsocketProvider, code: number): Promise<void> {
  return new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      if (event?.code !== code) return;
      provider.off('connection-close', onClose);
      resolve();
    };
    provider.on('connection-close', onClose);
  });
}

/** Resolves at the provider's next successful sync (after a reconnect). */
function nextSync(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

const open = (docName: string, cookie: string | undefined) => live.open(docName, cookie);

async function cast() {
  const facilitator = await setupFacilitator(live.server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(live.server.origin, event.joinCode, 'Alice', '青空通販');
  const bob = await joinAs(live.server.origin, event.joinCode, 'Bob', 'みどり本舗');
  const detail = (await facilitator.get(`/api/events/${event.id}`)).body as { rooms: Array<{ id: string }> };
  return { facilitator, event, alice, bob, firstRoom: detail.rooms[0]!.id };
}

/** The server's copy of a document's text (the document stays loaded while anyone is connected). */
function serverText(docName: string, root: string): string | undefined {
  return live.server.app.docs.peek(docName)?.doc.getText(root).toString();
}

describe('rights that change during a session', () => {
  it('a room document belongs to the facilitators: participants read it, before and after a move', async () => {
    const { facilitator, event, alice, firstRoom } = await cast();
    const board = roomDocName(firstRoom);
    const a = open(board, alice.client.cookie);
    const f = open(board, facilitator.cookie);
    await Promise.all([whenSynced(a), whenSynced(f)]);
    f.doc.getText('t').insert(0, 'facilitator');
    await eventually(() => expect(a.doc.getText('t').toString()).toBe('facilitator'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    a.doc.getText('t').insert(0, 'participant: ');
    await eventually(() => expect(warn.mock.calls.flat().join(' ')).toContain('Permission denied'));
    warn.mockRestore();
    expect(serverText(board, 't')).toBe('facilitator');

    // Moving Alice's company closes none of her connections: no document's rights depend on seats.
    let closed = false;
    a.on('connection-close', () => (closed = true));
    const secondRoom = (await facilitator.post(`/api/events/${event.id}/rooms`, { name: 'ルーム 2' })).body.id as string;
    const moved = await facilitator.patch(`/api/events/${event.id}/companies/${alice.eventCompanyId}`, { roomId: secondRoom });
    expect(moved.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(closed).toBe(false);
    expect(serverText(board, 't')).toBe('facilitator');
  });

  it('closing the event makes every open worksheet connection read-only', async () => {
    const { facilitator, event, alice } = await cast();
    const sheet = sheetDocName(alice.eventCompanyId);
    const a = open(sheet, alice.client.cookie);
    await whenSynced(a);
    a.doc.getText('philosophy').insert(0, '理念');
    await eventually(() => expect(serverText(sheet, 'philosophy')).toBe('理念'));

    const kicked = closedWith(a, CloseCode.AccessChanged.code);
    expect((await facilitator.post(`/api/events/${event.id}/close`)).status).toBe(200);
    await kicked;
    await nextSync(a);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    a.doc.getText('philosophy').insert(2, '（終了後）');
    // The server answers the dropped write with a permission-denied message saying why; the text never lands.
    await eventually(() => expect(warn.mock.calls.flat().join(' ')).toContain('Permission denied'));
    expect(warn.mock.calls.flat().join(' ')).toContain('this event is closed');
    warn.mockRestore();
    expect(serverText(sheet, 'philosophy')).toBe('理念');
  });

  it('signing out disconnects the user from documents and the control plane', async () => {
    const { facilitator } = await cast();
    const event2 = await createEvent(facilitator, '二つ目');
    const carol = await joinAs(live.server.origin, event2.joinCode, 'Carol', 'Gamma');
    const sheet = sheetDocName(carol.eventCompanyId);
    const provider = open(sheet, carol.client.cookie);
    await whenSynced(provider);
    const socket = connectSocketIo(live.server.origin, { transports: ['websocket'], extraHeaders: { cookie: carol.client.cookie!, origin: live.server.origin } });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let disconnected = false;
    socket.once('disconnect', () => (disconnected = true));
    const signedOut = closedWith(provider, CloseCode.SignedOut.code);

    expect((await carol.client.post('/api/auth/logout')).status).toBe(204);
    await signedOut;
    await eventually(() => expect(disconnected).toBe(true));
    // The provider was told to stop: it does not come back.
    expect(provider.shouldConnect).toBe(false);
    await eventually(() => expect(live.server.app.docs.peek(sheet)?.connectionCount ?? 0).toBe(0));
    socket.close();
  });
});
