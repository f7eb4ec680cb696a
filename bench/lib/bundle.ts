// Bundles the benchmark servers with esbuild so they run with plain node, as `npm start` runs
// Kizuki (no TypeScript compiler in the measured process).
import { copyFileSync, mkdirSync } from 'node:fs';

export async function bundleServers(): Promise<{ kizuki: string; reference: string; floor: string }> {
  const { build } = await import('esbuild');
  mkdirSync('dist/bench', { recursive: true });
  // @ts-expect-error a plain .mjs module without types
  const { serverBundleOptions, FILES_BESIDE_BUNDLE } = await import('../../scripts/server-bundle-options.mjs');
  const options = serverBundleOptions as import('esbuild').BuildOptions;
  await build({ ...options, entryPoints: ['bench/kizuki-server.ts'], outfile: 'dist/bench/kizuki-server.mjs' });
  await build({ ...options, entryPoints: ['bench/reference-server.ts'], outfile: 'dist/bench/reference-server.mjs' });
  await build({ ...options, entryPoints: ['bench/floor-server.ts'], outfile: 'dist/bench/floor-server.mjs' });
  // Loaded by path next to the bundle (new URL('./pglite-worker.mjs', import.meta.url)).
  for (const file of FILES_BESIDE_BUNDLE as string[]) copyFileSync(`server/db/${file}`, `dist/bench/${file}`);
  return { kizuki: 'dist/bench/kizuki-server.mjs', reference: 'dist/bench/reference-server.mjs', floor: 'dist/bench/floor-server.mjs' };
}

/** The node options `npm start` gives Kizuki (package.json "start"), so benchmarks run it alike. */
export async function kizukiNodeArgs(): Promise<string[]> {
  // @ts-expect-error a plain .mjs module without types
  const { startNodeArgs } = await import('../../scripts/server-bundle-options.mjs');
  return startNodeArgs() as string[];
}
