import type { Knex } from 'knex';
import type { InstantRange } from '../../domain/service/day-range';
import type { CursorPosition } from '../../http/pagination';
import { VALUE_AT_STAKE_SQL, valueJoinOn } from '../shared/value-at-stake';
import type { FollowUpSort } from './schemas';

export interface FollowUpRow {
  id: string;
  customer_id: string;
  contact_id: string | null;
  owner: string;
  planned_at: Date;
  purpose: string | null;
  content: string | null;
  outcome: string | null;
  completed_at: Date | null;
  previous_id: string | null;
  next_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type FollowUpColumns = Partial<Omit<FollowUpRow, 'id' | 'version' | 'created_at'>>;

export interface FollowUpFilter {
  owner?: string;
  customerId?: string;
  status?: 'open' | 'done';
  overdue?: boolean;
  range: InstantRange;
  now: Date;
  sort: FollowUpSort;
}

/** A list row: the follow-up and, for the value sort, its customer's value at stake. */
export type FollowUpListRow = FollowUpRow & { value_at_stake?: number | null };

export class FollowUpRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(row: Omit<FollowUpRow, 'version'>, trx: Knex.Transaction): Promise<FollowUpRow> {
    const [created] = await trx('follow_ups').insert(row).returning('*');
    return created as FollowUpRow;
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<FollowUpRow | undefined> {
    const q = this.db(trx)('follow_ups').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async update(id: string, version: number, columns: FollowUpColumns, trx: Knex.Transaction) {
    const [row] = await trx('follow_ups')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as FollowUpRow | undefined;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    // The neighbours in a chain of visits lose their link, not their history.
    await trx('follow_ups').where({ next_id: id }).update({ next_id: null });
    await trx('follow_ups').where({ previous_id: id }).update({ previous_id: null });
    await trx('follow_ups').where({ id }).delete();
  }

  /** The customer of each of these contact persons that exists. */
  async contactOwners(contactIds: string[], trx: Knex.Transaction): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows: Array<{ id: string; customer_id: string }> = await trx('customer_contacts')
      .whereIn('id', contactIds)
      .select('id', 'customer_id');
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }

  /**
   * `plannedAt`: (planned_at, id) ascending. `-valueAtStake`: the current run's value at stake
   * descending, customers it did not value last, then id; the keyset condition spells the
   * NULLS LAST order out, since a row comparison cannot.
   */
  async list(filter: FollowUpFilter, limit: number, after?: CursorPosition): Promise<FollowUpListRow[]> {
    const q = this.knex('follow_ups as f');
    if (filter.owner) q.where('f.owner', filter.owner);
    if (filter.customerId) q.where('f.customer_id', filter.customerId);
    if (filter.status === 'open') q.whereNull('f.completed_at');
    if (filter.status === 'done') q.whereNotNull('f.completed_at');
    if (filter.overdue === true) q.whereNull('f.completed_at').where('f.planned_at', '<', filter.now);
    if (filter.overdue === false)
      q.where((w) => w.whereNotNull('f.completed_at').orWhere('f.planned_at', '>=', filter.now));
    if (filter.range.start) q.where('f.planned_at', '>=', filter.range.start);
    if (filter.range.end) q.where('f.planned_at', '<', filter.range.end);
    if (filter.sort === 'plannedAt') {
      q.select('f.*');
      if (after) q.whereRaw('(f.planned_at, f.id) > (?::timestamptz, ?::uuid)', [after.value, after.id]);
      q.orderBy([
        { column: 'f.planned_at', order: 'asc' },
        { column: 'f.id', order: 'asc' },
      ]);
    } else {
      q.select('f.*', this.knex.raw(`${VALUE_AT_STAKE_SQL} AS value_at_stake`));
      q.leftJoin('customer_values as v', this.knex.raw(valueJoinOn('f.customer_id')));
      if (after && after.value === null)
        q.whereRaw(`${VALUE_AT_STAKE_SQL} IS NULL AND f.id > ?::uuid`, [after.id]);
      if (after && after.value !== null) {
        q.whereRaw(
          `(${VALUE_AT_STAKE_SQL} < ?::float8 OR (${VALUE_AT_STAKE_SQL} = ?::float8 AND f.id > ?::uuid) OR ${VALUE_AT_STAKE_SQL} IS NULL)`,
          [after.value, after.value, after.id],
        );
      }
      q.orderByRaw(`${VALUE_AT_STAKE_SQL} DESC NULLS LAST, f.id ASC`);
    }
    return q.limit(limit + 1);
  }

  /** What the report needs of the follow-ups planned in the range. */
  async plannedIn(
    range: InstantRange,
  ): Promise<Array<Pick<FollowUpRow, 'owner' | 'planned_at' | 'completed_at'>>> {
    const q = this.knex('follow_ups').select('owner', 'planned_at', 'completed_at');
    if (range.start) q.where('planned_at', '>=', range.start);
    if (range.end) q.where('planned_at', '<', range.end);
    return q;
  }
}
