// What this browser keeps of a person: the IndexedDB copies of Yjs documents (y-indexeddb, see
// shared-doc.ts), one database per person and document, so an edit made offline survives a reload,
// and the outbox of score changes not yet sent (localStorage, one key per event and person, see
// outbox.svelte.ts). They hold what the person could read (worksheets, 気付き) and did (scores): on
// sign-out they go, so whoever uses this browser next cannot open them in the developer tools.

/** The database name of `userId`'s copy of document `docName` (`…:read` for a read-only one). */
export function localCopyName(userId: string, docName: string): string {
  return `${localCopyPrefix(userId)}${docName}`;
}

function localCopyPrefix(userId: string): string {
  return `kizuki:${userId}:`;
}

const OUTBOX_PREFIX = 'kizuki:outbox:';

/** The localStorage key of `userId`'s outbox of unsent changes in event `eventId`. */
export function outboxKey(eventId: string, userId: string): string {
  return `${OUTBOX_PREFIX}${eventId}:${userId}`;
}

/** Whether `key` is an outbox of `userId` (in any event): `kizuki:outbox:<eventId>:<userId>`. */
export function isOutboxOf(key: string, userId: string): boolean {
  if (!key.startsWith(OUTBOX_PREFIX)) return false;
  const parts = key.slice(OUTBOX_PREFIX.length).split(':');
  return parts.length === 2 && parts[0] !== '' && parts[1] === userId;
}

type KeyedStorage = Pick<Storage, 'length' | 'key' | 'removeItem'>;

/**
 * Removes `userId`'s outboxes in every event (only theirs: another person's changes may still wait
 * to be sent from this browser). Never throws (no localStorage in a private window, or disabled).
 */
export function deleteOutboxes(userId: string, storage: KeyedStorage | null = localStorageOrNull()): void {
  if (!storage) return;
  try {
    // Keys first, then removal: removing while walking the keys by index would skip some.
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null && isOutboxOf(key, userId)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // Nothing to remove where there is no storage.
  }
}

/** This browser's localStorage, or null where there is none (a private window, or disabled). */
export function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * Deletes every copy of `userId` (only theirs: another person's may hold edits not sent yet), and
 * their outboxes of unsent changes (deleteOutboxes).
 * Documents still open keep the deletion waiting until they close (a page leaving the board closes
 * them), so this resolves once it is asked for, not when it is done. Never throws: signing out
 * must not fail because the browser has no IndexedDB (a private window) or no databases().
 */
export async function deleteLocalCopies(userId: string): Promise<void> {
  deleteOutboxes(userId);
  try {
    if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
    const prefix = localCopyPrefix(userId);
    for (const { name } of await indexedDB.databases()) {
      if (name?.startsWith(prefix)) indexedDB.deleteDatabase(name);
    }
  } catch {
    // Nothing to delete where there is no IndexedDB.
  }
}
