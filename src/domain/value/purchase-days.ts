import { ValueDomainError } from './domain-error';
import { toEpochDay, utcEpochDayOf, type DateInput } from './time-units';

/** One order as the value core sees it: when, how much, and whether it still counts. */
export interface OrderInput {
  orderedAt: Date | string;
  amount: number;
  status?: string | null;
}

/** Orders in these states never happened as far as value is concerned. */
export const EXCLUDED_ORDER_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'canceled', 'returned']);

/** A purchase-day: every counted order of one UTC calendar day, amounts summed. */
export interface PurchaseDay {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  amount: number;
}

/**
 * The customer's purchase-days on or before `asOf`, oldest first. Same-UTC-day orders are one
 * purchase (the papers' convention: several orders in one session are one buying occasion);
 * cancelled and returned orders are dropped; so are orders dated after `asOf`.
 */
export function purchaseDays(orders: readonly OrderInput[], asOf: DateInput): PurchaseDay[] {
  const asOfDay = toEpochDay(asOf);
  const byDay = new Map<number, number>();
  for (const order of orders) {
    if (order.status != null && EXCLUDED_ORDER_STATUSES.has(order.status.toLowerCase())) continue;
    if (!Number.isFinite(order.amount)) {
      throw new ValueDomainError('invalid_input', 'an order amount must be a finite number');
    }
    const day = utcEpochDayOf(order.orderedAt);
    if (day > asOfDay) continue;
    byDay.set(day, (byDay.get(day) ?? 0) + order.amount);
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, amount]) => ({ day, amount }));
}

/**
 * Purchase-days from counted orders already reduced to (day, amount) pairs in any order, as
 * `days[k]` and `amounts[k]`: same-day amounts summed, oldest first. The day filter is the
 * caller's (a database query applies it).
 */
export function mergeSameDays(days: readonly number[], amounts: readonly number[]): PurchaseDay[] {
  const merged: PurchaseDay[] = [];
  const order = days.map((_, k) => k);
  // Orders usually arrive oldest first: then this is one pass and no sort.
  if (!days.every((d, k) => k === 0 || (days[k - 1] as number) <= d)) {
    order.sort((i, j) => (days[i] as number) - (days[j] as number));
  }
  for (const k of order) {
    const day = days[k] as number;
    const amount = amounts[k] as number;
    if (!Number.isInteger(day) || !Number.isFinite(amount)) {
      throw new ValueDomainError('invalid_input', 'a purchase needs an integer day and a finite amount');
    }
    const last = merged[merged.length - 1];
    if (last && last.day === day) last.amount += amount;
    else merged.push({ day, amount });
  }
  return merged;
}
