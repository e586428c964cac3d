import type { Knex } from 'knex';
import type { FieldChange } from '../../domain/field-changes';

/** Where an event stands in the feed: its batch's place in commit order, then its own in the batch. */
export interface FeedPosition {
  seq: bigint;
  n: number;
}

/** One events row as the table holds it (with its batch's seq when read for the feed). */
export interface EventRow {
  seq: string;
  n: number;
  id: string;
  type: string;
  occurred_at: Date;
  entity_type: string;
  entity_id: string;
  customer_id: string | null;
  run_id: string | null;
  actor_key_id: string | null;
  actor_name: string | null;
  request_id: string | null;
  data: unknown;
  changes: FieldChange[] | null;
}

/** What one statement of events shares: who, why and when. */
export interface EventShared {
  occurredAt: Date;
  actorKeyId: string | null;
  actorName: string | null;
  requestId: string | null;
}

export interface EventInsert {
  id: string;
  type: string;
  entity_type: string;
  entity_id: string;
  customer_id: string | null;
  run_id: string | null;
  data: unknown;
  changes: FieldChange[] | null;
}

export interface FeedFilter {
  after: FeedPosition;
  type?: string;
  customerId?: string;
  servedSince: Date;
  limit: number;
}

/**
 * The key of the transaction-level advisory lock taken before a batch's seq is. Held until
 * commit, it makes `seq` run in commit order: a transaction can take a number only after
 * every earlier holder has committed or rolled back, so no reader ever sees a number while
 * a smaller one may still appear (docs/design.md "One write path"). Only the one-row insert
 * of the batch runs under it; the events themselves are written before, in parallel.
 */
const EVENT_APPEND_LOCK = 41_207;

export class EventRepository {
  constructor(private readonly knex: Knex) {}

  /** Appends events in input order as one batch; call it last in the transaction. */
  async append(
    batchId: string,
    events: EventInsert[],
    shared: EventShared,
    trx: Knex.Transaction,
  ): Promise<void> {
    if (events.length === 0) return;
    await trx.raw(
      `INSERT INTO events (batch_id, n, id, type, occurred_at, entity_type, entity_id, customer_id, run_id,
                           actor_key_id, actor_name, request_id, data, changes)
       SELECT ?::uuid, x.n, x.id, x.type, ?::timestamptz, x.entity_type, x.entity_id, x.customer_id, x.run_id,
              ?::uuid, ?::text, ?::text, x.data, x.changes
         FROM ROWS FROM (json_to_recordset(?::json)
                AS (id uuid, type text, entity_type text, entity_id uuid, customer_id uuid, run_id uuid,
                    data json, changes json)) WITH ORDINALITY
           AS x(id, type, entity_type, entity_id, customer_id, run_id, data, changes, n)`,
      [
        batchId,
        shared.occurredAt.toISOString(),
        shared.actorKeyId,
        shared.actorName,
        shared.requestId,
        JSON.stringify(events),
      ],
    );
    await this.closeBatch(batchId, trx);
  }

  /**
   * Places a batch whose event rows the transaction has written in commit order; last in the
   * transaction. `append` ends with it; a writer that builds its rows in SQL calls it itself.
   */
  async closeBatch(batchId: string, trx: Knex.Transaction): Promise<void> {
    // Keyed by schema too: each schema has its own events (tests run one schema per file).
    await trx.raw('SELECT pg_advisory_xact_lock(?::integer, hashtext(current_schema()))', [
      EVENT_APPEND_LOCK,
    ]);
    await trx.raw('INSERT INTO event_batches (batch_id) VALUES (?::uuid)', [batchId]);
  }

  /**
   * A page of the feed, and in the same statement (one snapshot) the highest sequence number
   * committed: with commits in sequence order, nothing at or below it can appear later, so a
   * filtered page may move its cursor there.
   */
  async feed(filter: FeedFilter): Promise<{ rows: EventRow[]; head: bigint }> {
    const conditions = [
      'b.seq >= ?::bigint',
      '(b.seq > ?::bigint OR e.n > ?::integer)',
      'e.data IS NOT NULL',
      'e.occurred_at >= ?::timestamptz',
    ];
    const seq = filter.after.seq.toString();
    const params: Array<string | number> = [seq, seq, filter.after.n, filter.servedSince.toISOString()];
    if (filter.type) {
      conditions.push('e.type = ?');
      params.push(filter.type);
    }
    if (filter.customerId) {
      conditions.push('e.customer_id = ?::uuid');
      params.push(filter.customerId);
    }
    params.push(filter.limit);
    const { rows } = await this.knex.raw<{ rows: Array<EventRow & { head: string | null }> }>(
      `WITH head AS (SELECT max(seq) AS head FROM event_batches)
       SELECT page.*, head.head FROM head
         LEFT JOIN LATERAL (
           SELECT b.seq, e.n, e.id, e.type, e.occurred_at, e.entity_type, e.entity_id, e.customer_id, e.run_id,
                  e.actor_key_id, e.actor_name, e.request_id, e.data, e.changes
             FROM event_batches b JOIN events e ON e.batch_id = b.batch_id
            WHERE ${conditions.join(' AND ')}
            ORDER BY b.seq, e.n
            LIMIT ?) page ON true`,
      params,
    );
    const head = BigInt(rows[0]?.head ?? '0');
    return { rows: rows.filter((r) => r.seq !== null), head };
  }

  /**
   * A record's audit trail, newest first: every event about it, whoever caused it. A
   * customer's includes its contact persons and the relationships it starts.
   */
  async history(
    entityId: string,
    withChildren: boolean,
    limit: number,
    beforeId?: string,
  ): Promise<EventRow[]> {
    const q = this.knex('events')
      .select(
        'id',
        'type',
        'occurred_at',
        'entity_type',
        'entity_id',
        'actor_key_id',
        'actor_name',
        'request_id',
        'run_id',
        'changes',
      )
      .where((w) => {
        w.where({ entity_id: entityId });
        if (withChildren)
          w.orWhere((c) =>
            c.where({ customer_id: entityId }).whereIn('entity_type', ['contact', 'relationship']),
          );
      })
      .orderBy('id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) q.where('id', '<', beforeId);
    return q;
  }

  /** Clears the resource data of events the feed no longer serves; their changes stay for the audit trail. */
  async clearDataBefore(cutoff: Date, batchSize: number): Promise<number> {
    const { rowCount } = await this.knex.raw<{ rowCount: number }>(
      `UPDATE events SET data = NULL
        WHERE (batch_id, n) IN (SELECT batch_id, n FROM events WHERE data IS NOT NULL AND occurred_at < ?::timestamptz
                                 LIMIT ?)`,
      [cutoff.toISOString(), batchSize],
    );
    return rowCount ?? 0;
  }
}
