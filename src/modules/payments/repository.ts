import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import type { CursorPosition } from '../../http/pagination';
import type { PaymentListQuery } from './schemas';
import type { PaymentInsert, PaymentUpdate, RefundInsert } from './table';

export interface PaymentRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  amount: string;
  currency: string;
  fx_rate: string;
  reporting_amount: string;
  received_at: Date;
  method: string | null;
  reference: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface AllocationRow {
  payment_id: string;
  order_id: string;
  amount: string;
}

export interface RefundRow {
  id: string;
  payment_id: string;
  amount: string;
  reporting_amount: string;
  refunded_at: Date;
  reason: string | null;
  created_at: Date;
}

/** What receivables need of one customer's orders (open statuses only) and payments. */
export interface ReceivableOrderRow {
  id: string;
  ordered_at: Date;
  payment_terms_days: number;
  reporting_amount: string;
}

export interface ReceivablePaymentRow {
  id: string;
  received_at: Date;
  net: string;
}

/** One customer's receivables rows, as the three per-customer reads below answer them. */
export interface CustomerReceivableRows {
  customer_id: string;
  orders: ReceivableOrderRow[];
  payments: ReceivablePaymentRow[];
  allocations: AllocationRow[];
}

export class PaymentRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<PaymentRow | undefined> {
    const q = this.db(trx)('payments').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findByIds(ids: string[], trx: Knex.Transaction): Promise<PaymentRow[]> {
    if (ids.length === 0) return [];
    return trx('payments').whereIn('id', ids);
  }

  async findByExternalId(externalId: string): Promise<PaymentRow | undefined> {
    return this.knex('payments').where({ external_id: externalId }).first();
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<PaymentRow[]> {
    if (externalIds.length === 0) return [];
    return trx('payments').whereIn('external_id', externalIds).forUpdate();
  }

  async allocationsOf(paymentIds: string[], trx?: Knex.Transaction): Promise<AllocationRow[]> {
    if (paymentIds.length === 0) return [];
    return this.db(trx)('payment_allocations')
      .whereIn('payment_id', paymentIds)
      .orderBy(['payment_id', 'order_id']);
  }

  async refundsOf(paymentIds: string[], trx?: Knex.Transaction): Promise<RefundRow[]> {
    if (paymentIds.length === 0) return [];
    return this.db(trx)('payment_refunds').whereIn('payment_id', paymentIds).orderBy('id');
  }

  /** New payments, in one statement. */
  async insert(rows: PaymentInsert[], trx: Knex.Transaction): Promise<void> {
    if (rows.length) await trx('payments').insert(rows);
  }

  async update(id: string, columns: Omit<PaymentUpdate, 'version'>, trx: Knex.Transaction): Promise<void> {
    await trx('payments')
      .where({ id })
      .update({ ...columns, version: trx.raw('version + 1') });
  }

  async replaceAllocations(
    paymentIds: string[],
    rows: AllocationRow[],
    trx: Knex.Transaction,
  ): Promise<void> {
    if (paymentIds.length) await trx('payment_allocations').whereIn('payment_id', paymentIds).delete();
    if (rows.length) await trx('payment_allocations').insert(rows);
  }

  async insertRefund(row: RefundInsert, trx: Knex.Transaction): Promise<RefundRow> {
    const [refund] = await trx('payment_refunds').insert(row).returning('*');
    return refund!;
  }

  async list(query: PaymentListQuery, limit: number, after?: CursorPosition): Promise<PaymentRow[]> {
    const q = this.knex('payments').select('*');
    if (query.customerId) q.where('customer_id', query.customerId);
    if (query.receivedFrom) q.where('received_at', '>=', query.receivedFrom);
    if (query.receivedTo) q.where('received_at', '<', query.receivedTo);
    if (after) q.whereRaw('(received_at, id) < (?::timestamptz, ?::uuid)', [after.value, after.id]);
    return q
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
  }

  async receivableOrders(customerId: string, trx?: Knex.Transaction): Promise<ReceivableOrderRow[]> {
    return this.db(trx)('orders')
      .where({ customer_id: customerId })
      .whereIn('status', ['placed', 'shipped'])
      .select('id', 'ordered_at', 'payment_terms_days', 'reporting_amount');
  }

  async receivablePayments(customerId: string, trx?: Knex.Transaction): Promise<ReceivablePaymentRow[]> {
    const { rows } = await this.db(trx).raw<{ rows: ReceivablePaymentRow[] }>(
      `SELECT p.id, p.received_at,
              p.reporting_amount - coalesce((SELECT sum(r.reporting_amount) FROM payment_refunds r WHERE r.payment_id = p.id), 0) AS net
         FROM payments p WHERE p.customer_id = ?
       UNION ALL
       SELECT c.id, c.credited_at AS received_at, c.amount AS net FROM rebate_credits c WHERE c.customer_id = ?`,
      [customerId, customerId],
    );
    return rows;
  }

  /**
   * The receivables rows of many customers (a page of value cards) in one statement: per
   * customer, its open orders, its payments net of refunds and their allocations, each
   * aggregated as JSON (amounts as text, so no digit is lost).
   *
   * Rebate credits (docs/rebates.md) count as payments without allocations, received on the
   * day their settlement was made, in both reads: they lower the outstanding balance like any
   * unallocated payment (the oldest open orders first, the rest a credit balance).
   */
  async receivablesOf(customerIds: string[], trx?: Knex.Transaction): Promise<CustomerReceivableRows[]> {
    if (customerIds.length === 0) return [];
    const { rows } = await this.db(trx).raw<{
      rows: Array<{
        customer_id: string;
        orders: Array<Omit<ReceivableOrderRow, 'ordered_at'> & { ordered_at: string }>;
        payments: Array<Omit<ReceivablePaymentRow, 'received_at'> & { received_at: string }>;
        allocations: AllocationRow[];
      }>;
    }>(
      `SELECT c.id AS customer_id,
              coalesce((SELECT json_agg(json_build_object('id', o.id, 'ordered_at', o.ordered_at,
                                 'payment_terms_days', o.payment_terms_days, 'reporting_amount', o.reporting_amount::text))
                          FROM orders o WHERE o.customer_id = c.id AND o.status IN ('placed', 'shipped')), '[]') AS orders,
              coalesce((SELECT json_agg(json_build_object('id', p.id, 'received_at', p.received_at,
                                 'net', (p.reporting_amount - coalesce((SELECT sum(r.reporting_amount) FROM payment_refunds r
                                                                         WHERE r.payment_id = p.id), 0))::text))
                          FROM payments p WHERE p.customer_id = c.id), '[]')::jsonb
              || coalesce((SELECT jsonb_agg(jsonb_build_object('id', rc.id, 'received_at', rc.credited_at, 'net', rc.amount::text))
                             FROM rebate_credits rc WHERE rc.customer_id = c.id), '[]') AS payments,
              coalesce((SELECT json_agg(json_build_object('payment_id', a.payment_id, 'order_id', a.order_id, 'amount', a.amount::text))
                          FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
                         WHERE p.customer_id = c.id), '[]') AS allocations
         FROM unnest(?::uuid[]) AS c(id)`,
      [arrayLiteral(customerIds)],
    );
    return rows.map((row) => ({
      customer_id: row.customer_id,
      orders: row.orders.map((o) => ({ ...o, ordered_at: new Date(o.ordered_at) })),
      payments: row.payments.map((p) => ({ ...p, received_at: new Date(p.received_at) })),
      allocations: row.allocations,
    }));
  }

  async customerAllocations(customerId: string, trx?: Knex.Transaction): Promise<AllocationRow[]> {
    return this.db(trx)('payment_allocations as a')
      .join('payments as p', 'p.id', 'a.payment_id')
      .where('p.customer_id', customerId)
      .select('a.payment_id', 'a.order_id', 'a.amount');
  }
}
