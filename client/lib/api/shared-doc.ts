// Opens one Yjs document: live over y-websocket, and kept in IndexedDB so edits made offline
// survive a reload and are sent on reconnect (a document the viewer may only read: see readOnly).
import * as Y from 'yjs';
import { WebsocketProvider, messageAuth, messageAwareness } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { readAuthMessage } from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';
import { localCopyName } from './local-copies.ts';

/**
 * 'changed': the server closed the socket because our rights changed; 'refused': it dropped a
 * write we may not make; 'full': it dropped a write because the document reached its size limit;
 * 'diverged': a document opened read-only was changed here anyway (the server keeps none of it):
 * close it and open it again, which shows the server's content.
 */
export type AccessEvent = 'changed' | 'refused' | 'full' | 'diverged';
/** How the server's permission-denied reason starts when the document is full (server/sync/y-connection.ts). */
const DOCUMENT_FULL_PREFIX = 'document-full';

export interface SharedDoc {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Opened for a viewer who may not write it (see openSharedDoc). */
  readOnly: boolean;
  /** Called when the server changes or enforces what we may do with this document. */
  onAccess?: (event: AccessEvent) => void;
  destroy(): void;
}

/**
 * `watchOnly`: for a view that never writes (the facilitator console): no IndexedDB copy (nothing
 * unsent to keep) and no presence of our own in the document's awareness.
 *
 * `readOnly`: the viewer may not write this document (the event is closed; another company's
 * worksheet; the facilitators' room document; the plenary, which only reads). The server drops
 * every write to it, additions with a refusal and deletions silently, so a change made here
 * anyway (an undo after the event closed) would live on in this browser only, and its IndexedDB
 * copy would bring it back on every reload: the board would never match the server again. So a
 * read-only document
 * - keeps a copy of its own (`…:read`, still shown offline) into which only what the server sent
 *   is written, never a change made here; the writable copy, which may hold edits the server
 *   will now refuse for good, is not loaded;
 * - takes nothing from other tabs (BroadcastChannel), which may hold such edits;
 * - reports a change made here as 'diverged', for the page to reopen it from the server.
 * A page reopens a document whose rights changed (BoardState), so closing an event drops what
 * the server would not take.
 */
export function openSharedDoc(name: string, userId: string, { watchOnly = false, readOnly = false }: { watchOnly?: boolean; readOnly?: boolean } = {}): SharedDoc {
  const doc = new Y.Doc();
  const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  // Back-off capped at 2.5 s (like the control socket): live again within seconds of a server restart.
  const provider = new WebsocketProvider(`${wsOrigin}/yjs`, name, doc, { maxBackoffTime: 2500, disableBc: readOnly });
  // Keyed by user too: two people sharing a browser profile must not mix unsent edits (and signing
  // out deletes one person's copies: local-copies.ts).
  const copyName = localCopyName(userId, name);
  const local = watchOnly ? null : new IndexeddbPersistence(readOnly ? `${copyName}:read` : copyName, doc);
  if (local && readOnly) storeOnlyFrom(local, provider);
  if (watchOnly) provider.awareness.setLocalState(null);
  sendOnlyOwnPresence(provider);
  const shared: SharedDoc = {
    name,
    doc,
    provider,
    readOnly,
    destroy() {
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
  if (readOnly) {
    let reported = false;
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || origin === local || reported) return;
      reported = true;
      shared.onAccess?.('diverged');
    });
  }
  // The provider reconnects by itself (with the new rights); the board must reload to show them.
  provider.on('connection-close', (event) => {
    if (event?.code === CloseCode.AccessChanged.code) shared.onAccess?.('changed');
  });
  // The stock handler only logs 'Permission denied' to the console, so the user would think a
  // refused edit was saved.
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, doc, (_doc, reason) => shared.onAccess?.(reason.startsWith(DOCUMENT_FULL_PREFIX) ? 'full' : 'refused'));
  };
  return shared;
}

/**
 * Stores only the updates `provider` brought (the server's) in `local`, not changes made here.
 * y-indexeddb's update handler is its public field `_storeUpdate`, registered on the document.
 */
function storeOnlyFrom(local: IndexeddbPersistence, provider: WebsocketProvider): void {
  const stock = local._storeUpdate;
  local.doc.off('update', stock);
  const fromServer = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) stock(update, origin);
  };
  // Under the stock handler's name, so local.destroy() unregisters this one.
  local._storeUpdate = fromServer;
  local.doc.on('update', fromServer);
}

/**
 * The stock provider sends the server every presence change its awareness sees, everyone else's
 * included: in a plenary of 40, each cursor move came back to the server 39 times (the server
 * drops such echoes, but reads each one). Send only this client's own presence.
 */
function sendOnlyOwnPresence(provider: WebsocketProvider): void {
  type Changes = { added: number[]; updated: number[]; removed: number[] };
  const stock = provider as unknown as { _awarenessUpdateHandler: (changes: Changes, origin: unknown) => void };
  provider.awareness.off('update', stock._awarenessUpdateHandler);
  const own = ({ added, updated, removed }: Changes) => {
    const me = provider.doc.clientID;
    if (!added.includes(me) && !updated.includes(me) && !removed.includes(me)) return;
    const ws = provider.ws;
    if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(provider.awareness, [me]));
    ws.send(encoding.toUint8Array(encoder));
  };
  // Under the stock handler's name, so provider.destroy() unregisters this one.
  stock._awarenessUpdateHandler = own;
  provider.awareness.on('update', own);
}

/**
 * A writable document reopened read-only (the event closed, rights changed) while it held edits
 * the server had not taken yet (made offline): the reopen may come before the server's refusal of
 * them, and then nothing would say they are gone. Once the reopened copy has synced, calls
 * `dropped` if the old copy (`before`, its state vector) had anything the server's copy lacks.
 */
export function reportDroppedEdits(before: Uint8Array, reopened: SharedDoc, dropped: () => void): void {
  const had = Y.decodeStateVector(before);
  const check = (synced: boolean) => {
    if (!synced) return;
    reopened.provider.off('sync', check);
    const now = Y.decodeStateVector(Y.encodeStateVector(reopened.doc));
    for (const [client, clock] of had) {
      if ((now.get(client) ?? 0) < clock) return dropped();
    }
  };
  reopened.provider.on('sync', check);
}
