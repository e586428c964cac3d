import type { Knex } from 'knex';

export interface ContactRow {
  id: string;
  customer_id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class ContactRepository {
  constructor(private readonly knex: Knex) {}

  async insert(row: Omit<ContactRow, 'version'>, trx?: Knex.Transaction): Promise<ContactRow> {
    const [created] = await (trx ?? this.knex)('customer_contacts').insert(row).returning('*');
    return created as ContactRow;
  }

  async find(customerId: string, id: string, trx?: Knex.Transaction): Promise<ContactRow | undefined> {
    return (trx ?? this.knex)('customer_contacts').where({ customer_id: customerId, id }).first();
  }

  async list(customerId: string, limit: number, afterId?: string): Promise<ContactRow[]> {
    const query = this.knex('customer_contacts')
      .where({ customer_id: customerId })
      .orderBy('id')
      .limit(limit + 1);
    if (afterId) query.where('id', '>', afterId);
    return query;
  }

  async update(
    id: string,
    version: number,
    columns: Partial<ContactRow>,
    trx?: Knex.Transaction,
  ): Promise<ContactRow | undefined> {
    const [row] = await (trx ?? this.knex)('customer_contacts')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as ContactRow | undefined;
  }

  async delete(id: string, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex)('customer_contacts').where({ id }).delete();
  }
}
