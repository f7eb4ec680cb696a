// Makes server/db/pglite-template.tar.br: a data directory exactly as PGlite's initdb creates it
// (with Kizuki's PGlite options), tarred and compressed with Brotli. Kizuki unpacks it for a new
// embedded database instead of running initdb at first start (see server/db/pglite-template.ts).
// Run it again after upgrading @electric-sql/pglite to a new PostgreSQL major version:
//
//   node scripts/make-pglite-template.mjs
//
// It needs ~800 MB of memory for a few seconds (that is initdb, the reason for the template).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';

const out = new URL('../server/db/pglite-template.tar.br', import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'kizuki-pglite-template-'));
try {
  const init = spawnSync(process.execPath, [new URL('../server/db/pglite-init.mjs', import.meta.url).pathname, dir], { stdio: 'inherit', env: { ...process.env, KIZUKI_INITDB: '1' } });
  if (init.status !== 0) throw new Error(`pglite-init.mjs failed (exit ${init.status})`);
  const chunks = [];
  // portable: no owner, user or group names; the files' times are kept (PostgreSQL does not read them).
  const stream = tar.c({ cwd: dir, portable: true, sync: true }, readdirSync(dir).sort());
  stream.on('data', (chunk) => chunks.push(chunk));
  const tarball = Buffer.concat(chunks);
  const compressed = zlib.brotliCompressSync(tarball, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tarball.length },
  });
  writeFileSync(out, compressed);
  console.log(`wrote ${out.pathname}: ${(compressed.length / 1024 / 1024).toFixed(2)} MB (${(tarball.length / 1024 / 1024).toFixed(1)} MB unpacked)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
