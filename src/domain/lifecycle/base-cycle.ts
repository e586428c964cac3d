import { ValueDomainError } from '../value/domain-error';
import { median } from '../value/quantiles';

/**
 * A customer's cycle t_x / x in days: (last purchase day - first) / repeat purchases. Null for a
 * one-time buyer (no repeat: no cycle of their own).
 */
export function customerCycleDays(firstDay: number, lastDay: number, repeats: number): number | null {
  if (!(repeats >= 0) || !Number.isInteger(repeats) || !(lastDay >= firstDay)) {
    throw new ValueDomainError('invalid_input', 'a cycle needs repeats >= 0 and lastDay >= firstDay');
  }
  return repeats === 0 ? null : (lastDay - firstDay) / repeats;
}

/**
 * The base's median cycle in days (docs/lifecycle.md "Churn status"): the median of the repeat
 * buyers' t_x / x, which judges a one-time buyer. Null when nobody bought twice.
 */
export function baseCycleDays(cycles: ArrayLike<number>): number | null {
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i] as number;
    // A repeat buyer's purchase days are distinct whole days, so a cycle is at least one day;
    // zero or less means the caller mixed in a one-time buyer or another unit.
    if (!(c > 0 && c < Infinity)) {
      throw new ValueDomainError('invalid_input', 'a cycle must be a finite number of days > 0');
    }
  }
  return median(cycles);
}
