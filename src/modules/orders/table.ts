import type { Knex } from 'knex';
import type { LineWrite, OrderRow } from './repository';

/**
 * The orders module's tables as Knex's query builder types them (knex/types/tables). The
 * repository imports this file, which is what brings the declarations into a program. Its
 * bulk writes are raw SQL (unnest, json_to_recordset); these types serve the builder's reads.
 */

/** Columns the database fills in: reporting_amount is generated, the others have defaults. */
type DefaultedColumn = 'fx_rate' | 'payment_terms_days' | 'cross_region' | 'over_credit_limit' | 'version';

export type OrderInsert = Omit<OrderRow, 'reporting_amount' | DefaultedColumn | 'ordered_at'> &
  Partial<Pick<OrderRow, DefaultedColumn>> & { ordered_at: Date | string };

/** An update sets any columns but the key and the creation time. */
export type OrderUpdate = Partial<Omit<OrderInsert, 'id' | 'created_at'>>;

declare module 'knex/types/tables' {
  interface Tables {
    orders: Knex.CompositeTableType<OrderRow, OrderInsert, OrderUpdate>;
    /** A line's own columns are those a write names; LineRow's sku is joined on from products. */
    order_lines: LineWrite;
  }
}
