// A new PGlite data directory is unpacked from a template rather than made by PGlite's initdb at
// first start: initdb runs three WebAssembly instances at once and holds ~790 MB for a few
// seconds (on a small server, more than Kizuki needs for a whole session); unpacking needs ~50 MB,
// in the short-lived child process pglite-init.mjs, so not even that stays in the server's memory.
// The template (pglite-template.tar.br, 1.2 MB) is exactly what initdb makes, produced by
// scripts/make-pglite-template.mjs; it must be made again when PGlite's PostgreSQL major version
// changes (the tests open it with the installed PGlite, so CI says so).
// Plain JavaScript: run by pglite-init.mjs under plain node.
import { createReadStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as tar from 'tar';

export const PGLITE_TEMPLATE = fileURLToPath(new URL('./pglite-template.tar.br', import.meta.url));

/** Where entries are unpacked before they are moved into place (inside dataDir: same file system). */
const STAGING = '.kizuki-creating';

/**
 * Fills dataDir (which may exist and hold Kizuki's lock files, but no database) from the template.
 * PG_VERSION, by which a directory is known to hold a database, is moved in last, so an interrupted
 * attempt is simply made again at the next start. Resolves to false if there is no template.
 * @param {string} dataDir
 * @param {string} [template]
 * @returns {Promise<boolean>}
 */
export async function createFromTemplate(dataDir, template = PGLITE_TEMPLATE) {
  if (!existsSync(template)) return false;
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} already holds a database`);
  const staging = path.join(dataDir, STAGING);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  await pipeline(createReadStream(template), zlib.createBrotliDecompress(), tar.x({ cwd: staging }));
  if (!existsSync(path.join(staging, 'PG_VERSION'))) throw new Error(`the database template ${template} holds no PG_VERSION`);
  const entries = (await fs.readdir(staging)).filter((name) => name !== 'PG_VERSION');
  for (const name of [...entries, 'PG_VERSION']) {
    const target = path.join(dataDir, name);
    // Left by an interrupted attempt (there is no PG_VERSION, so no database uses it).
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(path.join(staging, name), target);
  }
  await fs.rm(staging, { recursive: true, force: true });
  return true;
}
