/**
 * Demand forecast (issue 14): each customer's BG/NBD conditional expected purchases in each of
 * the next periods, times its Gamma-Gamma expected spend, summed over the base and per group
 * (a customer may be split over groups by weights that add up to 1, e.g. its category mix).
 * Pure: the fitted parameters and the customers' histories come in.
 */
import { conditionalExpectedPurchases } from '../value/bgnbd-predictions';
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
