import type { OrderSettlement } from './allocation';

/** Age of an open amount in days since the order (invoice) day. */
export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type Aging = Record<AgingBucket, bigint>;

/** 0-30, 31-60, 61-90 and over 90 days since the order day; orders dated after asOf count as 0. */
export function bucketOf(ageDays: number): AgingBucket {
  if (ageDays <= 30) return '0-30';
  if (ageDays <= 60) return '31-60';
  if (ageDays <= 90) return '61-90';
  return '90+';
}

export function agingBuckets(settlements: readonly OrderSettlement[], asOfDay: number): Aging {
  const aging: Aging = { '0-30': 0n, '31-60': 0n, '61-90': 0n, '90+': 0n };
  for (const s of settlements) {
    if (s.open > 0n) aging[bucketOf(asOfDay - s.orderedDay)] += s.open;
  }
  return aging;
}

export interface Overdue {
  /** Open amount of orders whose due day has passed (asOfDay > dueDay). */
  amount: bigint;
  /** Days past due of the oldest overdue order; 0 when nothing is overdue. */
  days: number;
  /** The largest single overdue open amount. */
  largest: bigint;
}

export function overdueOf(settlements: readonly OrderSettlement[], asOfDay: number): Overdue {
  let amount = 0n;
  let days = 0;
  let largest = 0n;
  for (const s of settlements) {
    if (s.open <= 0n || asOfDay <= s.dueDay) continue;
    amount += s.open;
    days = Math.max(days, asOfDay - s.dueDay);
    if (s.open > largest) largest = s.open;
  }
  return { amount, days, largest };
}
