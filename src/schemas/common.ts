import { Type, type TSchema } from 'typebox';

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

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemRef } },
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, a value of the wrong type or format, or an unknown or read-only field.',
  401: 'No API key, or an unknown or revoked one.',
  403: 'The API key lacks the scope this operation needs.',
  404: 'The resource does not exist.',
  409: 'A conflict: a duplicate unique value, or a request with the same Idempotency-Key is still in flight.',
  412: 'If-Match names a version that is no longer current.',
  413: 'The request body is larger than the configured limit.',
  415: 'The request body is not application/json.',
  422: 'The request is well formed but cannot be applied (a missing reference, an Idempotency-Key reused with another body).',
  429: 'Too many requests for this API key, or too many failed authentications from this address; retry after the number of seconds in Retry-After.',
  500: 'An unexpected server fault.',
};

/** The problem+json responses every route may answer, plus the extra ones a route names. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  const all = new Set([400, 401, 403, 429, 500, ...statuses]);
  const out: Record<number, unknown> = {};
  for (const status of [...all].sort()) out[status] = problemResponse(ERROR_DESCRIPTIONS[status] ?? 'Error.');
  return out;
}

/** Public routes (health, docs) answer no auth errors. */
export function publicErrorResponses(...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const status of [...new Set([429, 500, ...statuses])].sort())
    out[status] = problemResponse(ERROR_DESCRIPTIONS[status] ?? 'Error.');
  return out;
}

export const Uuid = Type.String({
  format: 'uuid',
  description: 'Opaque, time-ordered identifier (UUIDv7).',
  example: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
});

export const Timestamp = Type.String({ format: 'date-time', example: '2026-11-23T08:00:00.000Z' });
export const DateOnly = Type.String({ format: 'date', example: '1990-05-17' });

export const IdParams = Type.Object({ id: Type.String({ description: 'The record id.' }) });

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
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    ),
  });
