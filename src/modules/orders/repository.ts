import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import type { CursorPosition } from '../../http/pagination';
import type { OrderListQuery } from './schemas';
import './table';

export interface OrderRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  ordered_at: Date;
  amount: string;
  currency: string;
  fx_rate: string;
  reporting_amount: string;
  region: string | null;
  status: string;
  payment_terms_days: number;
  cross_region: boolean;
  over_credit_limit: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface LineRow {
  order_id: string;
  line_no: number;
  product_id: string;
  sku: string;
  quantity: number;
  unit_price: string;
}

/** Columns of one order as the bulk statements take them (arrays per column, or JSON per row). */
export interface OrderWrite {
  id: string;
  external_id: string | null;
  customer_id: string;
  ordered_at: string;
  amount: string;
  currency: string;
  fx_rate: string;
  region: string | null;
  status: string;
  payment_terms_days: number;
  cross_region: boolean;
  over_credit_limit: boolean;
}

export interface LineWrite {
  order_id: string;
  line_no: number;
  product_id: string;
  quantity: number;
  unit_price: string;
}

const ORDER_RECORD = `x(id uuid, external_id text, customer_id uuid, ordered_at timestamptz, amount numeric, currency text,
  fx_rate numeric, region text, status text, payment_terms_days integer, cross_region boolean, over_credit_limit boolean)`;

/**
 * Every write here is one statement for the whole batch, so a 1,000-row batch costs a handful
 * of round trips, not thousands. Inserts send one array per column and unnest() zips them
 * into rows; updates send the rows as one JSON parameter for json_to_recordset (PostgreSQL 15
 * and PGlite alike). The arrays cost the server less to read than JSON, which matters on the
 * bulk-load path.
 */
export class OrderRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<OrderRow | undefined> {
    const q = this.db(trx)('orders').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findByExternalId(externalId: string): Promise<OrderRow | undefined> {
    return this.knex('orders').where({ external_id: externalId }).first();
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<OrderRow[]> {
    if (externalIds.length === 0) return [];
    const { rows } = await trx.raw<{ rows: OrderRow[] }>(
      'SELECT * FROM orders WHERE external_id = ANY(?::text[]) FOR UPDATE',
      [arrayLiteral(externalIds)],
    );
    return rows;
  }

  async linesOf(orderIds: string[], trx?: Knex.Transaction): Promise<LineRow[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await this.db(trx).raw<{ rows: LineRow[] }>(
      `SELECT l.order_id, l.line_no, l.product_id, p.sku, l.quantity, l.unit_price
         FROM order_lines l JOIN products p ON p.id = l.product_id
        WHERE l.order_id = ANY(?::uuid[]) ORDER BY l.order_id, l.line_no`,
      [arrayLiteral(orderIds)],
    );
    return rows;
  }

  /** The orders payments would be allocated to, with what the allocation rules need. */
  async allocatable(
    orderIds: string[],
    trx: Knex.Transaction,
  ): Promise<Array<{ id: string; customer_id: string; status: string; reporting_amount: string }>> {
    if (orderIds.length === 0) return [];
    return trx('orders').whereIn('id', orderIds).select('id', 'customer_id', 'status', 'reporting_amount');
  }

  async insertOrders(rows: OrderWrite[], now: Date, trx: Knex.Transaction): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof OrderWrite>(key: K) => arrayLiteral(rows.map((r) => r[key]));
    await trx.raw(
      `INSERT INTO orders (id, external_id, customer_id, ordered_at, amount, currency, fx_rate, region, status,
                           payment_terms_days, cross_region, over_credit_limit, version, created_at, updated_at)
       SELECT id, external_id, customer_id, ordered_at, amount, currency, fx_rate, region, status,
              payment_terms_days, cross_region, over_credit_limit, 1, ?::timestamptz, ?::timestamptz
         FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::timestamptz[], ?::numeric[], ?::text[], ?::numeric[],
                     ?::text[], ?::text[], ?::integer[], ?::boolean[], ?::boolean[])
           AS x(id, external_id, customer_id, ordered_at, amount, currency, fx_rate, region, status,
                payment_terms_days, cross_region, over_credit_limit)`,
      [
        now.toISOString(),
        now.toISOString(),
        column('id'),
        column('external_id'),
        column('customer_id'),
        column('ordered_at'),
        column('amount'),
        column('currency'),
        column('fx_rate'),
        column('region'),
        column('status'),
        column('payment_terms_days'),
        column('cross_region'),
        column('over_credit_limit'),
      ],
    );
  }

  /** Rewrites the given orders and bumps their versions; over_credit_limit is kept from creation. */
  async updateOrders(rows: OrderWrite[], now: Date, trx: Knex.Transaction): Promise<void> {
    if (rows.length === 0) return;
    await trx.raw(
      `UPDATE orders o
          SET external_id = x.external_id, ordered_at = x.ordered_at, amount = x.amount, currency = x.currency,
              fx_rate = x.fx_rate, region = x.region, status = x.status, payment_terms_days = x.payment_terms_days,
              cross_region = x.cross_region, version = o.version + 1, updated_at = ?::timestamptz
         FROM json_to_recordset(?::json) AS ${ORDER_RECORD}
        WHERE o.id = x.id`,
      [now.toISOString(), JSON.stringify(rows)],
    );
  }

  async deleteLines(orderIds: string[], trx: Knex.Transaction): Promise<void> {
    if (orderIds.length === 0) return;
    await trx.raw('DELETE FROM order_lines WHERE order_id = ANY(?::uuid[])', [arrayLiteral(orderIds)]);
  }

  async insertLines(lines: LineWrite[], trx: Knex.Transaction): Promise<void> {
    if (lines.length === 0) return;
    await trx.raw(
      `INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price)
       SELECT order_id, line_no, product_id, quantity, unit_price
         FROM json_to_recordset(?::json) AS x(order_id uuid, line_no integer, product_id uuid, quantity integer, unit_price numeric)`,
      [JSON.stringify(lines)],
    );
  }

  async list(
    query: OrderListQuery,
    customerId: string | undefined,
    limit: number,
    after?: CursorPosition,
  ): Promise<OrderRow[]> {
    const descending = (query.sort ?? '-orderedAt').startsWith('-');
    const q = this.knex('orders').select('*');
    if (customerId) q.where('customer_id', customerId);
    if (query.orderedFrom) q.where('ordered_at', '>=', query.orderedFrom);
    if (query.orderedTo) q.where('ordered_at', '<', query.orderedTo);
    if (query.status) q.where('status', query.status);
    if (query.region) q.where('region', query.region);
    if (query.crossRegion !== undefined) q.where('cross_region', query.crossRegion);
    if (query.overCreditLimit !== undefined) q.where('over_credit_limit', query.overCreditLimit);
    if (query.productId) {
      q.whereExists((e: Knex.QueryBuilder) =>
        e
          .select(1)
          .from('order_lines as l')
          .whereRaw('l.order_id = orders.id')
          .where('l.product_id', query.productId!),
      );
    }
    if (query.sku) {
      q.whereExists((e: Knex.QueryBuilder) =>
        e
          .select(1)
          .from('order_lines as l')
          .join('products as p', 'p.id', 'l.product_id')
          .whereRaw('l.order_id = orders.id')
          .where('p.sku', query.sku!),
      );
    }
    if (after)
      q.whereRaw(`(ordered_at, id) ${descending ? '<' : '>'} (?::timestamptz, ?::uuid)`, [
        after.value,
        after.id,
      ]);
    const order = descending ? 'desc' : 'asc';
    return q
      .orderBy([
        { column: 'ordered_at', order },
        { column: 'id', order },
      ])
      .limit(limit + 1);
  }
}
