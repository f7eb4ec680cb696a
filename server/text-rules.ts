// Rules every text of a request obeys, whatever its schema, checked before the schema at both
// edges (HTTP validators: lazy-schema-compilers.ts; socket.io payloads: control/define-handler.ts):
// - no control character other than tab, line feed and carriage return: PostgreSQL text and jsonb
//   cannot store NUL, and none of the others belongs in what a person typed ("controlCharacter");
// - no lone UTF-16 surrogate (half of a character, e.g. an emoji cut in two): the database would
//   silently store U+FFFD instead ("invalidUnicode");
// - no line break in one-line text, the names and titles whose schema has `singleLine`
//   (shared/schemas/text.ts): shown in one line, a break would hide the rest ("lineBreak").
// A broken rule is an Ajv-style error, so validation-messages.ts words it like any schema rule.
import type { SchemaError } from './validation-messages.ts';
import { SINGLE_LINE_KEYWORD } from '../shared/schemas/text.ts';
import { LINE_BREAK } from '../shared/text/one-line.ts';

export type TextProblem = SchemaError & { message: string };

/** Tab, line feed and carriage return are text (multi-line notes); the other C0 controls are not. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Schema = Record<string, unknown>;

/**
 * The first string in `data` (at any depth, in document order) that breaks a text rule, with its
 * JSON Pointer. `schema` (JSON Schema, as TypeBox builds it) tells which strings are one line;
 * strings it does not describe get the other two rules. A loop, not recursion: a 256 KB body can
 * nest arrays 100 000 deep.
 */
export function findTextProblem(schema: unknown, data: unknown): TextProblem | undefined {
  const pending: [value: unknown, path: string, schemas: Schema[]][] = [[data, '', alternatives(schema)]];
  while (pending.length > 0) {
    const [value, path, schemas] = pending.pop()!;
    if (typeof value === 'string') {
      const broken = brokenRule(value, schemas.some((s) => s[SINGLE_LINE_KEYWORD] === true));
      if (broken) return { keyword: broken.keyword, instancePath: path, params: {}, message: broken.message };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}/${i}`, schemas.flatMap((s) => alternatives(itemSchema(s, i)))]);
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        pending.push([child, `${path}/${pointerSegment(key)}`, schemas.flatMap((s) => alternatives(propertySchema(s, key)))]);
      }
    }
  }
  return undefined;
}

function brokenRule(text: string, singleLine: boolean): { keyword: string; message: string } | undefined {
  if (CONTROL_CHARACTER.test(text)) return { keyword: 'controlCharacter', message: 'must not contain control characters' };
  if (LONE_SURROGATE.test(text)) return { keyword: 'invalidUnicode', message: 'must not contain a lone surrogate' };
  if (singleLine && LINE_BREAK.test(text)) return { keyword: 'lineBreak', message: 'must be a single line' };
  return undefined;
}

/** The schemas a value may be checked against: the schema itself, or the branches of a union or intersection. */
function alternatives(schema: unknown): Schema[] {
  const found: Schema[] = [];
  const pending = [schema];
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
