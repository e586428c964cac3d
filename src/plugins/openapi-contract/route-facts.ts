import type { FastifySchema } from 'fastify';
import '../route-config';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The scopes an operation needs, for routes whose scope is not in their config (it
     * depends on a parameter): written with the parameter in braces, `{resource}:write`.
     */
    'x-required-scopes'?: string[];
  }
}

/** What the document completion needs to know of a route beyond its schema. */
export interface RouteFacts {
  public: boolean;
}

export const FACTS_KEY = 'x-crm-route';

interface TransformInput {
  schema: FastifySchema;
  url: string;
  route: { config?: { public?: boolean; scope?: string } };
}

/**
 * @fastify/swagger's per-route `transform`: puts the scope a route needs into its operation as
 * `x-required-scopes` and a sentence of its description, and passes on the route facts the
 * document completion reads (src/plugins/openapi-contract/complete-document.ts).
 */
export function describeRoute({ schema, url, route }: TransformInput): {
  schema: FastifySchema;
  url: string;
} {
  if (!schema) return { schema, url };
  const isPublic = route.config?.public === true;
  const scopes = isPublic
    ? []
    : (schema['x-required-scopes'] ?? (route.config?.scope ? [route.config.scope] : []));
  const scopeText = isPublic
    ? 'Public: no API key needed.'
    : scopes.length > 0
      ? `Needs an API key with ${scopes.map((s) => `\`${s}\``).join(' and ')} (or \`admin\`).`
      : 'Needs any valid API key.';
  const description = schema.description ? `${schema.description}\n\n${scopeText}` : scopeText;
  const facts: RouteFacts = { public: isPublic };
  return {
    schema: { ...schema, description, 'x-required-scopes': scopes, [FACTS_KEY]: facts } as FastifySchema,
    url,
  };
}
