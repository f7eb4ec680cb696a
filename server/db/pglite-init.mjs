// Creates a PGlite data directory and exits (run as a child process by pglite-thread.ts before the
// server opens a new directory): initdb takes ~700 MB for a moment, which then leaves with this
// process instead of staying in the server's memory high-water mark.
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_OPTIONS } from './pglite-options.mjs';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-init.mjs <dataDir>');
  process.exit(2);
}
const db = new PGlite({ dataDir, ...PGLITE_OPTIONS });
await db.waitReady;
await db.close();
