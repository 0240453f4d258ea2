/** Where @nestjs/swagger keeps a class's @ApiProperty declarations. */
const DECORATORS = {
  API_MODEL_PROPERTIES: 'swagger/apiModelProperties',
  API_MODEL_PROPERTIES_ARRAY: 'swagger/apiModelPropertiesArray',
} as const;

type JsonSchema = Record<string, unknown>;
type Dto = abstract new (...args: never[]) => unknown;

const SCALARS: Record<string, string> = {
  String: 'string',
  string: 'string',
  Number: 'number',
  number: 'number',
  integer: 'integer',
  Boolean: 'boolean',
  boolean: 'boolean',
};

/**
 * The JSON schema of an answer class, read from its @ApiProperty declarations (the ones the
 * OpenAPI document is made of), for Fastify's response serialiser: a route that declares it has
 * its answers written by a function compiled for that shape (fast-json-stringify) instead of the
 * generic JSON.stringify. Built from the same declarations as the document, so the two cannot
 * drift; a property whose type it cannot tell is written as JSON.stringify would write it.
 * Properties come out in declaration order, and a property not declared is not written at all.
 */
export function responseSchema(dto: Dto): JsonSchema {
  const prototype = (dto as unknown as { prototype: object }).prototype;
  const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? [];
  const properties: Record<string, JsonSchema> = {};
  for (const name of names.map((n) => n.replace(/^:/, ''))) {
    const meta = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, name) as {
      type?: unknown;
      isArray?: boolean;
      nullable?: boolean;
    };
    const type = Array.isArray(meta.type) ? (meta.type[0] as unknown) : meta.type;
    const isArray = meta.isArray || Array.isArray(meta.type);
    let schema: JsonSchema;
    const scalar =
      typeof type === 'function' ? SCALARS[type.name] : typeof type === 'string' ? SCALARS[type] : undefined;
    if (scalar) schema = { type: meta.nullable ? [scalar, 'null'] : scalar };
    else if (
      typeof type === 'function' &&
      Reflect.hasMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, (type as { prototype: object }).prototype)
    ) {
      schema = responseSchema(type as Dto);
      if (meta.nullable) schema = { anyOf: [schema, { type: 'null' }] };
    } else schema = {};
    properties[name] = isArray ? { type: meta.nullable ? ['array', 'null'] : 'array', items: schema } : schema;
  }
  return { type: 'object', properties };
}
