import type { ChurnStatus } from './lifecycle-types';

/**
 * The churn status a purchase day leaves (docs/lifecycle.md "Churn status"): the first purchase
 * ever acquires the customer whatever stood before it; a later one wins back a churned
 * customer, brings an at-risk or won-back one to active, and leaves an active one active.
 */
export function churnAfterPurchase(status: ChurnStatus | null, firstEver: boolean): ChurnStatus {
  if (firstEver) return 'active';
  return status === 'churned' ? 'won_back' : 'active';
}

/**
 * The day a threshold rule fires after the purchase day `lastDay`: the first day with
 * d > factor x c, i.e. lastDay + floor(factor x c) + 1. The cycle c is span / repeats for a repeat
 * buyer (t_x / x as it stood on that day) and the base's median cycle for a one-time buyer so
 * far; without either the rule never fires (Infinity: no day is after it).
 *
 * factor x span is formed before dividing: with whole factors it is an exact integer, so a
 * cycle like 10/3 days gives 3 x 10 / 3 = 10 exactly, where 3 x (10/3) could land a hair above
 * or below and move the day by one.
 */
export function thresholdDay(
  lastDay: number,
  span: number,
  repeats: number,
  factor: number,
  baseCycle: number | null,
): number {
  if (repeats > 0) return lastDay + Math.floor((factor * span) / repeats) + 1;
  if (baseCycle === null) return Infinity;
  return lastDay + Math.floor(factor * baseCycle) + 1;
}

/** Whether a rule may move `status` to at risk: only an active or won-back customer lapses into it. */
export function mayBecomeAtRisk(status: ChurnStatus | null): boolean {
  return status === 'active' || status === 'won_back';
}

/** Whether a rule (or the model) may churn `status`: anyone acquired and not churned already. */
export function mayBecomeChurned(status: ChurnStatus | null): boolean {
  return status === 'active' || status === 'won_back' || status === 'at_risk';
}
