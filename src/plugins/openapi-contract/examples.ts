export type Schemas = Record<string, unknown>;
type Json = Record<string, unknown>;

const BY_FORMAT: Record<string, string> = {
  'date-time': '2026-11-23T08:00:00.000Z',
  date: '2026-11-23',
  uuid: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
  email: 'li.na@example.cn',
  uri: 'https://crm.example.cn/v1/customers',
  'uri-reference': '/v1/customers/0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
};

/**
 * An example of a success body, built from the examples its schema carries: the nearest
 * `example` wins, so a component's whole example (a realistic customer, order, ...) is used
 * as it stands, and a page or a wrapper is assembled around it. A leaf without an example of
 * its own takes one from its format or enum; undefined when none can be made, which
 * test/api/openapi-contract.test.ts reports.
 */
export function exampleFor(schema: unknown, schemas: Schemas, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 12) return undefined;
  const s = schema as Json;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (typeof s.$ref === 'string') {
    return exampleFor(schemas[s.$ref.replace('#/components/schemas/', '')], schemas, depth + 1);
  }
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options)) {
      // The first option that is not null: an example shows the value, not its absence.
      for (const option of options)
        if ((option as Json).type !== 'null') return exampleFor(option, schemas, depth + 1);
      return null;
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [name, property] of Object.entries((s.properties ?? {}) as Json)) {
        const value = exampleFor(property, schemas, depth + 1);
        if (value === undefined) return undefined;
        out[name] = value;
      }
      return out;
    }
    case 'array': {
      const item = exampleFor(s.items, schemas, depth + 1);
      return item === undefined ? undefined : [item];
    }
    case 'string':
      return typeof s.format === 'string' ? BY_FORMAT[s.format] : undefined;
    case 'null':
      return null;
    default:
      return undefined;
  }
}
