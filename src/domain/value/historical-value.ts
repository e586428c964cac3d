import { discountedValue } from './discounting';
import { requireNonNegative } from './domain-error';
import type { PurchaseDay } from './purchase-days';
import { DAYS_PER_YEAR, toEpochDay, type DateInput } from './time-units';

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
 * annual rate (S_i (1 + r)^age). With r = 0 both values are plain sums of contributions.
 * Purchase-days after asOf are ignored (`purchaseDays` already drops them).
 */
export function historicalValue(
  days: readonly PurchaseDay[],
  options: HistoricalValueOptions,
): HistoricalValue {
  const asOfDay = toEpochDay(options.asOf);
  const margin = requireNonNegative(options.margin, 'margin');
  const past = days.filter((d) => d.day <= asOfDay);
  const toContribution = (d: PurchaseDay) => ({
    amount: d.amount * margin,
    periods: -(asOfDay - d.day) / DAYS_PER_YEAR,
  });
  const lastYear = past.filter((d) => asOfDay - d.day < DAYS_PER_YEAR);
  return {
    historical: discountedValue(past.map(toContribution), options.annualDiscountRate),
    current: discountedValue(lastYear.map(toContribution), options.annualDiscountRate),
  };
}
