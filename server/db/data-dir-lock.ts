// PGlite must have exactly one opener: a second process on the same directory corrupts it.
// A lock directory next to the data (refreshed while we run, considered stale 15 s after its last
// refresh) guards that. Beside it an owner file names the process holding it, so that after a
// crash (kill -9, OOM) the next start sees the owner is gone and takes the lock at once instead of
// waiting for it to age out; a live owner still refuses us.
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `Another Kizuki server is already using the data directory ${dataDir}. ` +
        'Stop it first, or start this one with a different DATA_DIR (or a DATABASE_URL).',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Who holds the lock: enough to tell, on the same machine, whether that process still runs. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** The process's start time in clock ticks since boot (Linux /proc), to see through PID reuse. */
  startTicks: number | null;
}

const STALE_MS = 15_000;
const UPDATE_MS = 5_000;
/** A takeover that crashed half-way leaves its mutex behind; after this long it is ignored. */
const TAKEOVER_STALE_MS = 10_000;

function paths(dataDir: string) {
  return {
    // proper-lockfile creates and removes this as a directory (mkdir / rmdir): nothing may live in it.
    lock: `${dataDir}/.kizuki.lock`,
    owner: `${dataDir}/.kizuki.lock.owner`,
    // Held while one starting process decides that the owner is gone and replaces the lock, so two
    // processes starting at once cannot both take it.
    takeover: `${dataDir}/.kizuki.lock.takeover`,
  };
}

/** Locks dataDir for this process; resolves to the function that releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  const p = paths(dataDir);
  try {
    return await acquire(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
  }
  // Held: by a live server (refuse), or by one that died without releasing it (take it now).
  if (!(await takeMutex(p.takeover))) throw new DataDirLockedError(dataDir);
  try {
    const owner = await readOwner(p.owner);
    // No owner file: a server of an older version, or one between taking the lock and writing
    // the file. Only the lock's age can tell then.
    if (!owner || isRunning(owner)) throw new DataDirLockedError(dataDir);
    await fs.rm(p.owner, { force: true });
    await fs.rm(p.lock, { recursive: true, force: true });
    return await acquire(dataDir).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ELOCKED' ? new DataDirLockedError(dataDir) : err;
    });
  } finally {
    await fs.rm(p.takeover, { recursive: true, force: true });
  }
}

async function acquire(dataDir: string): Promise<() => Promise<void>> {
  const p = paths(dataDir);
  // Loaded here: only the embedded database (PGlite) locks a directory; PostgreSQL mode never needs it.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(dataDir, {
    lockfilePath: p.lock,
    stale: STALE_MS,
    update: UPDATE_MS,
    onCompromised: (err) => {
      // Someone removed or took over our lock: continuing would risk two openers.
      console.error(`Lost the lock on ${dataDir}: ${err.message}. Stopping to protect the data.`);
      process.exit(1);
    },
  });
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startTicks: startTicksOf(process.pid) };
  const tmp = `${p.owner}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(me));
  await fs.rename(tmp, p.owner);
  return async () => {
    await fs.rm(p.owner, { force: true });
    await release();
  };
}

/** mkdir is atomic: true when we now hold the takeover mutex. */
async function takeMutex(dir: string): Promise<boolean> {
  try {
    await fs.mkdir(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = await fs.stat(dir).catch(() => null);
  // Another process is taking over right now: it wins, we are the second server.
  if (stat && Date.now() - stat.mtimeMs < TAKEOVER_STALE_MS) return false;
  await fs.rm(dir, { recursive: true, force: true });
  try {
    await fs.mkdir(dir);
    return true;
  } catch {
    return false;
  }
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return null;
    return { pid: owner.pid, hostname: owner.hostname, startTicks: typeof owner.startTicks === 'number' ? owner.startTicks : null };
  } catch {
    return null;
  }
}

/**
 * Whether the lock's owner may still run. Errs towards "running": a wrong "gone" would let two
 * servers open the data, a wrong "running" only makes us wait for the lock to go stale.
 */
export function isRunning(owner: LockOwner): boolean {
  // Another machine (a shared volume): we cannot see its processes.
  if (owner.hostname !== os.hostname()) return true;
  // Our own PID (a restarted container's PID 1, or reuse): we do not hold the lock, so its owner is gone.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  const stat = procStat(owner.pid);
  if (!stat) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false; // killed, not yet reaped by its parent
  return owner.startTicks === null || stat.startTicks === owner.startTicks; // else: the PID was reused
}

function startTicksOf(pid: number): number | null {
  return procStat(pid)?.startTicks ?? null;
}

/** State and start time from /proc/<pid>/stat (Linux); null elsewhere. */
function procStat(pid: number): { state: string; startTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: parse after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    const startTicks = Number(fields[19]);
    return Number.isFinite(startTicks) ? { state: fields[0] ?? '', startTicks } : null;
  } catch {
    return null;
  }
}
