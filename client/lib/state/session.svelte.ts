// Who is signed in (facilitator account or participant), loaded once and refreshed on demand.
import { api, ApiError } from '../api/http.ts';
import type { User } from '../../../shared/schemas/api.ts';

class Session {
  user = $state<User | null>(null);
  loaded = $state(false);

  async refresh(): Promise<User | null> {
    try {
      this.user = (await api.session()).user;
    } finally {
      this.loaded = true;
    }
    return this.user;
  }

  async signOut(): Promise<void> {
    await api.logout();
    this.user = null;
  }

  /** Ends every session of this user (all devices and browsers), this one included. */
  async signOutEverywhere(): Promise<void> {
    try {
      await api.logoutEverywhere();
    } catch (err) {
      // 401: this session had already ended; anything else is worth telling the user.
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
    this.user = null;
  }
}

export const session = new Session();
