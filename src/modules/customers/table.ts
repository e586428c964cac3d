import type { Knex } from 'knex';
import type { CustomerColumns } from './customer-row';

/**
 * The customers module's tables as Knex's query builder types them (knex/types/tables):
 * `knex('customers')` reads CustomerColumns, inserts CustomerInsert, updates CustomerUpdate.
 * The repository imports this file, which is what brings the declarations into a program.
 */

/** jsonb columns are written as JSON text and read back parsed. */
type JsonColumn = 'emails' | 'phones' | 'addresses' | 'preferences' | 'hobbies' | 'custom_fields';

/** Columns a new customer may leave out: database defaults, or set later by a delete. */
type LaterColumn =
  | 'version'
  | 'deleted_at'
  | 'birthday_calendar'
  | 'lunar_birthday_month'
  | 'lunar_birthday_day'
  | 'lunar_birthday_leap';

export type CustomerInsert = Omit<CustomerColumns, JsonColumn | LaterColumn> &
  Record<JsonColumn, string> &
  Partial<Pick<CustomerColumns, LaterColumn>>;

/** An update sets any columns but the key and the creation time. */
export type CustomerUpdate = Partial<Omit<CustomerInsert, 'id' | 'created_at'>>;

export interface ChannelRegionRow {
  customer_id: string;
  region: string;
}

declare module 'knex/types/tables' {
  interface Tables {
    customers: Knex.CompositeTableType<CustomerColumns, CustomerInsert, CustomerUpdate>;
    channel_regions: ChannelRegionRow;
  }
}
