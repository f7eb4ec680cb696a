// One indicator for all live connections: online (and saved), reconnecting, or offline.
import type { WebsocketProvider } from 'y-websocket';
import type { ControlSocket } from '../api/control-socket.ts';

export type ConnectionStatus = 'online' | 'reconnecting' | 'offline';

export class ConnectionModel {
  private providers = $state.raw<WebsocketProvider[]>([]);
  private tick = $state(0);
  private socketConnected = $state(false);
  browserOnline = $state(navigator.onLine);

  private readonly bump = () => {
    this.tick++;
  };

  private readonly onOnline = () => (this.browserOnline = true);
  private readonly onOffline = () => (this.browserOnline = false);

  constructor(socket: ControlSocket) {
    socket.on('connect', () => (this.socketConnected = true));
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

  get status(): ConnectionStatus {
    void this.tick;
    if (!this.browserOnline) return 'offline';
    const allSynced = this.providers.every((p) => p.wsconnected && p.synced);
    return allSynced && this.socketConnected ? 'online' : 'reconnecting';
  }
}
