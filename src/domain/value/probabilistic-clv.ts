import * as fastMath from './fast-math';
import { aliveProbability, checkedExpectation, expectedIfAlive } from './bgnbd-predictions';
import { assertBgnbdParams, type BgnbdParams } from './bgnbd-likelihood';
import { discountFactor, monthlyDiscountRate } from './discounting';
import * as domainErrors from './domain-error';
import { ValueDomainError } from './domain-error';
import { assertRepeatHistory, type RepeatHistory } from './model-inputs';
import { unitsPerMonth, type TimeUnit } from './time-units';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireNonNegative } = domainErrors;
const { POSITIVE_INFINITY, isInteger } = fastMath;

/** What the potential value of every customer of a run shares. */
export interface ClvHorizon {
  bgnbd: BgnbdParams;
  /** The unit the BG/NBD parameters were fitted in, and customers' (x, t_x, T) are given in. */
  timeUnit: TimeUnit;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
}

export interface ProbabilisticClvInput extends ClvHorizon {
  customer: RepeatHistory;
  /** Expected spend per purchase (Gamma-Gamma, or the customer's average amount without it). */
  expectedSpend: number;
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
  const plan = planHorizon(input);
  requireNonNegative(input.expectedSpend, 'expectedSpend');
  if (plan.months === 0) return { value: 0, expectedPurchases: 0 };
  assertBgnbdParams(input.bgnbd);
  assertRepeatHistory(input.customer);
  const ifAlive = expectedIfAliveByMonth(plan, input.customer.frequency, input.customer.T);
  return monthlyValue(plan, ifAlive, aliveProbability(input.bgnbd, input.customer), input.expectedSpend);
}

export interface CustomerClv extends ProbabilisticClv {
  /** P(alive) now, as `probabilityAlive` gives it. */
  pAlive: number;
}

/**
 * `probabilityAlive` and `probabilisticClv` for every customer of a run, with the same results
 * (to the last bit) at a fraction of the cost; see `clvScorer`.
 */
export function probabilisticClvs(
  customers: readonly RepeatHistory[],
  expectedSpends: readonly number[],
  horizon: ClvHorizon,
): CustomerClv[] {
  const score = clvScorer(horizon);
  return customers.map((customer, i) => score(customer, expectedSpends[i] ?? NaN));
}

/**
 * A scorer for the customers of one run, fed in any number of batches: the checks of the
 * horizon run once, and E[Y(t)] / P(alive), the hypergeometric part, depends on x and T alone,
 * which real customers share in large numbers (T is a count of days), so it is computed once
 * per distinct (x, T) and kept for the scorer's life.
 */
export function clvScorer(
  horizon: ClvHorizon,
): (customer: RepeatHistory, expectedSpend: number) => CustomerClv {
  const plan = planHorizon(horizon);
  assertBgnbdParams(horizon.bgnbd);
  const byFrequency = new Map<number, Map<number, Float64Array>>();
  return (customer, expectedSpend) => {
    assertRepeatHistory(customer);
    const spend = requireNonNegative(expectedSpend, 'expectedSpend');
    const pAlive = aliveProbability(horizon.bgnbd, customer);
    if (plan.months === 0) return { pAlive, value: 0, expectedPurchases: 0 };
    let byT = byFrequency.get(customer.frequency);
    if (!byT) byFrequency.set(customer.frequency, (byT = new Map()));
    let ifAlive = byT.get(customer.T);
    if (!ifAlive)
      byT.set(customer.T, (ifAlive = expectedIfAliveByMonth(plan, customer.frequency, customer.T)));
    const { value, expectedPurchases } = monthlyValue(plan, ifAlive, pAlive, spend);
    return { pAlive, value, expectedPurchases };
  };
}

interface HorizonPlan {
  params: BgnbdParams;
  months: number;
  perMonth: number;
  margin: number;
  /** discounts[k - 1]: the discount factor of month k. */
  discounts: Float64Array;
}

function planHorizon(horizon: ClvHorizon): HorizonPlan {
  const months = horizon.horizonMonths;
  if (!isInteger(months) || months < 0) {
    throw new ValueDomainError('invalid_input', 'horizonMonths must be an integer >= 0');
  }
  requireNonNegative(horizon.margin, 'margin');
  const monthlyRate = monthlyDiscountRate(horizon.annualDiscountRate);
  const discounts = new Float64Array(months);
  for (let k = 1; k <= months; k++) discounts[k - 1] = discountFactor(monthlyRate, k);
  return {
    params: horizon.bgnbd,
    months,
    perMonth: unitsPerMonth(horizon.timeUnit),
    margin: horizon.margin,
    discounts,
  };
}

/** E[Y(k m)] / P(alive) at the end of every month k of the horizon (equation 10). */
function expectedIfAliveByMonth(
  { params, months, perMonth }: HorizonPlan,
  x: number,
  T: number,
): Float64Array {
  const { r, alpha, a, b } = params;
  const ifAlive = new Float64Array(months);
  for (let k = 1; k <= months; k++) {
    const t = k * perMonth;
    ifAlive[k - 1] = expectedIfAlive(r, a, b, x, t / (alpha + T + t));
  }
  return ifAlive;
}

function monthlyValue(plan: HorizonPlan, ifAlive: Float64Array, pAlive: number, spend: number) {
  // Read once per call: tsx compiles imported bindings to getters, too slow once per month.
  const { max } = fastMath;
  const worth = spend * plan.margin;
  let value = 0;
  let before = 0;
  for (let k = 1; k <= plan.months; k++) {
    const upTo = (ifAlive[k - 1] as number) * pAlive;
    if (!(upTo >= 0 && upTo < POSITIVE_INFINITY)) checkedExpectation(upTo); // throws
    // The cumulative expectation is increasing; clamp rounding noise so no month is negative.
    value += max(0, upTo - before) * worth * (plan.discounts[k - 1] as number);
    before = max(before, upTo);
  }
  return { value, expectedPurchases: before };
}
