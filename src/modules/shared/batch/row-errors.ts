import {
  BadRequestError,
  UnprocessableError,
  ValidationError,
  summaryOf,
  type FieldError,
} from '../../../http/http-errors';
import { isMessageKey } from '../../../http/messages/catalogue';

/**
 * Where a row sits in the request: a row of a batch (`body/items/<n>`), or the single body of
 * a create or update (`body`). Every error path is built from it, so every endpoint names
 * the same mistake the same way and imports can map `index` to a line number.
 */
export interface RowPlace {
  index: number;
  batch: boolean;
}

export const singleBody: RowPlace = { index: 0, batch: false };
export const batchRow = (index: number): RowPlace => ({ index, batch: true });

export function fieldPath(place: RowPlace, field: string): string {
  return place.batch ? `body/items/${place.index}/${field}` : `body/${field}`;
}

export interface RowError extends FieldError {
  code: string;
}

/** The codes that the request alone decides, answered 400 (docs/api.md "Batch errors"). */
const REQUEST_CODES = new Set(['validation_failed', 'duplicate_in_batch']);

/**
 * Collects the problems of a batch's rows and throws them as one problem: 400 for what the
 * request alone decides (`validation_failed`, `duplicate_in_batch`), 422 for what needed the
 * database, each with its own code; rows failing with different codes make `invalid_rows`,
 * each entry keeping its code.
 */
export class RowErrors {
  private readonly errors: RowError[] = [];

  add(place: RowPlace, field: string, code: string, message: string): void {
    this.errors.push({
      code,
      path: fieldPath(place, field),
      message,
      ...(place.batch ? { index: place.index } : {}),
    });
  }

  /** A check that needs no database failed: a schema-like refusal. */
  invalid(place: RowPlace, field: string, message: string): void {
    this.add(place, field, 'validation_failed', message);
  }

  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const requestOnly = this.errors.filter((e) => REQUEST_CODES.has(e.code));
    const errors = requestOnly.length > 0 ? requestOnly : this.errors;
    const codes = [...new Set(errors.map((e) => e.code))];
    const code = codes.length === 1 ? codes[0]! : 'invalid_rows';
    const detail = summaryOf(errors);
    const entries: FieldError[] = errors.map((e) => ({ ...e }));
    // A code that also names a single-record problem has a `.rows` variant that summarises.
    const rows = `${code}.rows`;
    // Every row code has its catalogue entry (test/http/messages.test.ts checks the code base).
    const key = isMessageKey(rows) ? rows : isMessageKey(code) ? code : 'invalid_rows';
    if (requestOnly.length === 0) throw new UnprocessableError(key, detail, entries);
    if (code === 'validation_failed') throw new ValidationError(detail, entries);
    throw new BadRequestError(key, detail, entries);
  }
}
