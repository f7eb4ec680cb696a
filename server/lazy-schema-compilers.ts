// Fastify compiles every route's request validators (Ajv) and response serializers
// (fast-json-stringify) while it starts: about half a second of CPU for our ~56 routes on a cold
// start, plus the generated code kept in memory for routes a process may never serve. These
// compilers hand Fastify a stand-in that compiles on the route's first use (a few milliseconds,
// once) and then calls the compiled function directly. The result is the same validator and
// serializer Fastify would have built; compileAll() builds every pending one (a test runs it so a
// schema that cannot compile fails CI, not a user's first request).
//
// Two rules hold for every request part that has a schema, whatever the schema says:
// - A JSON body is taken as sent: {"name": 5} is refused, not coerced into "5" (Fastify's Ajv
//   coerces by default). URL parameters, queries and headers still coerce: they are always
//   strings on the wire.
// - Its text obeys the text rules (text-rules.ts: no control characters, no lone surrogates, no
//   line breaks in names, no nesting deeper than 32), checked first. A broken one fails like a
//   schema rule, so the 400 names the field. (A JSON body too deep is refused before it is even
//   parsed: app.ts.)
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { findTextProblem } from './text-rules.ts';
import { SINGLE_LINE_KEYWORD } from '../shared/schemas/text.ts';

type ValidateFn = ((data: unknown) => unknown) & { errors?: unknown };
type SerializeFn = (data: unknown) => string;
type Build<F> = (externalSchemas: unknown, options: unknown) => (routeSchema: unknown) => F;
/** What Fastify passes a validator compiler: the schema and which part of the request it checks. */
type RouteSchema = { schema: unknown; httpPart?: string };
type AjvOptions = { customOptions?: Record<string, unknown> };
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export interface LazySchemaCompilers {
  /** Fastify's `schemaController.compilersFactory` option. */
  compilersFactory: CompilersFactory;
  /** Compiles every schema not compiled yet; returns how many it compiled. Throws what a compile throws. */
  compileAll(): number;
}

export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => void>();
  const buildValidator = AjvCompiler() as unknown as Build<ValidateFn>;
  const buildSerializer = SerializerSelector() as unknown as Build<SerializeFn>;

  /** Compiles on the first get(); until then it is listed in `pending`. */
  function lazy<F>(compile: () => F): { get: () => F } {
    let compiled: F | undefined;
    const force = () => {
      if (compiled === undefined) {
        compiled = compile();
        pending.delete(force);
      }
      return compiled;
    };
    pending.add(force);
    return { get: force };
  }

  const compilersFactory = {
    buildValidator: (externalSchemas: unknown, options: AjvOptions) => {
      const compileCoercing = buildValidator(externalSchemas, withTextKeywords(options));
      const compileExact = buildValidator(externalSchemas, withoutCoercion(withTextKeywords(options)));
      return (routeSchema: RouteSchema) => {
        const compile = routeSchema.httpPart === 'body' ? compileExact : compileCoercing;
        const fn = lazy(() => checkingTextRules(compile(routeSchema), routeSchema.schema));
        const validate: ValidateFn = (data) => fn.get()(data);
        // Fastify reads the failed validation's details from the function itself (Ajv style).
        Object.defineProperty(validate, 'errors', { get: () => fn.get().errors });
        return validate;
      };
    },
    buildSerializer: (externalSchemas: unknown, options: unknown) => {
      const compile = buildSerializer(externalSchemas, options);
      return (routeSchema: unknown) => {
        const fn = lazy(() => compile(routeSchema));
        return (data: unknown) => fn.get()(data);
      };
    },
  };

  return {
    // Fastify types its compilers as Ajv's (with Ajv's own properties); it only calls them and reads `errors`.
    compilersFactory: compilersFactory as unknown as CompilersFactory,
    compileAll() {
      let count = 0;
      for (const force of [...pending]) {
        force();
        count++;
      }
      return count;
    },
  };
}

/** The same Ajv options with type coercion off (a separate Ajv instance: the pool keys on options). */
function withoutCoercion(options: AjvOptions): AjvOptions {
  return { ...options, customOptions: { ...options.customOptions, coerceTypes: false } };
}

/** Ajv refuses keywords it does not know: `singleLine` is read by the text rules, not by Ajv. */
function withTextKeywords(options: AjvOptions): AjvOptions {
  const keywords = (options.customOptions?.keywords as unknown[] | undefined) ?? [];
  return { ...options, customOptions: { ...options.customOptions, keywords: [...keywords, SINGLE_LINE_KEYWORD] } };
}

/** `validate`, failing first on any text that breaks a text rule, with its own `errors`. */
function checkingTextRules(validate: ValidateFn, schema: unknown): ValidateFn {
  let errors: unknown;
  const checked: ValidateFn = (data) => {
    const found = findTextProblem(schema, data);
    const valid = found ? false : validate(data);
    errors = found ? [found] : validate.errors;
    return valid;
  };
  Object.defineProperty(checked, 'errors', { get: () => errors });
  return checked;
}
