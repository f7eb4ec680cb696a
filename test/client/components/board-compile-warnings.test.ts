// The board's and the plenary's components compile without a Svelte warning (the build prints
// them): e.g. ActionList's `let owner = $state(myUserId)` kept only the first value of the prop.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from 'svelte/compiler';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const files = [
  ...['client/components/board', 'client/components/plenary'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((name) => name.endsWith('.svelte'))
      .map((name) => `${dir}/${name}`),
  ),
  'client/pages/BoardPage.svelte',
];

describe('board components compile cleanly', () => {
  it.each(files)('%s has no compiler warnings', (file) => {
    const { warnings } = compile(readFileSync(path.join(ROOT, file), 'utf8'), { filename: file });
    expect(warnings.map((w) => `${w.code} at ${w.start?.line}: ${w.message}`)).toEqual([]);
  });
});
