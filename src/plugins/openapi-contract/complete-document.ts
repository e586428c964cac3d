import { codeOf, problemBody } from '../../http/problem-examples';
import { errorDescription, PROBLEM_CONTENT_TYPE } from '../../schemas/common';
import { HEADERS, headerRef, PARAMETERS, parameterRef, type HeaderName } from './components';
import { exampleFor, type Schemas } from './examples';
import { FACTS_KEY, type RouteFacts } from './route-facts';
import { OPERATION_EXAMPLES, RECORD_EXAMPLES } from './recorded-examples';

type Json = Record<string, unknown>;
interface Media {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, Media>;
}
interface Parameter {
  name?: string;
  in?: string;
  $ref?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
  operationId?: string;
  responses: Record<string, Response>;
  [FACTS_KEY]?: RouteFacts;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The header names as they appear on the wire, for the components of components.ts. */
const HEADER_NAMES: Record<HeaderName, string> = {
  ETag: 'ETag',
  Location: 'Location',
  RetryAfter: 'Retry-After',
  RetryAfterWhenKnown: 'Retry-After',
  IdempotentReplayed: 'Idempotent-Replayed',
  XRateLimitLimit: 'X-RateLimit-Limit',
  XRateLimitRemaining: 'X-RateLimit-Remaining',
  XRateLimitReset: 'X-RateLimit-Reset',
  XRequestId: 'X-Request-Id',
  ContentLanguage: 'Content-Language',
};

/**
 * The problem codes every operation of a kind can answer, whatever its route says: they come
 * from the plugins in front of every handler (auth, rate limit, body parsing, idempotency,
 * the database) and from the one translation of database errors.
 */
function commonProblems(method: string, facts: RouteFacts, hasIfMatch: boolean): string[] {
  // Answered before routing too, so by any path: a malformed URL, a body that does not arrive in time.
  // And by any request that arrives while the server shuts down (src/connection-drain.ts).
  const keys = ['malformed_url', 'request_timeout', 'rate_limited', 'internal_error', 'shutting_down'];
  if (!facts.public) keys.push('validation_failed', 'unauthorized', 'forbidden', 'database_unavailable');
  if (method !== 'get' && !facts.public) {
    keys.push('malformed_json', 'empty_body', 'payload_too_large', 'unsupported_media_type');
    keys.push('conflict', 'missing_reference');
  }
  if (method === 'post' && !facts.public) {
    keys.push('invalid_idempotency_key', 'idempotency_request_in_flight', 'idempotency_key_reused');
  }
  if (hasIfMatch) keys.push('precondition_failed');
  return keys;
}

function problemResponse(status: number): Response {
  return {
    description: errorDescription(status),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

function addProblem(responses: Record<string, Response>, key: string): void {
  const body = problemBody(key);
  const status = String(body.status);
  const response = (responses[status] ??= problemResponse(Number(status)));
  const media = (response.content ??= {})[PROBLEM_CONTENT_TYPE] ?? {};
  response.content[PROBLEM_CONTENT_TYPE] = media;
  media.examples ??= {};
  media.examples[codeOf(key)] ??= { summary: codeOf(key), value: body };
}

/** The record a response answers, when it is a versioned one (it then carries an ETag). */
function isVersionedRecord(media: Media | undefined, schemas: Schemas): boolean {
  const ref = media?.schema?.$ref;
  if (typeof ref !== 'string') return false;
  const target = schemas[ref.replace('#/components/schemas/', '')] as Json | undefined;
  return Boolean((target?.properties as Json | undefined)?.version);
}

function setHeader(response: Response, name: HeaderName): void {
  response.headers ??= {};
  response.headers[HEADER_NAMES[name]] = headerRef(name);
}

function completeResponses(method: string, operation: Operation, schemas: Schemas): void {
  const facts = operation[FACTS_KEY] ?? { public: false };
  const hasIfMatch = (operation.parameters ?? []).some((p) => p.name?.toLowerCase() === 'if-match');
  for (const key of commonProblems(method, facts, hasIfMatch)) addProblem(operation.responses, key);

  for (const [status, response] of Object.entries(operation.responses)) {
    const code = Number(status);
    // Route-declared headers (`success(..., { headers })`) become references to the components.
    const declared = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
    response.headers = {};
    if (declared.includes('location')) setHeader(response, 'Location');
    const json = response.content?.['application/json'];
    const versioned = code >= 200 && code < 300 && isVersionedRecord(json, schemas);
    if (versioned || code === 304 || declared.includes('etag')) setHeader(response, 'ETag');
    if (code >= 200 && code < 300 && method === 'post' && !facts.public)
      setHeader(response, 'IdempotentReplayed');
    if (code === 429) setHeader(response, 'RetryAfter');
    if (code === 503) setHeader(response, 'RetryAfterWhenKnown');
    setHeader(response, 'XRequestId');
    setHeader(response, 'XRateLimitLimit');
    setHeader(response, 'XRateLimitRemaining');
    setHeader(response, 'XRateLimitReset');
    if (code >= 400) {
      setHeader(response, 'ContentLanguage');
      const media = response.content?.[PROBLEM_CONTENT_TYPE];
      const codes = Object.keys(media?.examples ?? {});
      if (codes.length > 0)
        response.description = `${errorDescription(code)} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`;
    }
    if (code >= 200 && code < 300) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (media.example !== undefined || media.examples !== undefined || !media.schema) continue;
        const recorded =
          OPERATION_EXAMPLES[`${operation.operationId} ${status} ${type}`] ??
          (type === 'application/json'
            ? OPERATION_EXAMPLES[`${operation.operationId} ${status}`]
            : undefined);
        const example = recorded ?? exampleFor(media.schema, schemas);
        if (example !== undefined) media.example = example;
      }
    }
    if (Object.keys(response.headers).length === 0) delete response.headers;
  }
  operation.responses = Object.fromEntries(
    Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Request headers as references to the components, in one order for every operation. */
function completeParameters(method: string, operation: Operation): void {
  const facts = operation[FACTS_KEY] ?? { public: false };
  const own = (operation.parameters ?? []).filter(
    (p) =>
      p.in !== 'header' || !['if-match', 'if-none-match', 'idempotency-key'].includes(p.name!.toLowerCase()),
  );
  const hadIfMatch = (operation.parameters ?? []).some((p) => p.name?.toLowerCase() === 'if-match');
  const headers: Parameter[] = [];
  if (method === 'post' && !facts.public) headers.push(parameterRef('IdempotencyKey'));
  if (hadIfMatch) headers.push(parameterRef('IfMatch'));
  if (operation.responses['304']) headers.push(parameterRef('IfNoneMatch'));
  headers.push(parameterRef('AcceptLanguage'), parameterRef('XRequestId'));
  operation.parameters = [...own, ...headers];
}

/**
 * @fastify/swagger's `transformObject`: completes what the route schemas leave to the
 * cross-cutting plugins, so that every status an operation can answer is in its entry, with
 * an example of each problem code, every request and response header is declared once as a
 * component and referenced where it applies, and every success response has an example.
 */
export function completeDocument(document: Json): Json {
  const components = (document.components ??= {}) as Json;
  const schemas = (components.schemas ?? {}) as Schemas;
  components.parameters = { ...PARAMETERS };
  components.headers = { ...HEADERS };
  // Every error response carries its own examples; one shared example would mislead.
  if (schemas.Problem) delete (schemas.Problem as Json).example;
  for (const [name, example] of Object.entries(RECORD_EXAMPLES)) {
    const schema = schemas[name] as Json | undefined;
    if (schema && schema.example === undefined) schema.example = example;
  }
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      completeResponses(method, operation, schemas);
      completeParameters(method, operation);
      delete operation[FACTS_KEY];
    }
  }
  return document;
}
