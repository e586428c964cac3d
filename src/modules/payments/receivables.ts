import { fromUnits, toUnits } from '../../domain/money';
import { epochDayOf, summariseReceivables, type ReceivablesSummary } from '../../domain/receivables';
import type { CustomerReceivableRows, PaymentRepository } from './repository';

const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** One customer's rows handed to the pure receivables core. */
function summaryOf(
  rows: Pick<CustomerReceivableRows, 'orders' | 'payments' | 'allocations'>,
  asOfDay: number,
): ReceivablesSummary {
  const byPayment = new Map<string, Array<{ orderId: string; amount: bigint }>>();
  for (const a of rows.allocations) {
    byPayment.set(a.payment_id, [
      ...(byPayment.get(a.payment_id) ?? []),
      { orderId: a.order_id, amount: toUnits(a.amount) },
    ]);
  }
  return summariseReceivables(
    rows.orders.map((o) => {
      const orderedDay = epochDayOf(o.ordered_at);
      return {
        id: o.id,
        orderedDay,
        dueDay: orderedDay + o.payment_terms_days,
        amount: toUnits(o.reporting_amount),
      };
    }),
    rows.payments.map((p) => ({
      id: p.id,
      receivedDay: epochDayOf(p.received_at),
      amount: toUnits(p.net),
      allocations: byPayment.get(p.id) ?? [],
    })),
    asOfDay,
  );
}

/** Loads one customer's orders and payments and hands them to the pure receivables core. */
export class ReceivablesReader {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly reportingCurrency: string,
  ) {}

  async summary(customerId: string, asOf: Date): Promise<{ summary: ReceivablesSummary; asOfDay: number }> {
    const [orders, payments, allocations] = await Promise.all([
      this.payments.receivableOrders(customerId),
      this.payments.receivablePayments(customerId),
      this.payments.customerAllocations(customerId),
    ]);
    const asOfDay = epochDayOf(asOf);
    return { summary: summaryOf({ orders, payments, allocations }, asOfDay), asOfDay };
  }

  /** The summaries of many customers, read in one statement (a page of value cards). */
  async summaries(
    customerIds: string[],
    asOf: Date,
  ): Promise<{ summaries: Map<string, ReceivablesSummary>; asOfDay: number }> {
    const asOfDay = epochDayOf(asOf);
    const rows = await this.payments.receivablesOf(customerIds);
    return { summaries: new Map(rows.map((r) => [r.customer_id, summaryOf(r, asOfDay)])), asOfDay };
  }

  /** The API view of a summary: decimal strings in the reporting currency. */
  view(customerId: string, summary: ReceivablesSummary, asOfDay: number) {
    return {
      customerId,
      asOf: dateOf(asOfDay),
      currency: this.reportingCurrency,
      outstanding: fromUnits(summary.outstanding),
      openOrders: fromUnits(summary.openOrders),
      unapplied: fromUnits(summary.unapplied),
      overdue: fromUnits(summary.overdue.amount),
      overdueDays: summary.overdue.days,
      aging: {
        '0-30': fromUnits(summary.aging['0-30']),
        '31-60': fromUnits(summary.aging['31-60']),
        '61-90': fromUnits(summary.aging['61-90']),
        '90+': fromUnits(summary.aging['90+']),
      },
      orders: summary.settlements
        .filter((s) => s.open > 0n)
        .map((s) => ({
          orderId: s.orderId,
          orderedDate: dateOf(s.orderedDay),
          dueDate: dateOf(s.dueDay),
          amount: fromUnits(s.amount),
          paid: fromUnits(s.paid),
          open: fromUnits(s.open),
        })),
    };
  }
}
