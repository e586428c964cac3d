import { Type, type TSchema } from 'typebox';
import { codeOf, PROBLEM_EXAMPLES, problemBody } from '../http/problem-examples';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI reference naming the kind of problem.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path and the request id.' }),
    code: Type.String({ description: 'Stable machine-readable code, e.g. `customer_not_found`.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          message: Type.String(),
          index: Type.Optional(Type.Integer({ description: 'Row of a batch the error is about.' })),
          code: Type.Optional(
            Type.String({ description: "This entry's own code (e.g. `customer_not_found`)." }),
          ),
        }),
      ),
    ),
    allowed: Type.Optional(
      Type.Array(Type.String(), {
        description: 'With `illegal_transition`: the statuses the record could move to from where it is.',
      }),
    ),
  },
  {
    $id: 'Problem',
    title: 'Problem',
    description: 'An RFC 9457 problem document (`application/problem+json`).',
    example: {
      type: 'urn:problem:crm:customer_not_found',
      title: 'Not found',
      status: 404,
      detail: 'No customer has id 0192f3c4-0000-7000-8000-000000000000.',
      instance: '/v1/customers/0192f3c4-0000-7000-8000-000000000000#req-1',
      code: 'customer_not_found',
    },
  },
);

const ProblemRef = Type.Ref('Problem');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, a value of the wrong type or format, or an unknown or read-only field.',
  401: 'No API key, or an unknown or revoked one.',
  403: 'The API key lacks the scope this operation needs.',
  404: 'The record named in the path does not exist (or is deleted).',
  408: 'The request (its body) did not arrive within the request timeout.',
  409: 'The request conflicts with the current state (a taken unique value, a request with the same Idempotency-Key in flight).',
  412: 'If-Match names a version that is no longer current.',
  413: 'The request body is larger than the configured limit.',
  415: 'The request body is not application/json.',
  422: 'The request is well formed but cannot be applied to the current data.',
  428: 'This operation needs If-Match.',
  429: 'Too many requests for this API key, or too many failed authentications from this address; retry after the number of seconds in Retry-After.',
  500: 'An unexpected server fault.',
  503: 'The database is unavailable or overloaded for a moment; retry after the number of seconds in Retry-After.',
};

export const errorDescription = (status: number): string => ERROR_DESCRIPTIONS[status] ?? 'Error.';

/** A problem+json response; `examples` holds one example per problem code it can carry. */
function problemResponse(status: number, keys: string[]) {
  const examples: Record<string, { summary: string; value: Record<string, unknown> }> = {};
  for (const key of keys) examples[codeOf(key)] = { summary: codeOf(key), value: problemBody(key) };
  return {
    description: errorDescription(status),
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: ProblemRef, ...(keys.length > 0 ? { examples } : {}) },
    },
  };
}

/**
 * The problem+json responses a route answers beyond the common ones, which the OpenAPI
 * plugin adds to every operation (src/plugins/openapi-contract). Each entry is a status, or a
 * problem code of src/http/problem-examples.ts (its status comes from there, and the document
 * shows its example); `422:customer_not_found` picks the 422 form of a code.
 */
export function errorResponses(...entries: Array<number | string>): Record<number, unknown> {
  return responsesFor([400, 401, 403, 429, 500], entries);
}

/** Public routes (health, docs) answer no auth errors. */
export function publicErrorResponses(...entries: Array<number | string>): Record<number, unknown> {
  return responsesFor([429, 500], entries);
}

function responsesFor(base: number[], entries: Array<number | string>): Record<number, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const status of base) byStatus.set(status, []);
  for (const entry of entries) {
    const status = typeof entry === 'number' ? entry : PROBLEM_EXAMPLES[entry]?.status;
    if (status === undefined) throw new Error(`Unknown problem code ${entry} (src/http/problem-examples.ts)`);
    const keys = byStatus.get(status) ?? [];
    if (typeof entry === 'string') keys.push(entry);
    byStatus.set(status, keys);
  }
  const out: Record<number, unknown> = {};
  for (const status of [...byStatus.keys()].sort())
    out[status] = problemResponse(status, byStatus.get(status)!);
  return out;
}

/**
 * A success response with its description; `headers` names the response headers it always
 * carries besides the common ones, which the document declares from components (`etag` is
 * added by itself wherever a versioned record is answered; name it for other bodies).
 */
export function success<T extends TSchema>(
  schema: T,
  description: string,
  options: { headers?: Array<'location' | 'etag'> } = {},
): T {
  const headers = Object.fromEntries(
    (options.headers ?? []).map((name) => [name, { type: 'string', description: name }]),
  );
  return { ...schema, description, ...(options.headers ? { headers } : {}) };
}

/** 304 to a GET whose If-None-Match names the current ETag: no body and no content headers. */
export const NotModified = Type.Null({
  description: 'Not modified: the ETag in If-None-Match is current, so your copy is. No body.',
});

export const Uuid = Type.String({
  format: 'uuid',
  description: 'Opaque, time-ordered identifier (UUIDv7).',
  example: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
});

export const Timestamp = Type.String({ format: 'date-time', example: '2026-11-23T08:00:00.000Z' });
export const DateOnly = Type.String({ format: 'date', example: '1990-05-17' });

export const IdParams = Type.Object({ id: Type.String({ description: 'The record id.' }) });

/** The optional If-Match of a write to a versioned record (docs/api.md "Concurrency"). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag of the version you read; 412 if stale.' })),
});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const PageLimit = Type.Integer({
  minimum: 1,
  maximum: 500,
  default: 50,
  description: 'Page size, 1 to 500.',
});
export const PageCursor = Type.String({
  maxLength: 2000,
  description: 'The `nextCursor` of the previous page.',
});

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    nextCursor: Nullable(
      Type.String({
        description: 'Pass as `cursor` for the next page; null on the last.',
        example:
          'WyJjcmVhdGVkQXQiLCIyMDI2LTAzLTAyVDAxOjE1OjAwLjAwMFoiLCIwMWEyMzE3ZC1kZGY3LTczNmItYWUzMC1iZjVlNzE5YzJiMTAiXQ',
      }),
    ),
  });
