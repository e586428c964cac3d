import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import { VALUE_AT_STAKE_SQL, valueJoinOn } from '../shared/value-at-stake';
import type { ComplaintListQuery } from './schemas';

export interface ComplaintRow {
  id: string;
  number: string;
  external_id: string | null;
  customer_id: string;
  category_id: string;
  product_id: string | null;
  service_record_id: string | null;
  order_id: string | null;
  severity: string;
  status: string;
  subject: string;
  description: string | null;
  owner: string | null;
  resolution: string | null;
  standard_answer: string;
  reopen_count: number;
  filed_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface ComplaintView extends ComplaintRow {
  value_at_stake: number | null;
}

export interface CustomerFacts {
  id: string;
  name: string;
  external_id: string | null;
  owner: string | null;
}

export class ComplaintRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  private viewQuery(trx?: Knex.Transaction) {
    return this.db(trx)('complaints as c')
      .joinRaw(`LEFT JOIN customer_values v ON ${valueJoinOn('c.customer_id')}`)
      .select('c.*', this.knex.raw(`${VALUE_AT_STAKE_SQL} AS value_at_stake`));
  }

  /** The next number of the sequence: taken even if the transaction rolls back, so never reused. */
  async nextNumber(trx: Knex.Transaction): Promise<number> {
    const { rows } = await trx.raw<{ rows: Array<{ n: string | number }> }>(
      "SELECT nextval('complaint_number_seq') AS n",
    );
    return Number(rows[0]!.n);
  }

  async insert(row: ComplaintRow, trx: Knex.Transaction): Promise<void> {
    await trx('complaints').insert(row);
  }

  async findRow(id: string, trx: Knex.Transaction): Promise<ComplaintRow | undefined> {
    return trx('complaints').where({ id }).forUpdate().first();
  }

  async findByExternalId(externalId: string, trx: Knex.Transaction): Promise<ComplaintRow | undefined> {
    return trx('complaints').where({ external_id: externalId }).first();
  }

  async view(id: string, trx?: Knex.Transaction): Promise<ComplaintView | undefined> {
    return this.viewQuery(trx).where('c.id', id).first();
  }

  async update(
    id: string,
    version: number,
    columns: Partial<Omit<ComplaintRow, 'id' | 'version' | 'created_at'>>,
    trx: Knex.Transaction,
  ): Promise<boolean> {
    const count = await trx('complaints')
      .where({ id, version })
      .update({ ...columns, version: version + 1 });
    return count === 1;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('complaints').where({ id }).delete();
  }

  async customerFacts(id: string, trx: Knex.Transaction): Promise<CustomerFacts | undefined> {
    return trx('customers').where({ id }).first('id', 'name', 'external_id', 'owner');
  }

  /** The service record and order a complaint links, when they belong to its customer. */
  async ownerOf(
    table: 'service_records' | 'orders',
    id: string,
    trx: Knex.Transaction,
  ): Promise<string | undefined> {
    const row: { customer_id: string } | undefined = await trx(table).where({ id }).first('customer_id');
    return row?.customer_id;
  }

  async list(query: ComplaintListQuery, limit: number, after?: CursorPosition): Promise<ComplaintView[]> {
    const q = this.viewQuery();
    if (query.customerId) q.where('c.customer_id', query.customerId);
    if (query.categoryId) q.where('c.category_id', query.categoryId);
    if (query.status) q.where('c.status', query.status);
    if (query.severity) q.where('c.severity', query.severity);
    if (query.owner) q.where('c.owner', query.owner);
    if (query.productId) q.where('c.product_id', query.productId);
    if (query.from) q.where('c.filed_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to) q.where('c.filed_at', '<', new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000));
    const sort = query.sort ?? 'id';
    if (sort === '-valueAtStake') {
      const vas = VALUE_AT_STAKE_SQL;
      if (after && after.value !== null)
        q.whereRaw(`(${vas} < ? OR (${vas} = ? AND c.id > ?) OR ${vas} IS NULL)`, [
          after.value,
          after.value,
          after.id,
        ]);
      else if (after) q.whereRaw(`${vas} IS NULL AND c.id > ?`, [after.id]);
      q.orderByRaw(`${vas} DESC NULLS LAST, c.id ASC`);
    } else if (sort === '-filedAt') {
      if (after) q.whereRaw('(c.filed_at, c.id) < (?::timestamptz, ?)', [after.value, after.id]);
      q.orderBy([
        { column: 'c.filed_at', order: 'desc' },
        { column: 'c.id', order: 'desc' },
      ]);
    } else {
      if (after) q.where('c.id', '>', after.id);
      q.orderBy('c.id');
    }
    return q.limit(limit + 1);
  }
}
