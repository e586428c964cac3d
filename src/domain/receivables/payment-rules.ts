import { convertUnits, fromUnits, normalizeMoney, normalizeRate, toUnits } from '../money';

/** A rule a payment breaks, at the field of the request that breaks it. */
export interface PaymentBreach {
  code: string;
  field: string;
  message: string;
}

export interface PaymentDraft {
  amount: string;
  currency: string;
  fxRate?: string;
  allocations?: Array<{ orderId: string; amount: string }>;
}

/** What the request alone decides of a payment (400): positive amounts, fx rates, each order once. */
export function paymentDraftProblems(
  draft: PaymentDraft,
  reportingCurrency: string,
): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (toUnits(draft.amount) === 0n) problems.push({ field: 'amount', message: 'must be greater than 0' });
  if (draft.fxRate !== undefined) {
    const rate = normalizeRate(draft.fxRate);
    if (rate === '0') problems.push({ field: 'fxRate', message: 'must be greater than 0' });
    if (draft.currency === reportingCurrency && rate !== '1')
      problems.push({
        field: 'fxRate',
        message: `must be 1 (or absent) for the reporting currency ${reportingCurrency}`,
      });
  }
  const seen = new Set<string>();
  draft.allocations?.forEach((a, j) => {
    if (seen.has(a.orderId))
      problems.push({ field: `allocations/${j}/orderId`, message: 'names the same order twice' });
    seen.add(a.orderId);
    if (toUnits(a.amount) === 0n)
      problems.push({ field: `allocations/${j}/amount`, message: 'must be greater than 0' });
  });
  return problems;
}

/** An order a payment may settle, as far as the allocation rules need it. */
export interface AllocatableOrder {
  customerId: string;
  status: string;
  reportingAmount: string;
}

/**
 * The limits of explicit allocations: each names an open order of the paying customer, no
 * more than that order's amount, and together no more than what the payment has left after
 * its refunds (reporting currency).
 */
export function allocationBreaches(
  draft: PaymentDraft & { fxRate: string },
  customerId: string,
  orders: ReadonlyMap<string, AllocatableOrder>,
  refundedUnits: bigint,
  reportingCurrency: string,
): PaymentBreach[] {
  const breaches: PaymentBreach[] = [];
  if (draft.allocations === undefined) return breaches;
  let allocated = 0n;
  draft.allocations.forEach((a, j) => {
    const order = orders.get(a.orderId);
    const amount = toUnits(a.amount);
    allocated += amount;
    const field = `allocations/${j}/orderId`;
    if (!order || order.customerId !== customerId)
      breaches.push({
        code: 'order_not_found',
        field,
        message: `customer ${customerId} has no order ${a.orderId}`,
      });
    else if (order.status !== 'placed' && order.status !== 'shipped')
      breaches.push({ code: 'order_not_open', field, message: `order ${a.orderId} is ${order.status}` });
    else if (amount > toUnits(order.reportingAmount))
      breaches.push({
        code: 'allocation_exceeds_order',
        field: `allocations/${j}/amount`,
        message: `exceeds the order's ${normalizeMoney(order.reportingAmount)}`,
      });
  });
  if (breaches.length > 0) return breaches;
  const available = convertUnits(toUnits(draft.amount), draft.fxRate) - refundedUnits;
  if (allocated > available)
    breaches.push({
      code: 'allocation_exceeds_payment',
      field: 'allocations',
      message: `add up to ${fromUnits(allocated)}, more than the payment's ${fromUnits(available)} (${reportingCurrency})`,
    });
  return breaches;
}
