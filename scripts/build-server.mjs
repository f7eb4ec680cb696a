// Bundles the server (server/ and shared/, TypeScript) into dist/server/main.mjs for `npm start`:
// plain Node then runs it, with no TypeScript compiler loaded at start-up (measured with
// PostgreSQL: peak RSS 135 MB instead of 205 MB, 1.0 CPU-s instead of 2.2 to be ready).
// Packages stay external (node_modules) but for a few (see server-bundle-options.mjs). `npm run dev`
// and the tests run the sources with tsx.
import { build } from 'esbuild';
import { FILES_BESIDE_BUNDLE, serverBundleOptions } from './server-bundle-options.mjs';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/server', { recursive: true });
await build({
  entryPoints: ['server/main.ts'],
  outfile: 'dist/server/main.mjs',
  ...serverBundleOptions,
  sourcemap: 'linked',
  banner: { js: '// Built by scripts/build-server.mjs from server/ and shared/: edit those, not this.' },
});
// Loaded by path at run time (new URL('./pglite-worker.mjs', import.meta.url)), so they sit beside the bundle.
for (const file of FILES_BESIDE_BUNDLE) copyFileSync(`server/db/${file}`, `dist/server/${file}`);
