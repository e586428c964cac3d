/**
 * Which payment settles which order. Money is bigint units of 1/10,000 in the reporting
 * currency; days are whole UTC days since 1970-01-01 (the caller converts timestamps).
 *
 * Rules:
 * 1. Only open orders (placed, shipped) are receivables; the caller leaves cancelled and
 *    returned ones out, so an explicit allocation to one of them is freed.
 * 2. Payments are taken oldest first (receivedDay, then id). Each one's explicit allocations
 *    are applied first, each capped at what the order still owes and at what is left of
 *    the payment; whatever is left goes to the pool.
 * 3. The pool (every payment's remainder, oldest first) settles the oldest open orders
 *    (orderedDay, then id), FIFO. What is still left is unapplied: a credit balance.
 * 4. An order is paid on the day the last payment that settled it arrived, but never
 *    before the day it was ordered (a prepayment settles it on its order day).
 */
export interface ReceivableOrder {
  id: string;
  orderedDay: number;
  dueDay: number;
  amount: bigint;
}

export interface ExplicitAllocation {
  orderId: string;
  amount: bigint;
}

export interface ReceivablePayment {
  id: string;
  receivedDay: number;
  /** Net of refunds. */
  amount: bigint;
  allocations: readonly ExplicitAllocation[];
}

export interface OrderSettlement {
  orderId: string;
  orderedDay: number;
  dueDay: number;
  amount: bigint;
  paid: bigint;
  open: bigint;
  /** Day it became fully paid; null while anything is open. */
  paidDay: number | null;
}

export interface AllocationResult {
  /** Oldest first. */
  settlements: OrderSettlement[];
  /** Payments not applied to any order: a credit balance in the customer's favour. */
  unapplied: bigint;
}

const byDayThenId =
  <T extends { id: string }>(day: (x: T) => number) =>
  (a: T, b: T) =>
    day(a) - day(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const minOf = (...values: bigint[]) => values.reduce((m, v) => (v < m ? v : m));

export function allocatePayments(
  orders: readonly ReceivableOrder[],
  payments: readonly ReceivablePayment[],
): AllocationResult {
  const sortedOrders = [...orders].sort(byDayThenId((o) => o.orderedDay));
  const sortedPayments = [...payments].sort(byDayThenId((p) => p.receivedDay));
  const state = new Map(
    sortedOrders.map((o) => [
      o.id,
      { order: o, open: o.amount > 0n ? o.amount : 0n, lastDay: null as number | null },
    ]),
  );
  const apply = (orderId: string, amount: bigint, day: number) => {
    const s = state.get(orderId)!;
    s.open -= amount;
    s.lastDay = s.lastDay === null ? day : Math.max(s.lastDay, day);
  };

  const pool: Array<{ day: number; left: bigint }> = [];
  for (const payment of sortedPayments) {
    let left = payment.amount > 0n ? payment.amount : 0n;
    for (const allocation of payment.allocations) {
      const s = state.get(allocation.orderId);
      if (!s || left === 0n || allocation.amount <= 0n) continue;
      const take = minOf(allocation.amount, s.open, left);
      if (take > 0n) {
        apply(allocation.orderId, take, payment.receivedDay);
        left -= take;
      }
    }
    if (left > 0n) pool.push({ day: payment.receivedDay, left });
  }

  let head = 0;
  for (const order of sortedOrders) {
    const s = state.get(order.id)!;
    while (s.open > 0n && head < pool.length) {
      const source = pool[head]!;
      const take = minOf(source.left, s.open);
      apply(order.id, take, source.day);
      source.left -= take;
      if (source.left === 0n) head += 1;
    }
  }

  const settlements = sortedOrders.map((order) => {
    const s = state.get(order.id)!;
    const amount = order.amount > 0n ? order.amount : 0n;
    return {
      orderId: order.id,
      orderedDay: order.orderedDay,
      dueDay: order.dueDay,
      amount,
      paid: amount - s.open,
      open: s.open,
      paidDay: s.open === 0n ? Math.max(order.orderedDay, s.lastDay ?? order.orderedDay) : null,
    };
  });
  let unapplied = 0n;
  for (const source of pool) unapplied += source.left;
  return { settlements, unapplied };
}
