import type { Knex } from 'knex';
import type { CustomerColumns } from '../customers/customer-row';
import type { OrderRow } from '../orders/repository';

/** Pages of whole tables in id order: keyset, so each page costs the same however deep it is. */
export class ExportRepository {
  constructor(private readonly knex: Knex) {}

  async customersAfter(
    after: string | null,
    limit: number,
    includeDeleted: boolean,
  ): Promise<CustomerColumns[]> {
    const q = this.knex('customers').select('*');
    if (!includeDeleted) q.whereNull('deleted_at');
    if (after) q.where('id', '>', after);
    return q.orderBy('id').limit(limit);
  }

  async ordersAfter(after: string | null, limit: number): Promise<OrderRow[]> {
    const q = this.knex('orders').select('*');
    if (after) q.where('id', '>', after);
    return q.orderBy('id').limit(limit);
  }
}
