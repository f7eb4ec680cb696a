// Rules every text of a request obeys, whatever its schema, checked before the schema at both
// edges (HTTP validators: lazy-schema-compilers.ts; socket.io payloads: control/define-handler.ts):
// - no control character other than tab, line feed and carriage return: PostgreSQL text and jsonb
//   cannot store NUL, and none of the others belongs in what a person typed ("controlCharacter");
// - no lone UTF-16 surrogate (half of a character, e.g. an emoji cut in two): the database would
//   silently store U+FFFD instead ("invalidUnicode");
// - no line break in one-line text, the names and titles whose schema has `singleLine`
//   (shared/schemas/text.ts): shown in one line, a break would hide the rest ("lineBreak");
// - no bidirectional control in one-line text (LRM/RLM/ALM, embeddings, overrides, isolates:
//   shared/text/invisible.ts): '\u202EemcA' is shown as 'Acme', a name posing as another
//   ("bidiControl");
// - one-line text that holds something besides spaces holds something visible: a name of zero-width
//   spaces, joiners or Hangul fillers alone looks blank, and a company name loses them when
//   normalised, leaving nothing ("invisibleOnly").
// And the request as a whole nests arrays and objects at most MAX_NESTING deep ("maxDepth"), so
// that neither parsing nor this walk can stall the server on a small, deeply nested body.
// A broken rule is an Ajv-style error, so validation-messages.ts words it like any schema rule.
import type { SchemaError } from './validation-messages.ts';
import { SINGLE_LINE_KEYWORD } from '../shared/schemas/text.ts';
import { LINE_BREAK } from '../shared/text/one-line.ts';
import { BIDI_CONTROL, onlyInvisible } from '../shared/text/invisible.ts';

export type TextProblem = SchemaError & { message: string };

/** Tab, line feed and carriage return are text (multi-line notes); the other C0 controls are not. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Schema = Record<string, unknown>;

/**
 * How deeply a request's arrays and objects may nest (`{"a":[1]}` is 2). Our deepest schema
 * (assessment templates) needs 5; a deeper body is an attack or a bug, and JSON.parse alone takes
 * ~100 ms on a 256 KB body nested 130 000 deep, so HTTP bodies are measured before parsing
 * (jsonNestingExceeds) and the walk below stops at the limit (socket.io payloads).
 */
export const MAX_NESTING = 32;

/** A body nested deeper than MAX_NESTING: a 400 for the body as a whole (validation-messages.ts words it). */
export function tooDeep(): TextProblem {
  return { keyword: 'maxDepth', instancePath: '', params: { limit: MAX_NESTING }, message: `must not nest deeper than ${MAX_NESTING} levels` };
}

/**
 * Whether JSON text nests arrays and objects deeper than `limit`: one pass over the characters,
 * skipping strings, without parsing (malformed text is left for JSON.parse to refuse).
 */
export function jsonNestingExceeds(json: string, limit = MAX_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** An array or object being walked: its children in document order and the next one to visit. */
interface Level {
  keys: string[] | undefined;
  values: unknown[];
  next: number;
  schemas: Schema[];
}

/**
 * The first string in `data` (in document order) that breaks a text rule, with its JSON Pointer.
 * `schema` (JSON Schema, as TypeBox builds it) tells which strings are one line; strings it does
 * not describe get the other two rules. Data nested deeper than MAX_NESTING is a problem itself
 * (tooDeep). The work is one step per value, allocating only for arrays and objects, and the
 * pointer is built only for the problem found: a 256 KB body of 100 000 values takes milliseconds.
 */
export function findTextProblem(schema: unknown, data: unknown): TextProblem | undefined {
  const rootSchemas = alternatives(schema);
  if (typeof data === 'string') return problemIn(data, rootSchemas, []);
  if (!isContainer(data)) return undefined;
  const stack: Level[] = [levelOf(data, rootSchemas)];
  while (stack.length > 0) {
    const level = stack[stack.length - 1]!;
    if (level.next === level.values.length) {
      stack.pop();
      continue;
    }
    const i = level.next++;
    const child = level.values[i];
    if (typeof child === 'string') {
      const found = problemIn(child, childSchemas(level, i), stack);
      if (found) return found;
    } else if (isContainer(child)) {
      if (stack.length === MAX_NESTING) return tooDeep();
      const inner = levelOf(child, childSchemas(level, i));
      if (inner.values.length > 0) stack.push(inner);
    }
  }
  return undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function levelOf(value: object, schemas: Schema[]): Level {
  if (Array.isArray(value)) return { keys: undefined, values: value, next: 0, schemas };
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  return { keys, values: keys.map((key) => record[key]), next: 0, schemas };
}

const NO_SCHEMAS: Schema[] = [];

/** The schemas of a level's i-th child (none when the level has none: nothing to look up). */
function childSchemas(level: Level, i: number): Schema[] {
  if (level.schemas.length === 0) return NO_SCHEMAS;
  if (level.schemas.length === 1) return alternatives(subschema(level.schemas[0]!, level, i));
  return level.schemas.flatMap((s) => alternatives(subschema(s, level, i)));
}

function subschema(schema: Schema, level: Level, i: number): unknown {
  return level.keys ? propertySchema(schema, level.keys[i]!) : itemSchema(schema, i);
}

const isSingleLine = (schema: Schema) => schema[SINGLE_LINE_KEYWORD] === true;

/** `text`'s broken rule, if any, located at the children the stack's levels are visiting. */
function problemIn(text: string, schemas: Schema[], stack: Level[]): TextProblem | undefined {
  const broken = brokenRule(text, schemas.some(isSingleLine));
  if (!broken) return undefined;
  return { keyword: broken.keyword, instancePath: pointerOf(stack), params: {}, message: broken.message };
}

/** The JSON Pointer of the value each level of the stack is visiting (the last one visited). */
function pointerOf(stack: Level[]): string {
  return stack.map((level) => `/${level.keys ? pointerSegment(level.keys[level.next - 1]!) : level.next - 1}`).join('');
}

function brokenRule(text: string, singleLine: boolean): { keyword: string; message: string } | undefined {
  if (CONTROL_CHARACTER.test(text)) return { keyword: 'controlCharacter', message: 'must not contain control characters' };
  if (LONE_SURROGATE.test(text)) return { keyword: 'invalidUnicode', message: 'must not contain a lone surrogate' };
  if (singleLine && LINE_BREAK.test(text)) return { keyword: 'lineBreak', message: 'must be a single line' };
  if (singleLine && BIDI_CONTROL.test(text)) return { keyword: 'bidiControl', message: 'must not contain bidirectional control characters' };
  if (singleLine && onlyInvisible(text)) return { keyword: 'invisibleOnly', message: 'must contain a visible character' };
  return undefined;
}

/** Each schema's alternatives, found once (the walk asks again for every item of an array). */
const alternativesOf = new WeakMap<object, Schema[]>();

/** The schemas a value may be checked against: the schema itself, or the branches of a union or intersection. */
function alternatives(schema: unknown): Schema[] {
  if (typeof schema !== 'object' || schema === null) return NO_SCHEMAS;
  let found = alternativesOf.get(schema);
  if (!found) alternativesOf.set(schema, (found = branchesOf(schema)));
  return found;
}

function branchesOf(schema: object): Schema[] {
  const found: Schema[] = [];
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const s = pending.pop();
    if (typeof s !== 'object' || s === null) continue;
    found.push(s as Schema);
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      const branches = (s as Schema)[keyword];
      if (Array.isArray(branches)) pending.push(...branches);
    }
  }
  return found;
}

/** patternProperties' patterns, compiled once each (a Type.Record body checks every key against one). */
const compiledPatterns = new Map<string, RegExp>();
const patternOf = (pattern: string): RegExp => {
  let re = compiledPatterns.get(pattern);
  if (!re) compiledPatterns.set(pattern, (re = new RegExp(pattern, 'u')));
  return re;
};

function propertySchema(schema: Schema, key: string): unknown {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && Object.hasOwn(properties, key)) return properties[key];
  const patterns = schema.patternProperties as Record<string, unknown> | undefined;
  for (const [pattern, child] of Object.entries(patterns ?? {})) if (patternOf(pattern).test(key)) return child;
  return schema.additionalProperties;
}

function itemSchema(schema: Schema, index: number): unknown {
  const prefix = schema.prefixItems;
  if (Array.isArray(prefix) && index < prefix.length) return prefix[index];
  return Array.isArray(schema.items) ? schema.items[index] : schema.items;
}

/** A key as a JSON Pointer segment (RFC 6901), as Ajv writes instancePath. */
function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
