// One indicator for all live connections: online (and saved), connecting (a document or the
// control socket not live yet for the first time, e.g. the plenary opening every company's sheet),
// reconnecting (one that was live lost its connection), or offline, and how many control-plane
// changes (scores…) wait in the outbox, not yet acknowledged by the server.
import type { WebsocketProvider } from 'y-websocket';
import type { ControlSocket } from '../api/control-socket.ts';
import type { ControlOutbox } from './outbox.svelte.ts';
import { connectionStatus, type ConnectionStatus } from './connection-status.ts';

export type { ConnectionStatus };

export class ConnectionModel {
  private providers = $state.raw<WebsocketProvider[]>([]);
  private tick = $state(0);
  private socketConnected = $state(false);
  private socketEverConnected = false;
  /** Providers that were synced once: not synced any more, they are reconnecting, not connecting. */
  private readonly everSynced = new WeakSet<WebsocketProvider>();
  private readonly onSync = new Map<WebsocketProvider, (synced: boolean) => void>();
  browserOnline = $state(navigator.onLine);

  private readonly bump = () => {
    this.tick++;
  };

  private readonly onOnline = () => {
    this.browserOnline = true;
    this.wakeProviders();
  };
  private readonly onOffline = () => (this.browserOnline = false);

  constructor(
    socket: ControlSocket,
    private readonly outbox?: ControlOutbox,
  ) {
    socket.on('connect', () => {
      this.socketConnected = true;
      this.socketEverConnected = true;
      this.wakeProviders();
    });
    socket.on('disconnect', () => (this.socketConnected = false));
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
  }

  destroy(): void {
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    for (const provider of this.providers) this.untrack(provider);
  }

  track(provider: WebsocketProvider): void {
    if (provider.synced) this.everSynced.add(provider);
    const onSync = (synced: boolean) => {
      if (synced) this.everSynced.add(provider);
      this.bump();
    };
    this.onSync.set(provider, onSync);
    provider.on('status', this.bump);
    provider.on('sync', onSync);
    this.providers = [...this.providers, provider];
  }

  untrack(provider: WebsocketProvider): void {
    provider.off('status', this.bump);
    const onSync = this.onSync.get(provider);
    if (onSync) provider.off('sync', onSync);
    this.onSync.delete(provider);
    this.providers = this.providers.filter((p) => p !== provider);
  }

  /**
   * The server answers again (the control socket is back, or the browser is online): documents
   * waiting out their reconnection back-off (up to 2.5 s) try at once.
   */
  private wakeProviders(): void {
    for (const provider of this.providers) {
      if (provider.shouldConnect && !provider.wsconnected && !provider.wsconnecting) provider.connect();
    }
  }

  get status(): ConnectionStatus {
    void this.tick;
    return connectionStatus({
      browserOnline: this.browserOnline,
      socket: { connected: this.socketConnected, everConnected: this.socketEverConnected },
      documents: this.providers.map((p) => ({ live: p.wsconnected && p.synced, everSynced: this.everSynced.has(p) })),
    });
  }

  /** Control-plane changes made here that the server has not acknowledged yet. */
  get pending(): number {
    return this.outbox?.count ?? 0;
  }
}
