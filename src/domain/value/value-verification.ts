import { discountFactor, monthlyDiscountRate } from './discounting';
import * as domainErrors from './domain-error';
import { unitsPerMonth, type TimeUnit } from './time-units';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireNonNegative } = domainErrors;

export interface ValueVerificationInput {
  /** c in `timeUnit`; null for a one-time buyer. */
  averageCycle: number | null;
  averageAmount: number;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
  timeUnit: TimeUnit;
}

export interface ValueVerification {
  /** H / c: purchases expected over the horizon. */
  expectedPurchases: number;
  /** Their discounted contribution. */
  value: number;
}

/**
 * The sources' formula 2 (value verification): from asOf the customer keeps buying every c
 * periods at the average amount. Placement in time (so the discounting is reproducible):
 * purchase k = 1 .. floor(H/c) falls at k x c after asOf; the remaining fraction
 * H/c - floor(H/c) counts as that fraction of one purchase at the end of the horizon H.
 * So exactly H/c purchases are counted, none later than H. Each is worth averageAmount x margin,
 * discounted at the monthly rate for its time in months. A one-time buyer has no cycle yet:
 * 0 expected purchases, value 0 (pass the base's median cycle if a guess is wanted).
 */
export function valueVerification(input: ValueVerificationInput): ValueVerification {
  requireNonNegative(input.horizonMonths, 'horizonMonths');
  requireNonNegative(input.averageAmount, 'averageAmount');
  requireNonNegative(input.margin, 'margin');
  const monthlyRate = monthlyDiscountRate(input.annualDiscountRate);
  const cycle = input.averageCycle;
  if (cycle === null || input.horizonMonths === 0) return { expectedPurchases: 0, value: 0 };
  requireNonNegative(cycle, 'averageCycle');
  if (cycle === 0) return { expectedPurchases: 0, value: 0 };

  const perMonth = unitsPerMonth(input.timeUnit);
  const horizon = input.horizonMonths * perMonth;
  const expectedPurchases = horizon / cycle;
  const whole = Math.floor(expectedPurchases);
  const worth = input.averageAmount * input.margin;
  // Geometric series in closed form: the loop over k would be unbounded for a tiny cycle.
  const step = discountFactor(monthlyRate, cycle / perMonth);
  let value = step === 1 ? worth * whole : (worth * step * -Math.expm1(whole * Math.log(step))) / (1 - step);
  const fraction = expectedPurchases - whole;
  if (fraction > 0) value += fraction * worth * discountFactor(monthlyRate, input.horizonMonths);
  return { expectedPurchases, value };
}
