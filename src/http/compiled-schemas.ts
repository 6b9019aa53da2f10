import { createHash } from 'node:crypto';
import { type Serializer, type SerializerFactory, SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * Route schemas compiled once per process, not once per app. Building the
 * app compiles a serializer (fast-json-stringify, which also validates the
 * schema) and a validator (Ajv) for every route: about 450 ms of CPU each
 * time. A process builds the same schemas again whenever it builds another
 * app (the test suite builds hundreds), so the compiled functions are kept
 * by the schema's content: the same JSON Schema gives the same function.
 */
const serializers = new Map<string, Serializer>();
const validators = new Map<string, ReturnType<FastifySchemaCompiler<FastifySchema>>>();

function digest(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(JSON.stringify(part) ?? 'undefined').update('\0');
  return hash.digest('hex');
}

const buildFastifySerializer = SerializerSelector();

/** Fastify's serializer factory (the shared schemas, the serializer options), its results kept. */
export const buildSerializer: SerializerFactory = (externalSchemas, serializerOpts) => {
  const compile = buildFastifySerializer(externalSchemas, serializerOpts);
  const context = digest(externalSchemas, serializerOpts);
  return (route) => {
    const key = digest(context, route.schema);
    let serialize = serializers.get(key);
    if (serialize === undefined) {
      serialize = compile(route);
      serializers.set(key, serialize);
    }
    return serialize;
  };
};

/** A validator compiler whose results are kept by the part of the request and the schema. */
export function keptValidators(compile: FastifySchemaCompiler<FastifySchema>): FastifySchemaCompiler<FastifySchema> {
  return (route) => {
    const key = digest(route.httpPart, route.schema);
    let validate = validators.get(key);
    if (validate === undefined) {
      validate = compile(route);
      validators.set(key, validate);
    }
    return validate;
  };
}

/** How many serializers and validators this process has compiled: a second app built from the same routes adds none. */
export function compiledSchemaCount(): { serializers: number; validators: number } {
  return { serializers: serializers.size, validators: validators.size };
}
