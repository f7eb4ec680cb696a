// esbuild options shared by the server bundle (scripts/build-server.mjs) and the benchmarks' copy
// of it (bench/lib/bundle.ts). Packages stay external (loaded from node_modules) except the ones
// listed here, which are bundled so that only the parts the server uses are loaded: typebox's
// package is ~900 KB over 684 files, of which the server needs its type builder and compiler.
// Yjs comes bundled with the two packages that import it (one copy of Yjs, as it requires), so its
// source is ASCII-escaped like the rest: its own file has four non-ASCII lines, which made V8 hold
// its 300 KB as 600. With the escaping below: 1.7 MB less heap at idle (old + large-object space).
import { readFileSync, writeFileSync } from 'node:fs';

const BUNDLED_PACKAGES = new Set(['typebox', 'yjs', 'y-protocols', 'lib0']);

const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys({ ...dependencies, ...devDependencies })
  .filter((name) => !BUNDLED_PACKAGES.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/**
 * Escapes what esbuild leaves non-ASCII (its `charset: 'ascii'` default covers strings, not the
 * comments it keeps): V8 stores a module's source as two bytes per character once a single
 * character in it is not Latin-1, which doubled the resident source of this ~0.8 MB bundle.
 * Comments are all that is left to escape; strings and regular expressions are already ASCII.
 */
export function escapeNonAscii(text) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const asciiOutput = {
  name: 'ascii-output',
  setup(build) {
    build.onEnd((result) => {
      const file = build.initialOptions.outfile;
      if (result.errors.length > 0 || !file) return;
      const text = readFileSync(file, 'utf8');
      const escaped = escapeNonAscii(text);
      if (escaped !== text) writeFileSync(file, escaped);
    });
  },
};

export const serverBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  logLevel: 'warning',
  plugins: [asciiOutput],
};

/** Loaded by path at run time (new URL('./pglite-worker.mjs', import.meta.url)), so they sit beside a bundle. */
export const FILES_BESIDE_BUNDLE = ['pglite-worker.mjs', 'pglite-init.mjs', 'pglite-options.mjs', 'pglite-template.mjs', 'pglite-template.tar.br'];

/** The node options `npm start` gives the server (package.json "start"), for start:cluster and the benchmarks to run it alike. */
export function startNodeArgs() {
  const start = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
  return (start.match(/^node((?: --[\w-]+(?:=\S+)?)*) /)?.[1] ?? '').trim().split(' ').filter(Boolean);
}
