import type { Knex } from 'knex';

export interface RelationshipRow {
  id: string;
  from_customer_id: string;
  to_customer_id: string;
  type: string;
  note: string | null;
  created_at: Date;
}

export class RelationshipRepository {
  constructor(private readonly knex: Knex) {}

  async insert(row: RelationshipRow, trx?: Knex.Transaction): Promise<RelationshipRow> {
    const [created] = await (trx ?? this.knex)('customer_relationships').insert(row).returning('*');
    return created as RelationshipRow;
  }

  /** A tie between the two customers of this type, in the given direction (or either, for symmetric types). */
  async findExisting(
    from: string,
    to: string,
    type: string,
    eitherDirection: boolean,
    trx?: Knex.Transaction,
  ) {
    const query = (trx ?? this.knex)('customer_relationships').where({ type });
    query.where((w) => {
      w.where({ from_customer_id: from, to_customer_id: to });
      if (eitherDirection) w.orWhere({ from_customer_id: to, to_customer_id: from });
    });
    return query.first();
  }

  /** Ties with the customer at either end, in id order (the from and to indexes serve each half). */
  async listFor(
    customerId: string,
    limit: number,
    afterId?: string,
    type?: string,
  ): Promise<RelationshipRow[]> {
    const query = this.knex('customer_relationships')
      .where((w) => w.where('from_customer_id', customerId).orWhere('to_customer_id', customerId))
      .orderBy('id')
      .limit(limit + 1);
    if (afterId) query.where('id', '>', afterId);
    if (type) query.where('type', type);
    return query;
  }

  async findFor(
    customerId: string,
    id: string,
    trx?: Knex.Transaction,
  ): Promise<RelationshipRow | undefined> {
    return (trx ?? this.knex)('customer_relationships')
      .where({ id })
      .where((w) => w.where('from_customer_id', customerId).orWhere('to_customer_id', customerId))
      .first();
  }

  async delete(id: string, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex)('customer_relationships').where({ id }).delete();
  }
}
