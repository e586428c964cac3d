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
