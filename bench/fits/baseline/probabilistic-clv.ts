import { isInteger, max } from '../../../src/domain/value/fast-math';
import { conditionalExpectedPurchases } from './bgnbd-predictions';
import type { BgnbdParams } from './bgnbd-likelihood';
import { discountFactor, monthlyDiscountRate } from '../../../src/domain/value/discounting';
import { requireNonNegative, ValueDomainError } from '../../../src/domain/value/domain-error';
import type { RepeatHistory } from './model-inputs';
import { unitsPerMonth, type TimeUnit } from '../../../src/domain/value/time-units';

export interface ProbabilisticClvInput {
  bgnbd: BgnbdParams;
  /** The customer's (x, t_x, T) in `timeUnit`, the unit the BG/NBD parameters were fitted in. */
  customer: RepeatHistory;
  timeUnit: TimeUnit;
  /** Expected spend per purchase (Gamma-Gamma, or the customer's average amount without it). */
  expectedSpend: number;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
}

export interface ProbabilisticClv {
  /** The potential value: discounted expected contribution over the horizon. */
  value: number;
  /** Undiscounted purchases expected over the whole horizon. */
  expectedPurchases: number;
}

/**
 * Potential value (docs/api.md "Analytics runs and the value card"): month k = 1..H contributes the purchases expected in months
 * (k-1, k], E[Y(k m)] - E[Y((k-1) m)] with m units per month, times the expected spend and the
 * margin, discounted by (1 + monthly rate)^k, i.e. as if paid at the end of its month.
 */
export function probabilisticClv(input: ProbabilisticClvInput): ProbabilisticClv {
  const months = input.horizonMonths;
  if (!isInteger(months) || months < 0) {
    throw new ValueDomainError('invalid_input', 'horizonMonths must be an integer >= 0');
  }
  requireNonNegative(input.expectedSpend, 'expectedSpend');
  requireNonNegative(input.margin, 'margin');
  const monthlyRate = monthlyDiscountRate(input.annualDiscountRate);
  const perMonth = unitsPerMonth(input.timeUnit);
  const worth = input.expectedSpend * input.margin;
  let value = 0;
  let before = 0;
  for (let k = 1; k <= months; k++) {
    const upTo = conditionalExpectedPurchases(input.bgnbd, input.customer, k * perMonth);
    // The cumulative expectation is increasing; clamp rounding noise so no month is negative.
    value += max(0, upTo - before) * worth * discountFactor(monthlyRate, k);
    before = max(before, upTo);
  }
  return { value, expectedPurchases: before };
}
