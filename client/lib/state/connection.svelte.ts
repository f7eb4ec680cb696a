// One indicator for all live connections: online (and saved), reconnecting, or offline.
import type { WebsocketProvider } from 'y-websocket';
import type { ControlSocket } from '../api/control-socket.ts';

export type ConnectionStatus = 'online' | 'reconnecting' | 'offline';

export class ConnectionModel {
  private providers = $state<WebsocketProvider[]>([]);
  private tick = $state(0);
  private socketConnected = $state(false);
  browserOnline = $state(navigator.onLine);

  private readonly bump = () => {
    this.tick++;
  };

  constructor(socket: ControlSocket) {
    socket.on('connect', () => (this.socketConnected = true));
    socket.on('disconnect', () => (this.socketConnected = false));
    addEventListener('online', () => (this.browserOnline = true));
    addEventListener('offline', () => (this.browserOnline = false));
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
