import type { Knex } from 'knex';
import { fromUnits, normalizeMoney, normalizeRate, toUnits } from '../../domain/money';
import type { AllocationRow, PaymentRepository, PaymentRow, RefundRow } from './repository';
import type { Payment, Refund } from './schemas';

/** The writable state of a payment, the shape changes are compared and audited in. */
export interface PaymentState {
  externalId: string | null;
  customerId: string;
  amount: string;
  currency: string;
  fxRate: string;
  receivedAt: string;
  method: string | null;
  reference: string | null;
  allocations: Array<{ orderId: string; amount: string }>;
}

export const iso = (value: Date | string) => new Date(value).toISOString();

export const sortAllocations = (list: Array<{ orderId: string; amount: string }>) =>
  [...list].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

export function stateOf(row: PaymentRow, allocations: AllocationRow[]): PaymentState {
  return {
    externalId: row.external_id,
    customerId: row.customer_id,
    amount: normalizeMoney(row.amount),
    currency: row.currency,
    fxRate: normalizeRate(row.fx_rate),
    receivedAt: iso(row.received_at),
    method: row.method,
    reference: row.reference,
    allocations: sortAllocations(
      allocations.map((a) => ({ orderId: a.order_id, amount: normalizeMoney(a.amount) })),
    ),
  };
}

export function toRefund(row: RefundRow, currency: string): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amount: normalizeMoney(row.amount),
    currency,
    refundedAt: iso(row.refunded_at),
    reason: row.reason,
    createdAt: iso(row.created_at),
  };
}

/** Payments as GET answers them: each row with its allocations and refunds (two queries for all rows). */
export class PaymentViews {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly reportingCurrency: string,
  ) {}

  async of(rows: PaymentRow[], trx?: Knex.Transaction): Promise<Payment[]> {
    const ids = rows.map((r) => r.id);
    const [allocations, refunds] = await Promise.all([
      this.payments.allocationsOf(ids, trx),
      this.payments.refundsOf(ids, trx),
    ]);
    return rows.map((row) => {
      const mine = refunds.filter((r) => r.payment_id === row.id);
      return {
        id: row.id,
        externalId: row.external_id,
        customerId: row.customer_id,
        amount: normalizeMoney(row.amount),
        currency: row.currency,
        fxRate: normalizeRate(row.fx_rate),
        reportingAmount: normalizeMoney(row.reporting_amount),
        reportingCurrency: this.reportingCurrency,
        receivedAt: iso(row.received_at),
        method: row.method,
        reference: row.reference,
        allocations: allocations
          .filter((a) => a.payment_id === row.id)
          .map((a) => ({ orderId: a.order_id, amount: normalizeMoney(a.amount) })),
        refunded: fromUnits(mine.reduce((sum, r) => sum + toUnits(r.amount), 0n)),
        refunds: mine.map((r) => toRefund(r, row.currency)),
        version: row.version,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      };
    });
  }
}
