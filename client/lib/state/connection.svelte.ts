// One indicator for all live connections: online (and saved), reconnecting, or offline, and how
// many control-plane changes (scores…) wait in the outbox, not yet acknowledged by the server.
import type { WebsocketProvider } from 'y-websocket';
import type { ControlSocket } from '../api/control-socket.ts';
import type { ControlOutbox } from './outbox.svelte.ts';

export type ConnectionStatus = 'online' | 'reconnecting' | 'offline';

export class ConnectionModel {
  private providers = $state.raw<WebsocketProvider[]>([]);
  private tick = $state(0);
  private socketConnected = $state(false);
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
    provider.on('status', this.bump);
    provider.on('sync', this.bump);
    this.providers = [...this.providers, provider];
  }

  untrack(provider: WebsocketProvider): void {
    provider.off('status', this.bump);
    provider.off('sync', this.bump);
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
    if (!this.browserOnline) return 'offline';
    const allSynced = this.providers.every((p) => p.wsconnected && p.synced);
    return allSynced && this.socketConnected ? 'online' : 'reconnecting';
  }

  /** Control-plane changes made here that the server has not acknowledged yet. */
  get pending(): number {
    return this.outbox?.count ?? 0;
  }
}
