import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import type { ChangeRow, MemberChange } from '../../domain/segments/filter';
import type { CursorPosition } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventRepository } from '../events/repository';

export interface SegmentColumns {
  name: string;
  kind: 'dynamic' | 'static';
  filter: Record<string, unknown> | null;
  refreshed_at: Date | null;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface SegmentRow extends SegmentColumns {
  id: string;
  version: number;
  created_at: Date;
  /** Live members now (selected, not stored). */
  member_count: number;
}

export interface MemberRow {
  customer_id: string;
  external_id: string | null;
  name: string;
  added_at: Date;
}

export interface RefreshRow {
  id: string;
  segment_id: string;
  run_id: string | null;
  refreshed_at: Date;
  entered: number;
  left: number;
  member_count: number;
}

export interface Materialised {
  entered: number;
  left: number;
  memberCount: number;
}

/** The live members of segment `s`: a deleted customer is no member (docs/segments.md). */
const LIVE_MEMBERS = `FROM segment_members m JOIN customers c ON c.id = m.customer_id AND c.deleted_at IS NULL`;
const MEMBER_COUNT_SQL = `(SELECT count(*)::int ${LIVE_MEMBERS} WHERE m.segment_id = segments.id) AS member_count`;

export class SegmentRepository {
  constructor(
    private readonly knex: Knex,
    private readonly events: EventRepository,
  ) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  private read(db: Knex) {
    return db('segments').select('segments.*', db.raw(MEMBER_COUNT_SQL));
  }

  async findById(id: string, trx?: Knex.Transaction): Promise<SegmentRow | undefined> {
    return this.read(this.db(trx)).where('segments.id', id).first();
  }

  /** Locks the segment's row for the rest of the transaction: one writer of its membership at a time. */
  async lock(id: string, trx: Knex.Transaction): Promise<boolean> {
    const row = await trx('segments').where({ id }).forUpdate().first('id');
    return row !== undefined;
  }

  async insert(row: SegmentColumns & { id: string; created_at: Date }, trx: Knex.Transaction): Promise<void> {
    await trx('segments').insert({ ...row, filter: row.filter === null ? null : JSON.stringify(row.filter) });
  }

  async update(
    id: string,
    version: number,
    columns: Partial<SegmentColumns>,
    trx: Knex.Transaction,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { ...columns, version: version + 1 };
    if (columns.filter !== undefined)
      set.filter = columns.filter === null ? null : JSON.stringify(columns.filter);
    const rows = await trx('segments').where({ id, version }).update(set).returning('id');
    return rows.length === 1;
  }

  async touch(id: string, at: Date, trx: Knex.Transaction): Promise<void> {
    await trx('segments').where({ id }).update({ refreshed_at: at });
  }

  async list(
    filter: { kind?: string; includeDeleted?: boolean },
    limit: number,
    after?: CursorPosition,
  ): Promise<SegmentRow[]> {
    const q = this.read(this.knex);
    if (!filter.includeDeleted) q.whereNull('segments.deleted_at');
    if (filter.kind) q.where('segments.kind', filter.kind);
    if (after) q.where('segments.id', '>', after.id);
    return q.orderBy('segments.id').limit(limit + 1);
  }

  /** The live dynamic segments, by id: those an analytics run re-materialises. */
  async liveDynamicIds(trx: Knex.Transaction): Promise<string[]> {
    const rows: Array<{ id: string }> = await trx('segments')
      .where({ kind: 'dynamic' })
      .whereNull('deleted_at')
      .orderBy('id')
      .select('id');
    return rows.map((r) => r.id);
  }

  /** Of `ids`, those of live customers. */
  async liveCustomers(ids: string[], trx: Knex.Transaction): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await trx('customers')
      .whereRaw('id = ANY(?::uuid[])', [arrayLiteral(ids)])
      .whereNull('deleted_at')
      .select('id');
    return new Set(rows.map((r) => r.id));
  }

  /** Adds the customers not yet members; answers those it added. */
  async addMembers(
    segmentId: string,
    customerIds: string[],
    at: Date,
    trx: Knex.Transaction,
  ): Promise<string[]> {
    if (customerIds.length === 0) return [];
    const { rows } = await trx.raw<{ rows: Array<{ customer_id: string }> }>(
      `INSERT INTO segment_members (segment_id, customer_id, added_at)
       SELECT ?::uuid, x.id, ?::timestamptz FROM unnest(?::uuid[]) AS x(id)
       ON CONFLICT (segment_id, customer_id) DO NOTHING
       RETURNING customer_id`,
      [segmentId, at.toISOString(), arrayLiteral(customerIds)],
    );
    return rows.map((r) => r.customer_id);
  }

  async removeMember(segmentId: string, customerId: string, trx: Knex.Transaction): Promise<boolean> {
    const rows = await trx('segment_members')
      .where({ segment_id: segmentId, customer_id: customerId })
      .delete()
      .returning('customer_id');
    return rows.length === 1;
  }

  /** A page of live members in customer id order. */
  async members(segmentId: string, limit: number, afterCustomerId?: string): Promise<MemberRow[]> {
    const { rows } = await this.knex.raw<{ rows: MemberRow[] }>(
      `SELECT m.customer_id, c.external_id, c.name, m.added_at ${LIVE_MEMBERS}
        WHERE m.segment_id = ?::uuid ${afterCustomerId ? 'AND m.customer_id > ?::uuid' : ''}
        ORDER BY m.customer_id LIMIT ?`,
      afterCustomerId ? [segmentId, afterCustomerId, limit + 1] : [segmentId, limit + 1],
    );
    return rows;
  }

  async count(segmentId: string, trx?: Knex.Transaction): Promise<number> {
    const { rows } = await this.db(trx).raw<{ rows: Array<{ count: number }> }>(
      `SELECT count(*)::int AS count ${LIVE_MEMBERS} WHERE m.segment_id = ?::uuid`,
      [segmentId],
    );
    return rows[0]!.count;
  }

  /** The live members' ids, sorted. */
  async liveMemberIds(segmentId: string, trx: Knex.Transaction): Promise<string[]> {
    const { rows } = await trx.raw<{ rows: Array<{ customer_id: string }> }>(
      `SELECT m.customer_id ${LIVE_MEMBERS} WHERE m.segment_id = ?::uuid ORDER BY m.customer_id`,
      [segmentId],
    );
    return rows.map((r) => r.customer_id);
  }

  /**
   * Re-materialises a dynamic segment from `target` (a query of customer ids) in set-based SQL:
   * the differences both ways (EXCEPT) are recorded as the refresh's changes, the members table
   * follows them, and one outbox event per customer entering or leaving is written from the
   * changes, as one batch placed last (docs/design.md "The one write path").
   */
  async materialise(
    args: {
      segmentId: string;
      refreshId: string;
      runId: string | null;
      target: Knex.QueryBuilder;
      at: Date;
      batchId: string;
      actor: Actor;
    },
    trx: Knex.Transaction,
  ): Promise<Materialised> {
    const { segmentId, refreshId, runId, at } = args;
    await trx('segment_refreshes').insert({
      id: refreshId,
      segment_id: segmentId,
      run_id: runId,
      refreshed_at: at,
      entered: 0,
      left: 0,
      member_count: 0,
    });
    const target = args.target.toSQL();
    await trx.raw(
      `WITH target AS MATERIALIZED (${target.sql}),
            current_members AS (SELECT customer_id FROM segment_members WHERE segment_id = ?::uuid)
       INSERT INTO segment_changes (refresh_id, change, customer_id)
       SELECT ?::uuid, 'entered', e.id FROM (SELECT id FROM target EXCEPT SELECT customer_id FROM current_members) e
       UNION ALL
       SELECT ?::uuid, 'left', l.customer_id
         FROM (SELECT customer_id FROM current_members EXCEPT SELECT id FROM target) l`,
      [...target.bindings, segmentId, refreshId, refreshId],
    );
    await trx.raw(
      `DELETE FROM segment_members m USING segment_changes c
        WHERE c.refresh_id = ?::uuid AND c.change = 'left' AND m.segment_id = ?::uuid AND m.customer_id = c.customer_id`,
      [refreshId, segmentId],
    );
    await trx.raw(
      `INSERT INTO segment_members (segment_id, customer_id, added_at)
       SELECT ?::uuid, customer_id, ?::timestamptz FROM segment_changes WHERE refresh_id = ?::uuid AND change = 'entered'`,
      [segmentId, at.toISOString(), refreshId],
    );
    const { rows } = await trx.raw<{ rows: Array<{ change: MemberChange; count: number }> }>(
      'SELECT change, count(*)::int AS count FROM segment_changes WHERE refresh_id = ?::uuid GROUP BY change',
      [refreshId],
    );
    const entered = rows.find((r) => r.change === 'entered')?.count ?? 0;
    const left = rows.find((r) => r.change === 'left')?.count ?? 0;
    const memberCount = await this.count(segmentId, trx);
    await trx('segment_refreshes')
      .where({ id: refreshId })
      .update({ entered, left, member_count: memberCount });
    await trx('segments').where({ id: segmentId }).update({ refreshed_at: at });
    if (entered + left > 0) {
      await trx.raw(
        `INSERT INTO events (batch_id, n, id, type, occurred_at, entity_type, entity_id, customer_id, run_id,
                             actor_key_id, actor_name, request_id, data, changes)
         SELECT ?::uuid, row_number() OVER (ORDER BY c.change, c.customer_id), gen_random_uuid(),
                CASE c.change WHEN 'entered' THEN 'segment.member_added' ELSE 'segment.member_removed' END,
                ?::timestamptz, 'segment', ?::uuid, c.customer_id, ?::uuid, ?::uuid, ?::text, ?::text,
                json_build_object('segmentId', ?::uuid, 'customerId', c.customer_id, 'runId', ?::uuid), NULL
           FROM segment_changes c WHERE c.refresh_id = ?::uuid`,
        [
          args.batchId,
          at.toISOString(),
          segmentId,
          runId,
          args.actor.keyId,
          args.actor.name,
          args.actor.requestId,
          segmentId,
          runId,
          refreshId,
        ],
      );
      await this.events.closeBatch(args.batchId, trx);
    }
    return { entered, left, memberCount };
  }

  async runExists(runId: string): Promise<boolean> {
    const row = await this.knex('analytics_runs').where({ id: runId }).first('id');
    return row !== undefined;
  }

  /** The latest finished run (the current one), if any. */
  async currentRunId(): Promise<string | undefined> {
    const row = await this.knex('analytics_runs')
      .where({ status: 'done' })
      .orderBy('finished_at', 'desc')
      .first('id');
    return row?.id as string | undefined;
  }

  async findRefresh(segmentId: string, runId: string): Promise<RefreshRow | undefined> {
    return this.knex('segment_refreshes').where({ segment_id: segmentId, run_id: runId }).first();
  }

  /** A refresh's changes in (change, customer id) order after `after`, one more than `limit`. */
  async changes(refreshId: string, limit: number, after?: ChangeRow): Promise<ChangeRow[]> {
    const q = this.knex('segment_changes')
      .where({ refresh_id: refreshId })
      .select('change', 'customer_id as customerId')
      .orderBy([{ column: 'change' }, { column: 'customer_id' }])
      .limit(limit + 1);
    if (after) q.whereRaw('(change, customer_id) > (?, ?::uuid)', [after.change, after.customerId]);
    return q;
  }
}
