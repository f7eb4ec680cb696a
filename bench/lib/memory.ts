// A benchmark server's memory, read after full collections when it was started with --expose-gc
// (bench/idle-rooms.ts does): answers the { cmd: 'memory' } IPC message of both bench servers.
export async function memoryAfterGc(): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}
