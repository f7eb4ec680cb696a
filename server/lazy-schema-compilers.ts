// Fastify compiles every route's request validators (Ajv) and response serializers
// (fast-json-stringify) while it starts: about half a second of CPU for our ~56 routes on a cold
// start, plus the generated code kept in memory for routes a process may never serve. These
// compilers hand Fastify a stand-in that compiles on the route's first use (a few milliseconds,
// once) and then calls the compiled function directly. The result is the same validator and
// serializer Fastify would have built; compileAll() builds every pending one (a test runs it so a
// schema that cannot compile fails CI, not a user's first request).
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type ValidateFn = ((data: unknown) => unknown) & { errors?: unknown };
type SerializeFn = (data: unknown) => string;
type Build<F> = (externalSchemas: unknown, options: unknown) => (routeSchema: unknown) => F;
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
    buildValidator: (externalSchemas: unknown, options: unknown) => {
      const compile = buildValidator(externalSchemas, options);
      return (routeSchema: unknown) => {
        const fn = lazy(() => compile(routeSchema));
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
