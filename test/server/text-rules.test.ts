// The text rules' walk (server/text-rules.ts) and the nesting limit that keeps a small, deeply
// nested body from stalling the server: the walk stops at MAX_NESTING, and the one-pass check of
// JSON text refuses what JSON.parse would spend ~100 ms on.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { findTextProblem, jsonNestingExceeds, MAX_NESTING } from '../../server/text-rules.ts';
import { OneLineText } from '../../shared/schemas/text.ts';

/** `[[…[value]…]]`: `levels` arrays around `value`. */
function nestedArrays(levels: number, value: unknown = 1): unknown {
  let data: unknown = value;
  for (let i = 0; i < levels; i++) data = [data];
  return data;
}

describe('jsonNestingExceeds', () => {
  it('counts arrays and objects, up to the limit and no further', () => {
    expect(MAX_NESTING).toBe(32);
    expect(jsonNestingExceeds(JSON.stringify(nestedArrays(32)))).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify(nestedArrays(33)))).toBe(true);
    expect(jsonNestingExceeds('{"a":'.repeat(32) + '1' + '}'.repeat(32))).toBe(false);
    expect(jsonNestingExceeds('{"a":'.repeat(33) + '1' + '}'.repeat(33))).toBe(true);
    // Siblings do not add up.
    expect(jsonNestingExceeds(`[${'[[]],'.repeat(1000)}[]]`, 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingExceeds(JSON.stringify({ text: '['.repeat(100) }))).toBe(false);
    expect(jsonNestingExceeds(JSON.stringify({ text: '\\"' + '{'.repeat(100) + '"' }))).toBe(false);
    expect(jsonNestingExceeds(`["\\\\", ${'['.repeat(40)}${']'.repeat(40)}]`)).toBe(true);
  });

  it('says yes early for the 256 KB attack body', () => {
    expect(jsonNestingExceeds('['.repeat(131_000) + ']'.repeat(131_000))).toBe(true);
  });
});

describe('findTextProblem', () => {
  const Body = Type.Object({
    name: OneLineText(60),
    notes: Type.Optional(Type.Array(Type.String())),
    tags: Type.Optional(Type.Record(Type.String(), Type.Union([OneLineText(60), Type.Null()]))),
  });

  // The walk was rewritten to build the pointer only for the problem found: it must still be right.
  it('finds the first broken text in document order, with its JSON Pointer', () => {
    expect(findTextProblem(Body, { name: 'ok', notes: ['a', 'b\u0000'] })).toMatchObject({ keyword: 'controlCharacter', instancePath: '/notes/1' });
    expect(findTextProblem(Body, { notes: [{ deep: ['\uD83D'] }], name: 'x\u0000' })).toMatchObject({ keyword: 'invalidUnicode', instancePath: '/notes/0/deep/0' });
    expect(findTextProblem(Body, { name: 'ok', 'a/b~c': { x: '\u0001' } })).toMatchObject({ instancePath: '/a~1b~0c/x' });
    expect(findTextProblem(Type.String(), 'a\u0000')).toMatchObject({ keyword: 'controlCharacter', instancePath: '' });
  });

  it('line breaks only where the schema says one line, through records and unions', () => {
    expect(findTextProblem(Body, { name: '一行目\n二行目' })).toMatchObject({ keyword: 'lineBreak', instancePath: '/name' });
    expect(findTextProblem(Body, { name: 'ok', tags: { 色: '赤\n青' } })).toMatchObject({ keyword: 'lineBreak', instancePath: '/tags/色' });
    expect(findTextProblem(Body, { name: 'ok', notes: ['一行目\n二行目'], other: '改\n行' })).toBeUndefined();
    expect(findTextProblem(Body, { name: 'ok', notes: [], tags: {} })).toBeUndefined();
  });

  it('bidi controls and names of invisible characters only where the schema says one line', () => {
    for (const bidi of ['\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(findTextProblem(Body, { name: `Acme${bidi}` }), JSON.stringify(bidi)).toMatchObject({ keyword: 'bidiControl', instancePath: '/name' });
    }
    expect(findTextProblem(Body, { name: 'ok', tags: { 色: '\u202E赤' } })).toMatchObject({ keyword: 'bidiControl', instancePath: '/tags/色' });
    expect(findTextProblem(Body, { name: '\u200B\u3164' })).toMatchObject({ keyword: 'invisibleOnly', instancePath: '/name' });
    expect(findTextProblem(Body, { name: ' \u00AD ' })).toMatchObject({ keyword: 'invisibleOnly' });
    // Visible text with an invisible character in it is the schema's (and the company name form's) business.
    expect(findTextProblem(Body, { name: 'Ac\u200Bme', notes: ['\u202E右から', '\u200B'] })).toBeUndefined();
    // Empty or spaces alone: the schema's minLength / pattern say so, as before.
    expect(findTextProblem(Body, { name: '' })).toBeUndefined();
    expect(findTextProblem(Body, { name: '   ' })).toBeUndefined();
  });

  it('accepts nesting up to the limit and refuses deeper as the body as a whole', () => {
    expect(findTextProblem(Body, nestedArrays(MAX_NESTING))).toBeUndefined();
    expect(findTextProblem(Body, nestedArrays(MAX_NESTING, []))).toMatchObject({ keyword: 'maxDepth', instancePath: '', params: { limit: MAX_NESTING } });
    expect(findTextProblem(Body, nestedArrays(131_000))).toMatchObject({ keyword: 'maxDepth', instancePath: '' });
    // A text problem found before the depth is reached is the one reported.
    expect(findTextProblem(Body, ['\u0000', nestedArrays(100)])).toMatchObject({ keyword: 'controlCharacter', instancePath: '/0' });
  });

  it('visits no more than MAX_NESTING levels of a body nested far deeper', () => {
    // Each level is an object whose one property counts when it is read.
    let reads = 0;
    let data: unknown = 'end';
    for (let i = 0; i < 10_000; i++) {
      const inner = data;
      data = Object.defineProperty({}, 'a', { enumerable: true, get: () => (reads++, inner) });
    }
    expect(findTextProblem(Body, data)).toMatchObject({ keyword: 'maxDepth' });
    expect(reads).toBeLessThanOrEqual(MAX_NESTING);
  });
});
