// Who is signed in (facilitator account or participant), loaded once and refreshed on demand.
import { api, ApiError } from '../api/http.ts';
import type { User } from '../../../shared/schemas/api.ts';
import { deleteLocalCopies } from '../api/local-copies.ts';

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

  /** Signs out, and deletes this person's local copies of the documents (for the next person here). */
  async signOut(): Promise<void> {
    const userId = this.user?.id;
    await api.logout();
    this.user = null;
    if (userId) await deleteLocalCopies(userId);
  }

  /** Ends every session of this user (all devices and browsers), this one included. */
  async signOutEverywhere(): Promise<void> {
    try {
      await api.logoutEverywhere();
    } catch (err) {
      // 401: this session had already ended; anything else is worth telling the user.
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
    const userId = this.user?.id;
    this.user = null;
    if (userId) await deleteLocalCopies(userId);
  }
}

export const session = new Session();
