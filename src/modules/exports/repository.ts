import type { Knex } from 'knex';
import type { CustomerRow } from '../customers/customer-row';
import { customerReadQuery } from '../customers/repository';
import type { OrderRow } from '../orders/repository';

/** Pages of whole tables in id order: keyset, so each page costs the same however deep it is. */
export class ExportRepository {
  constructor(private readonly knex: Knex) {}

  async customersAfter(after: string | null, limit: number, includeDeleted: boolean): Promise<CustomerRow[]> {
    // Joined as a GET reads a customer (stage, churn status, stars, value), so the file agrees with it.
    const q = customerReadQuery(this.knex);
    if (!includeDeleted) q.whereNull('customers.deleted_at');
    if (after) q.where('customers.id', '>', after);
    return q.orderBy('customers.id').limit(limit);
  }

  async ordersAfter(after: string | null, limit: number): Promise<OrderRow[]> {
    const q = this.knex('orders').select('*');
    if (after) q.where('id', '>', after);
    return q.orderBy('id').limit(limit);
  }
}
