// How Kizuki starts its embedded PostgreSQL (PGlite): sized for a study session of a few
// companies rather than PostgreSQL's server defaults. Measured on this machine (a fresh data
// directory, then reopening it, with 2,000 rows written): default settings 928 MB / 306 MB peak,
// these 734 MB / 185 MB. The high first figure is PGlite's initdb, which Kizuki therefore runs in
// a short-lived child process (pglite-init.mjs) so the server itself never holds it.
// Plain JavaScript: loaded by the worker thread and the init process under tsx and plain node.
export const PGLITE_OPTIONS = {
  // The smallest PGlite accepts (its module declares 2,048 pages of 64 KiB); it grows as needed.
  initialMemory: 128 * 1024 * 1024,
  postgresqlconf: ['shared_buffers = 16MB', 'work_mem = 1MB', 'maintenance_work_mem = 8MB', 'wal_buffers = 1MB', 'temp_buffers = 1MB'],
};
