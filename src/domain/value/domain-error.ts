/**
 * Why a value calculation could not give a number. The codes are stable: the API maps every
 * one of them to a 422 problem+json with the same `code`.
 */
export type ValueErrorCode =
  /** The inputs are well formed but too few or too uniform to estimate anything. */
  | 'insufficient_data'
  /** An input is malformed: a bad date, a negative count, a non-finite amount. */
  | 'invalid_input'
  /** The model exists but the asked quantity does not (e.g. mean spend when q <= 1). */
  | 'undefined_expectation'
  /** Maximum likelihood found no interior maximum (parameters ran off to 0 or infinity). */
  | 'fit_failed';

export class ValueDomainError extends Error {
  readonly code: ValueErrorCode;

  constructor(code: ValueErrorCode, message: string) {
    super(message);
    this.name = 'ValueDomainError';
    this.code = code;
  }
}

/** Throws `invalid_input` unless `value` is a finite number. */
export function requireFinite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new ValueDomainError('invalid_input', `${what} must be a finite number`);
  return value;
}

/** Throws `invalid_input` unless `value` is finite and >= 0. */
export function requireNonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ValueDomainError('invalid_input', `${what} must be a finite number >= 0`);
  }
  return value;
}
