// The multi-node tests (test/cluster/): two Kizuki processes, a redis-server of the test's own and
// a throwaway database on the PostgreSQL server DATABASE_URL points at (default: the local one).
// Run with `npm run test:cluster`; `.ci/run` runs them after `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['./test/helpers/build-server-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // Each file starts its own processes; one file at a time keeps their timings sane on two cores.
    maxWorkers: 1,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
