// SYNC_FLUSH_DELAY_MS: unset leaves the choice to the database driver; a value must be a sane integer.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FLUSH_DELAY_MS, loadConfig } from '../../server/config.ts';

describe('SYNC_FLUSH_DELAY_MS', () => {
  it('unset or empty: the driver default (PGlite writes less often than a PostgreSQL server)', () => {
    expect(loadConfig({}).syncFlushDelayMs).toBeUndefined();
    expect(loadConfig({ SYNC_FLUSH_DELAY_MS: '' }).syncFlushDelayMs).toBeUndefined();
    expect(DEFAULT_FLUSH_DELAY_MS.pglite).toBeGreaterThan(DEFAULT_FLUSH_DELAY_MS.pg);
    expect(DEFAULT_FLUSH_DELAY_MS.pg).toBeLessThanOrEqual(100);
  });

  it('a given value wins; nonsense is refused with the variable named', () => {
    expect(loadConfig({ SYNC_FLUSH_DELAY_MS: '120' }).syncFlushDelayMs).toBe(120);
    for (const bad of ['0', '-5', '1.5', 'soon', '60001']) {
      expect(() => loadConfig({ SYNC_FLUSH_DELAY_MS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ SYNC_FLUSH_DELAY_MS: bad })).toThrow(/SYNC_FLUSH_DELAY_MS/);
    }
  });
});
