import * as fastMath from './fast-math';
import * as domainErrors from './domain-error';
import { ValueDomainError } from './domain-error';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireFinite, requireNonNegative } = domainErrors;
const { exp, log1p, pow } = fastMath;

/** docs/api.md "Analytics runs and the value card": the monthly rate equivalent to an annual one, (1 + annual)^(1/12) - 1. */
export function monthlyDiscountRate(annualRate: number): number {
  requireDiscountRate(annualRate);
  return pow(1 + annualRate, 1 / 12) - 1;
}

/** 1 / (1 + rate)^periods; negative periods (the past) compound instead of discount. */
export function discountFactor(ratePerPeriod: number, periods: number): number {
  requireDiscountRate(ratePerPeriod);
  requireFinite(periods, 'periods');
  return exp(-periods * log1p(ratePerPeriod));
}

/** A net contribution S_i and when it falls, in periods from the valuation date. */
export interface Contribution {
  amount: number;
  periods: number;
}

/**
 * The sources' formula 1: CV = sum_i S_i / (1 + r)^(t_i), with t_i counted from the
 * valuation date in the periods `ratePerPeriod` is quoted for (t_i < 0 for the past).
 */
export function discountedValue(contributions: readonly Contribution[], ratePerPeriod: number): number {
  requireDiscountRate(ratePerPeriod);
  let value = 0;
  for (const { amount, periods } of contributions) {
    value += requireFinite(amount, 'a contribution') * discountFactor(ratePerPeriod, periods);
  }
  return value;
}

/** A rate per period, a fraction in [0, 1]; returned for chaining. */
export function requireDiscountRate(rate: number): number {
  requireNonNegative(rate, 'a discount rate');
  // Rates above 100% a period are almost certainly a percentage passed as a fraction.
  if (rate > 1)
    throw new ValueDomainError('invalid_input', 'a discount rate is a fraction, at most 1 (100%)');
  return rate;
}
