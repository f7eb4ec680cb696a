// The data-directory lock: a lock left by a process that is gone is taken at once; a lock whose
// owner still runs (or cannot be identified) is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirLockedError, isRunning, lockDataDir } from '../../../server/db/data-dir-lock.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A lock as a server killed with -9 leaves it: the lock directory and its owner file. */
function leaveLock(dir: string, owner: object | null): void {
  mkdirSync(path.join(dir, '.kizuki.lock'));
  if (owner) writeFileSync(path.join(dir, '.kizuki.lock.owner'), JSON.stringify(owner));
}

/** The PID of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('lockDataDir', () => {
  it('writes who holds the lock and removes it on release', async () => {
    const dir = freshDir();
    const release = await lockDataDir(dir);
    const owner = JSON.parse(readFileSync(path.join(dir, '.kizuki.lock.owner'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    await release();
    expect(existsSync(path.join(dir, '.kizuki.lock'))).toBe(false);
    expect(existsSync(path.join(dir, '.kizuki.lock.owner'))).toBe(false);
  });

  it('takes a fresh lock at once when its owner process is gone', async () => {
    const dir = freshDir();
    leaveLock(dir, { pid: await deadPid(), hostname: hostname(), startTicks: 1 });
    const started = Date.now();
    const release = await lockDataDir(dir);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(JSON.parse(readFileSync(path.join(dir, '.kizuki.lock.owner'), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('refuses a lock whose owner still runs', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      leaveLock(dir, { pid: child.pid, hostname: hostname(), startTicks: null });
      await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a fresh lock without an owner file, or one held on another machine', async () => {
    const noOwner = freshDir();
    leaveLock(noOwner, null);
    await expect(lockDataDir(noOwner)).rejects.toBeInstanceOf(DataDirLockedError);
    const elsewhere = freshDir();
    leaveLock(elsewhere, { pid: await deadPid(), hostname: `not-${hostname()}`, startTicks: null });
    await expect(lockDataDir(elsewhere)).rejects.toBeInstanceOf(DataDirLockedError);
  });

  it('refuses while another process is taking the lock over', async () => {
    const dir = freshDir();
    leaveLock(dir, { pid: await deadPid(), hostname: hostname(), startTicks: null });
    mkdirSync(path.join(dir, '.kizuki.lock.takeover'));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
  });
});

describe('isRunning', () => {
  it('sees through a reused PID by its start time', () => {
    expect(isRunning({ pid: process.pid === 1 ? 2 : 1, hostname: hostname(), startTicks: null })).toBe(true);
    // A live PID (our parent) with another start time than recorded: the recorded process is gone.
    expect(isRunning({ pid: process.ppid, hostname: hostname(), startTicks: -1 })).toBe(process.platform !== 'linux');
  });
});
