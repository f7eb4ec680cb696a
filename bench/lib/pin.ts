// Pins processes to cores the way the measurements were taken: the server on core 0 for
// its whole life (start-up included), the load (the benchmark process) on the other cores, so the
// two do not steal time from each other. Linux with taskset only; elsewhere nothing is pinned and
// the report says so.
import { execFileSync, fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import os from 'node:os';

const cores = os.cpus().length;
// BENCH_NO_PIN=1 runs unpinned (for CPU profiles: a pinned server shares its core with the profiler).
const hasTaskset = (() => {
  if (process.env.BENCH_NO_PIN || cores < 2 || process.platform !== 'linux') return false;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Starts a node server as fork() would, on core 0 when it can (exec keeps the IPC channel). */
export function forkServer(entry: string, execArgv: string[], stdio: StdioOptions, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  if (!hasTaskset) return fork(entry, [], { execArgv, stdio, env });
  return spawn('taskset', ['-c', '0', process.execPath, ...execArgv, entry], { stdio, env });
}

/** Moves this process (the load) and its threads off core 0. */
export function pinLoad(): boolean {
  if (!hasTaskset) return false;
  execFileSync('taskset', ['-a', '-cp', `1-${cores - 1}`, String(process.pid)], { stdio: 'ignore' });
  return true;
}

export const pinningNote = () => (hasTaskset ? `server pinned to core 0, load on cores 1-${cores - 1}` : 'not pinned (needs Linux, taskset and two cores)');
