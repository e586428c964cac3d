import { requireDiscountRate } from './discounting';
import * as domainErrors from './domain-error';
import * as fastMath from './fast-math';
import type { PurchaseDay } from './purchase-days';
import { DAYS_PER_YEAR, toEpochDay, type DateInput } from './time-units';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireFinite, requireNonNegative } = domainErrors;
const { log1p } = fastMath;

export interface HistoricalValueOptions {
  asOf: DateInput;
  annualDiscountRate: number;
  /** Share of revenue that is contribution (S_i = amount x margin). */
  margin: number;
}

export interface HistoricalValue {
  /** Every past contribution, valued at asOf. */
  historical: number;
  /** Contributions of the last 12 months (365.25 days before asOf, exclusive), valued at asOf. */
  current: number;
}

/**
 * Formula 1 on the past: each purchase-day's contribution S_i = amount x margin, placed at
 * t_i = -(asOf - day) / 365.25 years, so a past contribution is carried forward to asOf at the
 * annual rate (S_i (1 + r)^age); the same factor as `discountFactor(r, t_i)`, computed with one
 * exp per purchase-day because a run values every purchase of every customer. With r = 0 both
 * values are plain sums of contributions. Purchase-days after asOf are ignored.
 */
export function historicalValue(
  days: readonly PurchaseDay[],
  options: HistoricalValueOptions,
): HistoricalValue {
  const asOfDay = toEpochDay(options.asOf);
  const margin = requireNonNegative(options.margin, 'margin');
  const logGrowth = log1p(requireDiscountRate(options.annualDiscountRate));
  // Bound once: imported bindings are property reads per use once compiled to CommonJS.
  const { exp, isFinite } = fastMath;
  const year = DAYS_PER_YEAR;
  let historical = 0;
  let current = 0;
  for (const d of days) {
    const age = asOfDay - d.day;
    if (age < 0) continue;
    const contribution = d.amount * margin;
    if (!isFinite(contribution)) requireFinite(contribution, 'a contribution'); // throws
    const value = contribution * exp((age / year) * logGrowth);
    historical += value;
    if (age < year) current += value;
  }
  return { historical, current };
}
