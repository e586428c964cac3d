import * as fastMath from './fast-math';
import { ValueDomainError } from './domain-error';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { isFinite, isInteger } = fastMath;

/**
 * What BG/NBD needs of a customer: x repeat purchases, the last at t_x, observed for T since
 * the first purchase (a PurchaseSummary has these fields and can be passed as it is).
 */
export interface RepeatHistory {
  frequency: number;
  recency: number;
  T: number;
}

/** What Gamma-Gamma needs: x repeat purchases and their mean spend. */
export interface SpendHistory {
  frequency: number;
  repeatAverageAmount: number;
}

/** Rounding slack when t_x and T come from the same division by days per unit. */
const TIME_SLACK = 1e-9;

export function assertRepeatHistory(c: RepeatHistory): void {
  if (!isInteger(c.frequency) || c.frequency < 0) {
    throw new ValueDomainError('invalid_input', 'frequency must be an integer >= 0');
  }
  if (!isFinite(c.T) || c.T < 0) throw new ValueDomainError('invalid_input', 'T must be finite and >= 0');
  if (c.frequency > 0 && !(isFinite(c.recency) && c.recency >= 0 && c.recency <= c.T + TIME_SLACK)) {
    throw new ValueDomainError('invalid_input', 'recency must lie in [0, T]');
  }
}
