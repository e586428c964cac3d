import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';

export interface OpportunityRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  name: string;
  stage: string;
  amount: string;
  currency: string;
  expected_close_date: string | Date | null;
  owner: string | null;
  probability: number;
  order_id: string | null;
  lost_reason: string | null;
  closed_at: Date | null;
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type OpportunityColumns = Omit<OpportunityRow, 'id' | 'version' | 'created_at' | 'updated_at'>;

export interface OpportunityListFilter {
  stage?: string;
  owner?: string;
  customerId?: string;
}

export interface PipelineFilter {
  from?: string;
  to?: string;
  owner?: string;
}

export interface PipelineSumRow {
  key: string | null;
  currency: string;
  count: number;
  amount: string;
  weighted: string;
}

export class OpportunityRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(
    rows: Array<Omit<OpportunityRow, 'version'>>,
    trx: Knex.Transaction,
  ): Promise<OpportunityRow[]> {
    return trx('opportunities').insert(rows).returning('*');
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<OpportunityRow | undefined> {
    const q = this.db(trx)('opportunities').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<OpportunityRow[]> {
    return trx('opportunities').whereIn('external_id', externalIds).forUpdate();
  }

  async update(
    id: string,
    version: number,
    columns: OpportunityColumns & { updated_at: Date },
    trx: Knex.Transaction,
  ): Promise<OpportunityRow | undefined> {
    const [row] = await trx('opportunities')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('opportunities').where({ id }).delete();
  }

  /** The orders won opportunities name, with their customers. */
  async findOrders(
    ids: string[],
    trx: Knex.Transaction,
  ): Promise<Array<{ id: string; customer_id: string }>> {
    if (ids.length === 0) return [];
    return trx('orders').whereIn('id', ids).select('id', 'customer_id');
  }

  async list(
    filter: OpportunityListFilter,
    limit: number,
    after?: CursorPosition,
  ): Promise<OpportunityRow[]> {
    const q = this.knex('opportunities').select('*');
    if (filter.stage) q.where('stage', filter.stage);
    if (filter.owner) q.where('owner', filter.owner);
    if (filter.customerId) q.where('customer_id', filter.customerId);
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }

  /** Count, amount and weighted amount (amount x probability) per `stage` or `owner` and currency. */
  async sums(by: 'stage' | 'owner' | null, filter: PipelineFilter): Promise<PipelineSumRow[]> {
    const q = this.knex('opportunities').select(
      this.knex.raw(`${by ?? 'NULL'} AS key`),
      'currency',
      this.knex.raw('count(*)::int AS count'),
      this.knex.raw('sum(amount)::text AS amount'),
      this.knex.raw('round(sum(amount * probability::numeric), 2)::text AS weighted'),
    );
    if (filter.from) q.where('expected_close_date', '>=', filter.from);
    if (filter.to) q.where('expected_close_date', '<=', filter.to);
    if (filter.owner) q.where('owner', filter.owner);
    q.groupByRaw(by ? `${by}, currency` : 'currency');
    q.orderByRaw(by ? `${by} NULLS LAST, currency` : 'currency');
    return (await q) as unknown as PipelineSumRow[];
  }
}
