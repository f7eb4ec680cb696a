// Creates a PGlite data directory and exits (run as a child process by pglite-thread.ts before the
// server opens a new directory): unpacked from the template made by PGlite's initdb
// (pglite-template.mjs), or, without a template, by initdb itself, which takes ~790 MB for a
// moment. Either way that memory leaves with this process instead of staying in the server's
// memory high-water mark.
import { createFromTemplate } from './pglite-template.mjs';
import { PGLITE_OPTIONS } from './pglite-options.mjs';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-init.mjs <dataDir>');
  process.exit(2);
}
// make-pglite-template.mjs runs this with KIZUKI_INITDB=1 to make the template itself.
if (process.env.KIZUKI_INITDB === '1' || !(await createFromTemplate(dataDir))) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite({ dataDir, ...PGLITE_OPTIONS });
  await db.waitReady;
  await db.close();
}
