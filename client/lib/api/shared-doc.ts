// Opens one Yjs document: live over y-websocket, and kept in IndexedDB so edits made offline
// survive a reload and are sent on reconnect.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';

export interface SharedDoc {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function openSharedDoc(name: string, userId: string): SharedDoc {
  const doc = new Y.Doc();
  // Keyed by user too: two people sharing a browser profile must not mix unsent edits.
  const local = new IndexeddbPersistence(`kizuki:${userId}:${name}`, doc);
  const wsOrigin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const provider = new WebsocketProvider(`${wsOrigin}/yjs`, name, doc, { maxBackoffTime: 5000 });
  return {
    name,
    doc,
    provider,
    destroy() {
      provider.destroy();
      void local.destroy();
      doc.destroy();
    },
  };
}
