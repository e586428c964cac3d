import { HttpError } from '../http/http-errors';

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Seconds a caller is asked to wait while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of the connection to the database server (Node's `code`). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean "no usable server right now": connection exceptions (class 08), the server
 * shutting down or starting up (57P01-57P03), too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/**
 * What pg, knex and PGlite say, without a code, when the connection is gone: the socket closed
 * mid-query or while connecting, no answer to a new connection within its timeout (pg's "timeout
 * expired"), the pool gave up waiting, the pool or the embedded database closed.
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|(^|- )timeout expired$|connection error and is not queryable|Client was closed and is not queryable|Timeout acquiring a connection|Unable to acquire a connection|PGlite is clos(ed|ing)|instance lease is closed/;

/**
 * Whether an error means the database cannot be reached (as opposed to a query it refused). Looks
 * one level into `cause` and `errors` (AggregateError from a dual-stack connect).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const e = error as PgLikeError | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_STATES.test(e.code)))
    return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (depth > 1) return false;
  if (e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/**
 * 503 database_unavailable with Retry-After. A POST is safe to repeat with the same
 * Idempotency-Key (docs/api.md "Idempotency"); a server fault frees the key.
 */
export function databaseUnavailable(): HttpError {
  return new HttpError(503, 'database_unavailable', {}, undefined, {
    'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

/**
 * Maps PostgreSQL error codes to API problems once, here, so no route leaks SQL text.
 * Returns undefined for anything that is a real server fault.
 */
export function translateDatabaseError(error: unknown): HttpError | undefined {
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  const e = error as PgLikeError;
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  switch (e.code) {
    case '23505':
      return constraint
        ? new HttpError(409, 'conflict.constraint', { constraint })
        : new HttpError(409, 'conflict', {});
    case '23503':
      return new HttpError(422, 'missing_reference', {});
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new HttpError(400, 'invalid_value', {});
    case '57014':
      return new HttpError(503, 'statement_timeout', {});
    case '40001':
    case '40P01':
      return new HttpError(503, 'retry', {});
  }
  return undefined;
}
