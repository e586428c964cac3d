import { purchaseDays, type OrderInput, type PurchaseDay } from './purchase-days';
import * as timeUnits from './time-units';
import { type DateInput, type TimeUnit } from './time-units';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { daysToUnits, toEpochDay } = timeUnits;

/**
 * A customer's history as of a date in the form the models take (docs/domain.md section 5).
 * Durations are fractional periods of `timeUnit`.
 */
export interface PurchaseSummary {
  timeUnit: TimeUnit;
  /** n: purchase-days (same-day orders merged). */
  purchases: number;
  /** x = n - 1: repeat purchases. */
  frequency: number;
  /** t_x: last purchase minus first. */
  recency: number;
  /** T: asOf minus first purchase. */
  T: number;
  /** asOf minus last purchase (T - t_x): the RFM recency and the churn rule's d. */
  sinceLastPurchase: number;
  totalAmount: number;
  /** totalAmount / purchases. */
  averageAmount: number;
  /** c = t_x / x; null for a one-time buyer (no cycle observed yet). */
  averageCycle: number | null;
  /**
   * Gamma-Gamma input: mean spend of the repeat purchase-days (the first purchase excluded,
   * Fader and Hardie 2013 note 025); 0 when x = 0.
   */
  repeatAverageAmount: number;
  firstPurchaseDay: number;
  lastPurchaseDay: number;
}

/**
 * Summarises `orders` as of `asOf`. Returns null when no counted order is dated on or before
 * `asOf`: such a party is not (yet) a customer for the models.
 */
export function summarisePurchases(
  orders: readonly OrderInput[],
  asOf: DateInput,
  timeUnit: TimeUnit,
): PurchaseSummary | null {
  const asOfDay = toEpochDay(asOf);
  return summarisePurchaseDays(purchaseDays(orders, asOfDay), asOfDay, timeUnit);
}

/**
 * The same summary from purchase-days already merged and filtered (oldest first, none after
 * `asOfDay`), as a database aggregate delivers them.
 */
export function summarisePurchaseDays(
  days: readonly PurchaseDay[],
  asOfDay: number,
  timeUnit: TimeUnit,
): PurchaseSummary | null {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return null;

  const purchases = days.length;
  const frequency = purchases - 1;
  const totalAmount = days.reduce((sum, d) => sum + d.amount, 0);
  const recency = daysToUnits(last.day - first.day, timeUnit);
  return {
    timeUnit,
    purchases,
    frequency,
    recency,
    T: daysToUnits(asOfDay - first.day, timeUnit),
    sinceLastPurchase: daysToUnits(asOfDay - last.day, timeUnit),
    totalAmount,
    averageAmount: totalAmount / purchases,
    averageCycle: frequency > 0 ? recency / frequency : null,
    repeatAverageAmount: frequency > 0 ? (totalAmount - first.amount) / frequency : 0,
    firstPurchaseDay: first.day,
    lastPurchaseDay: last.day,
  };
}
