import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import { VALUE_AT_STAKE_SQL, valueJoinOn } from '../shared/value-at-stake';
import type { ServiceRecordListQuery } from './schemas';

export interface ServiceRecordRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  contact_id: string | null;
  product_id: string | null;
  type: string;
  priority: string;
  status: string;
  subject: string;
  description: string | null;
  assignee: string | null;
  resolution: string | null;
  opened_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  reopen_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A record as read: with its SLA targets, the customer's value class and value at stake. */
export interface ServiceRecordView extends ServiceRecordRow {
  sla_first_response_minutes: number | null;
  sla_resolve_minutes: number | null;
  value_class: string | null;
  value_at_stake: number | null;
}

export interface TransitionRow {
  id: string;
  service_record_id: string;
  from_status: string;
  to_status: string;
  note: string | null;
  at: Date;
  actor_name: string | null;
}

export type ServiceRecordColumns = Omit<ServiceRecordRow, 'id' | 'version' | 'created_at'>;

/**
 * The SQL of the SLA rule of src/domain/service/sla.ts, for the `breached` filter: the targets
 * tightened by the value-class factor, and a target missed when its event came after its due
 * time or has not come and now is past it.
 */
function breachSql(
  factors: Readonly<Record<string, number>>,
  now: Date,
): { sql: string; bindings: Knex.RawBinding[] } {
  const entries = Object.entries(factors);
  const bindings: Knex.RawBinding[] = [];
  let factor = '1';
  if (entries.length > 0) {
    factor = `CASE v.value_class ${entries.map(() => 'WHEN ? THEN ?::numeric').join(' ')} ELSE 1 END`;
    for (const [valueClass, value] of entries) bindings.push(valueClass, String(value));
  }
  const due = (column: string) =>
    `sr.opened_at + interval '1 minute' * (GREATEST(1, CEIL(sl.${column} * ${factor})))::float8`;
  const sql = `(sl.id IS NOT NULL AND (COALESCE(sr.first_response_at, ?::timestamptz) > ${due('first_response_minutes')}
     OR COALESCE(sr.resolved_at, ?::timestamptz) > ${due('resolve_minutes')}))`;
  // Placeholders in order: now, the first target's factor, now, the second target's factor.
  return { sql, bindings: [now, ...bindings, now, ...bindings] };
}

export class ServiceRecordRepository {
  constructor(
    private readonly knex: Knex,
    private readonly factors: Readonly<Record<string, number>>,
  ) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  private viewQuery(trx?: Knex.Transaction) {
    return this.db(trx)('service_records as sr')
      .leftJoin('service_levels as sl', function joinTargets() {
        this.on('sl.type', 'sr.type').andOn('sl.priority', 'sr.priority');
      })
      .joinRaw(`LEFT JOIN customer_values v ON ${valueJoinOn('sr.customer_id')}`)
      .select(
        'sr.*',
        'sl.first_response_minutes as sla_first_response_minutes',
        'sl.resolve_minutes as sla_resolve_minutes',
        'v.value_class as value_class',
        this.knex.raw(`${VALUE_AT_STAKE_SQL} AS value_at_stake`),
      );
  }

  async insert(rows: ServiceRecordRow[], trx: Knex.Transaction): Promise<void> {
    if (rows.length) await trx('service_records').insert(rows);
  }

  async findRow(id: string, trx: Knex.Transaction): Promise<ServiceRecordRow | undefined> {
    return trx('service_records').where({ id }).forUpdate().first();
  }

  async findRowsByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<ServiceRecordRow[]> {
    return trx('service_records').whereIn('external_id', externalIds).forUpdate();
  }

  async views(ids: string[], trx?: Knex.Transaction): Promise<ServiceRecordView[]> {
    if (ids.length === 0) return [];
    return this.viewQuery(trx).whereIn('sr.id', ids);
  }

  async view(id: string, trx?: Knex.Transaction): Promise<ServiceRecordView | undefined> {
    return (await this.views([id], trx))[0];
  }

  async update(
    id: string,
    version: number,
    columns: Partial<ServiceRecordColumns>,
    trx: Knex.Transaction,
  ): Promise<boolean> {
    const count = await trx('service_records')
      .where({ id, version })
      .update({ ...columns, version: version + 1 });
    return count === 1;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('service_records').where({ id }).delete();
  }

  async contactOwners(contactIds: string[], trx: Knex.Transaction): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows: Array<{ id: string; customer_id: string }> = await trx('customer_contacts')
      .whereIn('id', contactIds)
      .select('id', 'customer_id');
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }

  async addTransition(row: TransitionRow, trx: Knex.Transaction): Promise<void> {
    await trx('service_record_transitions').insert(row);
  }

  async transitions(recordId: string, limit: number, after?: CursorPosition): Promise<TransitionRow[]> {
    const q = this.knex('service_record_transitions').where('service_record_id', recordId);
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }

  async list(
    query: ServiceRecordListQuery,
    limit: number,
    now: Date,
    after?: CursorPosition,
  ): Promise<ServiceRecordView[]> {
    const q = this.viewQuery();
    if (query.customerId) q.where('sr.customer_id', query.customerId);
    if (query.status) q.where('sr.status', query.status);
    if (query.type) q.where('sr.type', query.type);
    if (query.priority) q.where('sr.priority', query.priority);
    if (query.assignee) q.where('sr.assignee', query.assignee);
    if (query.productId) q.where('sr.product_id', query.productId);
    if (query.from) q.where('sr.opened_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to) q.where('sr.opened_at', '<', new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000));
    if (query.breached !== undefined) {
      const { sql, bindings } = breachSql(this.factors, now);
      q.whereRaw(query.breached ? sql : `NOT ${sql}`, bindings);
    }
    const sort = query.sort ?? 'id';
    if (sort === '-valueAtStake') {
      const vas = VALUE_AT_STAKE_SQL;
      if (after && after.value !== null)
        q.whereRaw(`(${vas} < ? OR (${vas} = ? AND sr.id > ?) OR ${vas} IS NULL)`, [
          after.value,
          after.value,
          after.id,
        ]);
      else if (after) q.whereRaw(`${vas} IS NULL AND sr.id > ?`, [after.id]);
      q.orderByRaw(`${vas} DESC NULLS LAST, sr.id ASC`);
    } else if (sort === '-openedAt') {
      if (after) q.whereRaw('(sr.opened_at, sr.id) < (?::timestamptz, ?)', [after.value, after.id]);
      q.orderBy([
        { column: 'sr.opened_at', order: 'desc' },
        { column: 'sr.id', order: 'desc' },
      ]);
    } else {
      if (after) q.where('sr.id', '>', after.id);
      q.orderBy('sr.id');
    }
    return q.limit(limit + 1);
  }
}
