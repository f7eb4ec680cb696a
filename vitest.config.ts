import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-node tests need PostgreSQL and redis-server: `npm run test:cluster`.
    exclude: ['test/cluster/**', '**/node_modules/**'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    // expect.poll waits 1 s by default: a browser reacting to a socket push can take longer on a
    // loaded two-core CI machine (a removal's list refresh once did). What is polled is unchanged.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only make the real-clock sync tests flakier.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
