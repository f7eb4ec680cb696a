// Opens one Yjs document: live over y-websocket, and kept in IndexedDB so edits made offline
// survive a reload and are sent on reconnect.
import * as Y from 'yjs';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { readAuthMessage } from 'y-protocols/auth';
import { CloseCode } from '../../../shared/protocol/close-codes.ts';

/** 'changed': the server closed the socket because our rights changed; 'refused': it dropped a write. */
export type AccessEvent = 'changed' | 'refused';

export interface SharedDoc {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Called when the server changes or enforces what we may do with this document. */
  onAccess?: (event: AccessEvent) => void;
  destroy(): void;
}

/**
 * `watchOnly`: for a view that never writes (the facilitator console): no IndexedDB copy (nothing
 * unsent to keep) and no presence of our own in the document's awareness.
 */
export function openSharedDoc(name: string, userId: string, { watchOnly = false }: { watchOnly?: boolean } = {}): SharedDoc {
  const doc = new Y.Doc();
  // Keyed by user too: two people sharing a browser profile must not mix unsent edits.
  const local = watchOnly ? null : new IndexeddbPersistence(`kizuki:${userId}:${name}`, doc);
  const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  // Back-off capped at 2.5 s (like the control socket): live again within seconds of a server restart.
  const provider = new WebsocketProvider(`${wsOrigin}/yjs`, name, doc, { maxBackoffTime: 2500 });
  if (watchOnly) provider.awareness.setLocalState(null);
  const shared: SharedDoc = {
    name,
    doc,
    provider,
    destroy() {
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
  // The provider reconnects by itself (with the new rights); the board must reload to show them.
  provider.on('connection-close', (event) => {
    if (event?.code === CloseCode.AccessChanged.code) shared.onAccess?.('changed');
  });
  // The stock handler only logs 'Permission denied' to the console, so the user would think a
  // refused edit was saved.
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    readAuthMessage(decoder, doc, () => shared.onAccess?.('refused'));
  };
  return shared;
}
