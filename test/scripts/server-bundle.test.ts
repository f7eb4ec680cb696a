// The server bundle `npm start` runs (built from the sources by the global set-up): ASCII only, so
// V8 keeps its source one byte per character, and Yjs inside it exactly once.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs module without types
import { escapeNonAscii } from '../../scripts/server-bundle-options.mjs';

const escape = escapeNonAscii as (text: string) => string;

describe('the server bundle', () => {
  const bundle = readFileSync('dist/server/main.mjs', 'utf8');

  it('is ASCII only (comments included)', () => {
    const offending = [...bundle.matchAll(/.{0,40}[^\x00-\x7f].{0,20}/g)].map((m) => m[0]).slice(0, 5);
    expect(offending).toEqual([]);
  });

  it('carries Yjs, and does not import it (or the packages that import it) from node_modules', () => {
    expect(bundle).toMatch(/Yjs was already imported/);
    expect(bundle).not.toMatch(/from ["'](yjs|y-protocols|lib0)(\/[^"']*)?["']/);
  });
});

describe('escapeNonAscii', () => {
  it('keeps what code means: strings, regular expressions (with and without u) and comments', () => {
    const source = `// コメント 気付き
      /* 理念 → 顧客 */
      ({ text: "理念と顧客 😀", plain: 'ascii', dash: /[\\s\\-ー－]/g.test('ー'), emoji: /^[😀]$/u.test('😀'), template: \`テーマ \${1 + 1}\` })`;
    const escaped = escape(source);
    expect(escaped).toMatch(/^[\x00-\x7f]*$/);
    expect(vm.runInNewContext(escaped)).toEqual(vm.runInNewContext(source));
    expect(vm.runInNewContext(escaped)).toEqual({ text: '理念と顧客 😀', plain: 'ascii', dash: true, emoji: true, template: 'テーマ 2' });
  });

  it('leaves ASCII alone', () => {
    const source = 'const a = "plain"; // comment\n';
    expect(escape(source)).toBe(source);
  });
});
