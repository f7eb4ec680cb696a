// The IndexedDB copies of Yjs documents this browser keeps (y-indexeddb, see shared-doc.ts), one
// database per person and document, so an edit made offline survives a reload. They hold what the
// person could read (worksheets, 気付き): on sign-out they go, so whoever uses this browser next
// cannot open them in the developer tools.

/** The database name of `userId`'s copy of document `docName` (`…:read` for a read-only one). */
export function localCopyName(userId: string, docName: string): string {
  return `${localCopyPrefix(userId)}${docName}`;
}

function localCopyPrefix(userId: string): string {
  return `kizuki:${userId}:`;
}

/**
 * Deletes every copy of `userId` (only theirs: another person's may hold edits not sent yet).
 * Documents still open keep the deletion waiting until they close (a page leaving the board closes
 * them), so this resolves once it is asked for, not when it is done. Never throws: signing out
 * must not fail because the browser has no IndexedDB (a private window) or no databases().
 */
export async function deleteLocalCopies(userId: string): Promise<void> {
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
