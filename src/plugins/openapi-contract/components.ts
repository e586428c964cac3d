/**
 * The request and response headers of the contract (request header names in lower case, as
 * Fastify and the generated client spell them; HTTP does not tell cases apart) (docs/api.md "Concurrency",
 * "Idempotency", "Limits", "Operations"), declared once as components and referenced by
 * each operation that takes or answers them.
 */

export const PARAMETERS = {
  IdempotencyKey: {
    name: 'idempotency-key',
    in: 'header',
    required: false,
    description:
      'Makes a retry safe: the first response is stored for IDEMPOTENCY_TTL_HOURS (default 24) and replayed with `Idempotent-Replayed: true`; ' +
      'the same key with another body is 422 `idempotency_key_reused`, and 409 `idempotency_request_in_flight` while the first request runs. Keys belong to the API key that sent them.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
    example: 'erp-order-SO-2026-118734',
  },
  IfMatch: {
    name: 'if-match',
    in: 'header',
    required: false,
    description:
      'The ETag you read (or `*`, or a comma-separated list): the write happens only if the record is still at that version, else 412 `precondition_failed`.',
    schema: { type: 'string' },
    example: '"v3"',
  },
  IfNoneMatch: {
    name: 'if-none-match',
    in: 'header',
    required: false,
    description: 'The ETag of your copy: 304 without a body when it is still current.',
    schema: { type: 'string' },
    example: '"v3"',
  },
  AcceptLanguage: {
    name: 'accept-language',
    in: 'header',
    required: false,
    description:
      'The language of problem `title` and `detail`: `en` (default) or `zh-CN`; `code` is the same in every language.',
    schema: { type: 'string' },
    example: 'zh-CN',
  },
  XRequestId: {
    name: 'x-request-id',
    in: 'header',
    required: false,
    description:
      "Your id for this request (1-128 of A-Z a-z 0-9 . _ : -), kept in logs, the audit trail and the answer's `X-Request-Id`; another one is made when absent or malformed.",
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    example: 'erp-sync-20261123-0815-0042',
  },
} as const;

export const HEADERS = {
  ETag: {
    description:
      'The strong validator of the record answered (`"v<version>"`): send it in If-Match or If-None-Match.',
    required: true,
    schema: { type: 'string', pattern: '^"v[0-9]+"$' },
    example: '"v3"',
  },
  Location: {
    description: 'The path of the record created (or of the job or run started).',
    required: true,
    schema: { type: 'string', format: 'uri-reference' },
    example: '/v1/customers/0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
    example: 17,
  },
  RetryAfterWhenKnown: {
    description: 'Seconds to wait before retrying, when the server can tell.',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    example: 5,
  },
  IdempotentReplayed: {
    description: '`true` when this is the stored first response to the same Idempotency-Key and body.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
    example: 'true',
  },
  XRateLimitLimit: {
    description: 'Requests this API key (or, on public routes, this address) may make per window.',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    example: 600,
  },
  XRateLimitRemaining: {
    description: 'Requests left in the current window.',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    example: 598,
  },
  XRateLimitReset: {
    description: 'Seconds until the window starts again.',
    required: false,
    schema: { type: 'integer', minimum: 0 },
    example: 42,
  },
  XRequestId: {
    description: "The id of this request: the caller's own when well formed, else one made by the server.",
    required: true,
    schema: { type: 'string' },
    example: 'erp-sync-20261123-0815-0042',
  },
  ContentLanguage: {
    description: 'The language of the problem `title` and `detail` (`en` or `zh-CN`).',
    required: false,
    schema: { type: 'string' },
    example: 'en',
  },
} as const;

export type HeaderName = keyof typeof HEADERS;
export type ParameterName = keyof typeof PARAMETERS;

export const headerRef = (name: HeaderName) => ({ $ref: `#/components/headers/${name}` });
export const parameterRef = (name: ParameterName) => ({ $ref: `#/components/parameters/${name}` });
