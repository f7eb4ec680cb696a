// esbuild options shared by the server bundle (scripts/build-server.mjs) and the benchmarks' copy
// of it (bench/lib/bundle.ts). Packages stay external (loaded from node_modules) except the ones
// listed here, which are bundled so that only the parts the server uses are loaded: typebox's
// package is ~900 KB over 684 files, of which the server needs its type builder and compiler.
import { readFileSync } from 'node:fs';

const BUNDLED_PACKAGES = new Set(['typebox']);

const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys({ ...dependencies, ...devDependencies })
  .filter((name) => !BUNDLED_PACKAGES.has(name))
  .flatMap((name) => [name, `${name}/*`]);

export const serverBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  logLevel: 'warning',
};

/** Loaded by path at run time (new URL('./pglite-worker.mjs', import.meta.url)), so they sit beside a bundle. */
export const FILES_BESIDE_BUNDLE = ['pglite-worker.mjs', 'pglite-init.mjs', 'pglite-options.mjs', 'pglite-template.mjs', 'pglite-template.tar.br'];

/** The node options `npm start` gives the server (package.json "start"), for benchmarks to run it alike. */
export function startNodeArgs() {
  const start = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
  return (start.match(/^node((?: --[\w-]+=\S+)*) /)?.[1] ?? '').trim().split(' ').filter(Boolean);
}
