/**
 * Demand forecast (issue 14): each customer's BG/NBD conditional expected purchases in each of
 * the next periods, times its Gamma-Gamma expected spend, summed over the base and per group
 * (a customer may be split over groups by weights that add up to 1, e.g. its category mix).
 * Pure: the fitted parameters and the customers' histories come in.
 */
import { conditionalExpectedPurchases, expectedPurchasesNewCustomer } from '../value/bgnbd-predictions';
import type { BgnbdParams } from '../value/bgnbd-likelihood';
import type { RepeatHistory } from '../value/model-inputs';

export const DAYS_PER_HORIZON = { month: 30.4375, quarter: 91.3125 } as const;
export type Horizon = keyof typeof DAYS_PER_HORIZON;

/** Period k ends `ends[k]` whole days after the forecast's start (rounded from k x its length). */
export function periodEnds(horizon: Horizon, periods: number): number[] {
  return Array.from({ length: periods }, (_, k) => Math.round((k + 1) * DAYS_PER_HORIZON[horizon]));
}

export interface ForecastCustomer {
  history: RepeatHistory;
  /** Expected spend per purchase (Gamma-Gamma), in the reporting currency. */
  spend: number;
  /** The groups the customer counts in, with weights adding up to 1. */
  groups: ReadonlyArray<{ key: string | null; weight: number }>;
}

/** Purchases expected in each period: differences of E[Y(t)] at the period ends (in model units). */
export function periodPurchases(
  params: BgnbdParams,
  history: RepeatHistory,
  ends: readonly number[],
  daysPerUnit: number,
): number[] {
  let before = 0;
  return ends.map((days) => {
    const cumulative = conditionalExpectedPurchases(params, history, days / daysPerUnit);
    const increment = Math.max(0, cumulative - before);
    before = Math.max(before, cumulative);
    return increment;
  });
}

export interface PeriodSums {
  purchases: number[];
  revenue: number[];
}

export interface Forecast {
  total: PeriodSums;
  groups: Map<string | null, PeriodSums>;
  customers: number;
}

const zeros = (n: number): PeriodSums => ({ purchases: Array(n).fill(0), revenue: Array(n).fill(0) });

/** The sum over the customers of their expectations, in total and per group. */
export function forecast(
  params: BgnbdParams,
  customers: Iterable<ForecastCustomer>,
  ends: readonly number[],
  daysPerUnit: number,
): Forecast {
  const total = zeros(ends.length);
  const groups = new Map<string | null, PeriodSums>();
  let count = 0;
  for (const customer of customers) {
    count++;
    const purchases = periodPurchases(params, customer.history, ends, daysPerUnit);
    for (let k = 0; k < ends.length; k++) {
      total.purchases[k]! += purchases[k]!;
      total.revenue[k]! += purchases[k]! * customer.spend;
    }
    for (const { key, weight } of customer.groups) {
      const sums = groups.get(key) ?? zeros(ends.length);
      for (let k = 0; k < ends.length; k++) {
        sums.purchases[k]! += purchases[k]! * weight;
        sums.revenue[k]! += purchases[k]! * customer.spend * weight;
      }
      groups.set(key, sums);
    }
  }
  return { total, groups, customers: count };
}

/** Mean absolute percentage error over the periods with an actual above 0; null without one. */
export function mape(actual: readonly number[], forecasted: readonly number[]): number | null {
  let sum = 0;
  let n = 0;
  actual.forEach((a, k) => {
    if (a > 0) {
      sum += Math.abs(a - forecasted[k]!) / a;
      n++;
    }
  });
  return n === 0 ? null : sum / n;
}

/** What customers acquired during the forecast are expected to bring, period by period. */
export interface NewCustomerPeriods {
  /** Customers expected to arrive in the period (the rate x its days). */
  customers: number[];
  /** Their first purchases plus the repeat purchases of everyone arrived so far, in the period. */
  purchases: number[];
  /** The repeat purchases alone (BG/NBD E[X(t)] integrated over the arrival times). */
  repeatPurchases: number[];
}

/** Subintervals of the composite Simpson rule per period (even). */
export const SIMPSON_STEPS = 64;

/**
 * Customers arriving at `perDay` a day, uniformly over the forecast (docs/reports.md "New
 * customers"). A customer arriving at s makes its first purchase then and E[X(t - s)] repeat
 * purchases by t (BG/NBD unconditional expectation, Fader, Hardie and Lee 2005, equation 9:
 * `expectedPurchasesNewCustomer`). The arrivals in [0, t] make
 *   R(t) = perDay x integral_0^t E[X(t - s)] ds = perDay x integral_0^t E[X(u)] du
 * repeat purchases by t, so a period (t0, t1] gets perDay x integral_t0^t1 E[X(u)] du: the
 * integral is taken by the composite Simpson rule with SIMPSON_STEPS subintervals per period
 * (E[X] is smooth and slowly bending: the rule's error is below 1e-9 of the value here).
 * `ends` are the periods' ends in days, `daysPerUnit` the model's unit.
 */
export function newCustomerPeriods(
  params: BgnbdParams,
  perDay: number,
  ends: readonly number[],
  daysPerUnit: number,
): NewCustomerPeriods {
  const customers: number[] = [];
  const purchases: number[] = [];
  const repeatPurchases: number[] = [];
  const expected = (days: number) => expectedPurchasesNewCustomer(params, days / daysPerUnit);
  let start = 0;
  for (const end of ends) {
    const repeats = perDay === 0 ? 0 : perDay * simpson(expected, start, end, SIMPSON_STEPS);
    const arrivals = perDay * (end - start);
    customers.push(arrivals);
    repeatPurchases.push(repeats);
    purchases.push(arrivals + repeats);
    start = end;
  }
  return { customers, purchases, repeatPurchases };
}

/** Composite Simpson rule for the integral of f over [from, to] with `steps` (even) subintervals. */
export function simpson(f: (x: number) => number, from: number, to: number, steps: number): number {
  if (to <= from) return 0;
  const n = steps % 2 === 0 ? steps : steps + 1;
  const h = (to - from) / n;
  let sum = f(from) + f(to);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}
