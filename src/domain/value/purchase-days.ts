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
  const buffer = new PurchaseDayBuffer();
  for (const order of orders) {
    if (order.status != null && EXCLUDED_ORDER_STATUSES.has(order.status.toLowerCase())) continue;
    if (!Number.isFinite(order.amount)) {
      throw new ValueDomainError('invalid_input', 'an order amount must be a finite number');
    }
    const day = utcEpochDayOf(order.orderedAt);
    if (day > asOfDay) continue;
    buffer.add(day, order.amount);
  }
  return buffer.days();
}

/**
 * A customer's purchase-days built from (day, amount) pairs in any order (same-day amounts
 * summed, oldest first), with its storage reused from one customer to the next (`reset`): a
 * run reads a million customers' orders and keeps none of them. `purchaseDays` uses a fresh one. Pairs in date order (as an index delivers them)
 * cost one comparison each; others are sorted (stably, so same-day amounts add up in the
 * same order) when the days are read.
 */
export class PurchaseDayBuffer {
  private readonly entries: PurchaseDay[] = [];
  private count = 0;
  private ordered = true;

  add(day: number, amount: number): void {
    if (!Number.isInteger(day) || !Number.isFinite(amount)) {
      throw new ValueDomainError('invalid_input', 'a purchase needs an integer day and a finite amount');
    }
    const last = this.count > 0 ? (this.entries[this.count - 1] as PurchaseDay) : null;
    if (last && last.day === day && this.ordered) {
      last.amount += amount;
      return;
    }
    if (last && last.day > day) this.ordered = false;
    const entry = this.entries[this.count];
    if (entry) {
      entry.day = day;
      entry.amount = amount;
    } else this.entries.push({ day, amount });
    this.count++;
  }

  /**
   * The purchase-days added since the last reset, oldest first, same days merged. The array is
   * new; its objects are the buffer's and change at the next reset: copy what must be kept.
   */
  days(): PurchaseDay[] {
    const days = this.entries.slice(0, this.count);
    if (this.ordered) return days;
    days.sort((x, y) => x.day - y.day);
    const merged: PurchaseDay[] = [];
    for (const d of days) {
      const last = merged[merged.length - 1];
      if (last && last.day === d.day) last.amount += d.amount;
      else merged.push(d);
    }
    return merged;
  }

  reset(): void {
    this.count = 0;
    this.ordered = true;
  }
}
