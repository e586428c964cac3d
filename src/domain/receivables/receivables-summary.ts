import { agingBuckets, overdueOf, type Aging, type Overdue } from './aging';
import {
  allocatePayments,
  type OrderSettlement,
  type ReceivableOrder,
  type ReceivablePayment,
} from './allocation';

export interface ReceivablesSummary {
  /** Open order amounts minus unapplied payments: negative is a credit balance. */
  outstanding: bigint;
  openOrders: bigint;
  unapplied: bigint;
  overdue: Overdue;
  aging: Aging;
  settlements: OrderSettlement[];
}

/** A customer's receivables on `asOfDay` (all money in the reporting currency). */
export function summariseReceivables(
  orders: readonly ReceivableOrder[],
  payments: readonly ReceivablePayment[],
  asOfDay: number,
): ReceivablesSummary {
  const { settlements, unapplied } = allocatePayments(orders, payments);
  let openOrders = 0n;
  for (const s of settlements) openOrders += s.open;
  return {
    outstanding: openOrders - unapplied,
    openOrders,
    unapplied,
    overdue: overdueOf(settlements, asOfDay),
    aging: agingBuckets(settlements, asOfDay),
    settlements,
  };
}
