// Which word the connection indicator shows, from what each live connection is doing. Pure, so
// the rules are tested without sockets (connection.svelte.ts gathers the inputs).

export type ConnectionStatus = 'online' | 'connecting' | 'reconnecting' | 'offline';

export interface ConnectionFacts {
  browserOnline: boolean;
  socket: { connected: boolean; everConnected: boolean };
  /** Each document: live (connected and synced) now, and whether it ever was. */
  documents: ReadonlyArray<{ live: boolean; everSynced: boolean }>;
}

/**
 * 'reconnecting' only for a connection that was live and is lost; one that was never live yet (a
 * board opening, or the plenary opening every company's sheet) is 'connecting'. Offline wins.
 */
export function connectionStatus({ browserOnline, socket, documents }: ConnectionFacts): ConnectionStatus {
  if (!browserOnline) return 'offline';
  let lost = !socket.connected && socket.everConnected;
  let first = !socket.connected && !socket.everConnected;
  for (const doc of documents) {
    if (doc.live) continue;
    if (doc.everSynced) lost = true;
    else first = true;
  }
  return lost ? 'reconnecting' : first ? 'connecting' : 'online';
}
