import { HttpError } from '../http/http-errors';

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/**
 * Maps PostgreSQL error codes to API problems once, here, so no route leaks SQL text.
 * Returns undefined for anything that is a real server fault.
 */
export function translateDatabaseError(error: unknown): HttpError | undefined {
  const e = error as PgLikeError;
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  switch (e.code) {
    case '23505':
      return new HttpError(
        409,
        'conflict',
        'Conflict',
        `A record with the same unique value exists${constraint ? ` (${constraint})` : ''}.`,
      );
    case '23503':
      return new HttpError(
        422,
        'missing_reference',
        'Unprocessable request',
        'The request refers to a record that does not exist.',
      );
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new HttpError(
        400,
        'invalid_value',
        'Bad request',
        'A value is out of range or of the wrong form.',
      );
    case '57014':
      return new HttpError(
        503,
        'statement_timeout',
        'Service unavailable',
        'The query took longer than the configured statement timeout.',
      );
    case '40001':
    case '40P01':
      return new HttpError(
        503,
        'retry',
        'Service unavailable',
        'A concurrent change conflicted; retry the request.',
      );
  }
  return undefined;
}
