import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import type { InstantRange } from '../../domain/service/day-range';

export interface InteractionRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  contact_id: string | null;
  channel: string;
  direction: string;
  employee: string | null;
  occurred_at: Date;
  duration_seconds: number | null;
  subject: string | null;
  summary: string | null;
  order_id: string | null;
  service_record_id: string | null;
  complaint_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type InteractionColumns = Omit<InteractionRow, 'id' | 'version' | 'created_at' | 'updated_at'>;

export interface InteractionFilter {
  customerId?: string;
  contactId?: string;
  channel?: string;
  employee?: string;
  range: InstantRange;
}

export class InteractionRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(
    rows: Array<Omit<InteractionRow, 'version'>>,
    trx: Knex.Transaction,
  ): Promise<InteractionRow[]> {
    return trx('interactions').insert(rows).returning('*');
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<InteractionRow | undefined> {
    const q = this.db(trx)('interactions').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  /** The interactions a batch names by externalId, locked for the write. */
  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<InteractionRow[]> {
    if (externalIds.length === 0) return [];
    return trx('interactions').whereIn('external_id', externalIds).forUpdate();
  }

  async update(
    id: string,
    version: number,
    columns: Partial<InteractionColumns> & { updated_at: Date },
    trx: Knex.Transaction,
  ): Promise<InteractionRow | undefined> {
    const [row] = await trx('interactions')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as InteractionRow | undefined;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('interactions').where({ id }).delete();
  }

  /** Newest first: (occurred_at DESC, id DESC), the order of the indexes. */
  async list(filter: InteractionFilter, limit: number, after?: CursorPosition): Promise<InteractionRow[]> {
    const q = this.knex('interactions').select('*');
    if (filter.customerId) q.where('customer_id', filter.customerId);
    if (filter.contactId) q.where('contact_id', filter.contactId);
    if (filter.channel) q.where('channel', filter.channel);
    if (filter.employee) q.where('employee', filter.employee);
    if (filter.range.start) q.where('occurred_at', '>=', filter.range.start);
    if (filter.range.end) q.where('occurred_at', '<', filter.range.end);
    if (after) q.whereRaw('(occurred_at, id) < (?::timestamptz, ?::uuid)', [after.value, after.id]);
    return q
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
  }

  /** Which of these contact ids belong to which customer (contact persons are per customer). */
  async contactOwners(contactIds: string[], trx: Knex.Transaction): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows: Array<{ id: string; customer_id: string }> = await trx('customer_contacts')
      .whereIn('id', contactIds)
      .select('id', 'customer_id');
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }

  /** The customer of each of these orders, service records or complaints that exists. */
  async ownersIn(
    table: 'orders' | 'service_records' | 'complaints',
    ids: string[],
    trx: Knex.Transaction,
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; customer_id: string }> = await trx(table)
      .whereIn('id', ids)
      .select('id', 'customer_id');
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }
}
