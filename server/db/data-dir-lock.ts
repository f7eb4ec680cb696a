// PGlite must have exactly one opener: a second process on the same directory corrupts it.
// A lock file next to the data (refreshed while we run, considered stale after a crash) guards that.
import fs from 'node:fs/promises';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `Another Kizuki server is already using the data directory ${dataDir}. ` +
        'Stop it first, or start this one with a different DATA_DIR (or a DATABASE_URL).',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Locks dataDir for this process; resolves to the function that releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/.kizuki.lock`,
      stale: 15_000,
      update: 5_000,
      onCompromised: (err) => {
        // Someone removed or took over our lock: continuing would risk two openers.
        console.error(`Lost the lock on ${dataDir}: ${err.message}. Stopping to protect the data.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw err;
  }
}
