import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import type { StoredEvent } from '../../domain/webhooks';

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  ord: string;
  subscription_id: string;
  batch_id: string;
  n: number;
  seq: string;
  event_id: string;
  event_type: string;
  order_key: string;
  status: DeliveryStatus;
  attempt_count: number;
  attempts_total: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  lease_owner: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
}

export type AttemptRecord = Omit<AttemptRow, 'delivery_id' | 'attempt'>;

/** What a failed attempt leaves: another try at `nextAttemptAt`, or none (`failed`). */
export type FailureOutcome = { nextAttemptAt: Date } | { nextAttemptAt: null };

export interface DeliveryLogFilter {
  subscriptionId: string;
  status?: DeliveryStatus;
  eventType?: string;
  beforeOrd?: string;
  limit: number;
}

const OPEN = "('pending', 'delivering')";

/**
 * The deliveries of the outbox to subscriptions (docs/webhooks.md): fan-out, claiming in order
 * per subscription and customer, the record of each attempt, the log, retries and replays.
 */
export class DeliveryRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Fans the outbox batches after the cursor out to the subscriptions that hear them, in one
   * statement, and moves the cursor. One instance at a time: the others skip while the cursor
   * row is locked. Answers the deliveries made.
   */
  async fanOut(now: Date, maxBatches: number): Promise<number> {
    // Most ticks find nothing new: one cheap statement instead of a transaction of five.
    const { rows: behind } = await this.knex.raw<{ rows: Array<{ behind: boolean | null }> }>(
      `SELECT (SELECT max(seq) FROM event_batches) > (SELECT seq FROM webhook_dispatch WHERE id = 1) AS behind`,
    );
    if (!behind[0]?.behind) return 0;
    return this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: Array<{ seq: string }> }>(
        'SELECT seq FROM webhook_dispatch WHERE id = 1 FOR UPDATE SKIP LOCKED',
      );
      if (rows.length === 0) return 0;
      const from = rows[0]!.seq;
      const head = await trx.raw<{ rows: Array<{ upto: string | null }> }>(
        'SELECT max(seq) AS upto FROM (SELECT seq FROM event_batches WHERE seq > ?::bigint ORDER BY seq LIMIT ?) x',
        [from, maxBatches],
      );
      const upto = head.rows[0]?.upto ?? null;
      if (upto === null) return 0;
      const inserted = await trx.raw<{ rowCount: number }>(
        `INSERT INTO webhook_deliveries (id, subscription_id, batch_id, n, seq, event_id, event_type, order_key,
                                         status, next_attempt_at, created_at, updated_at)
         SELECT gen_random_uuid(), s.id, e.batch_id, e.n, b.seq, e.id, e.type, COALESCE(e.customer_id, e.entity_id),
                'pending', ?::timestamptz, ?::timestamptz, ?::timestamptz
           FROM event_batches b
           JOIN events e ON e.batch_id = b.batch_id
           JOIN webhook_subscriptions s ON b.seq > s.from_seq AND (e.type = ANY (s.event_types) OR '*' = ANY (s.event_types))
          WHERE b.seq > ?::bigint AND b.seq <= ?::bigint AND e.data IS NOT NULL
          ORDER BY b.seq, e.n`,
        [now.toISOString(), now.toISOString(), now.toISOString(), from, upto],
      );
      await trx.raw('UPDATE webhook_dispatch SET seq = ?::bigint WHERE id = 1', [upto]);
      return Number(inserted.rowCount ?? 0);
    });
  }

  /**
   * Claims up to `limit` due deliveries for `owner` until `leaseUntil`: pending and due, or
   * delivering under an expired lease (its sender died), of an enabled subscription, and the
   * first open one of its subscription and ordering key, so a customer's events go out one at
   * a time in outbox order while other customers' do not wait. SKIP LOCKED lets instances
   * claim side by side; a row another instance is claiming is skipped, and its later rows are
   * held back by the open row itself.
   */
  async claim(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<DeliveryRow[]> {
    const { rows } = await this.knex.raw<{ rows: DeliveryRow[] }>(
      `UPDATE webhook_deliveries d
          SET status = 'delivering', lease_owner = ?, lease_until = ?::timestamptz, updated_at = ?::timestamptz
        WHERE d.id IN (
          SELECT c.id FROM webhook_deliveries c
            JOIN webhook_subscriptions s ON s.id = c.subscription_id
           WHERE s.enabled
             AND c.status IN ${OPEN}
             AND ((c.status = 'pending' AND c.next_attempt_at <= ?::timestamptz)
                  OR (c.status = 'delivering' AND c.lease_until < ?::timestamptz))
             AND NOT EXISTS (
               SELECT 1 FROM webhook_deliveries p
                WHERE p.subscription_id = c.subscription_id AND p.order_key = c.order_key
                  AND p.status IN ${OPEN}
                  AND (p.seq, p.n, p.id) < (c.seq, c.n, c.id))
           ORDER BY c.next_attempt_at, c.seq, c.n
           LIMIT ?
           FOR UPDATE OF c SKIP LOCKED)
      RETURNING d.*`,
      [owner, leaseUntil.toISOString(), now.toISOString(), now.toISOString(), now.toISOString(), limit],
    );
    return rows;
  }

  /** The stored events of claimed deliveries, by `batch_id:n`. */
  async eventsOf(deliveries: readonly DeliveryRow[]): Promise<Map<string, StoredEvent>> {
    const out = new Map<string, StoredEvent>();
    if (deliveries.length === 0) return out;
    const { rows } = await this.knex.raw<{
      rows: Array<{
        batch_id: string;
        n: number;
        id: string;
        type: string;
        occurred_at: Date;
        entity_type: string;
        entity_id: string;
        customer_id: string | null;
        run_id: string | null;
        data: unknown;
        changes: StoredEvent['changes'];
        actor_key_id: string | null;
        actor_name: string | null;
        request_id: string | null;
      }>;
    }>(
      `SELECT e.batch_id, e.n, e.id, e.type, e.occurred_at, e.entity_type, e.entity_id, e.customer_id, e.run_id,
              e.data, e.changes, e.actor_key_id, e.actor_name, e.request_id
         FROM events e
         JOIN ROWS FROM (json_to_recordset(?::json) AS (batch_id uuid, n integer)) k
           ON k.batch_id = e.batch_id AND k.n = e.n
        WHERE e.data IS NOT NULL`,
      [JSON.stringify(deliveries.map((d) => ({ batch_id: d.batch_id, n: d.n })))],
    );
    for (const r of rows)
      out.set(`${r.batch_id}:${r.n}`, {
        id: r.id,
        type: r.type,
        occurredAt: new Date(r.occurred_at),
        entityType: r.entity_type,
        entityId: r.entity_id,
        customerId: r.customer_id,
        runId: r.run_id,
        data: r.data,
        changes: r.changes,
        actorKeyId: r.actor_key_id,
        actorName: r.actor_name,
        requestId: r.request_id,
      });
    return out;
  }

  /**
   * Records an attempt of a delivery this owner holds, and its outcome. Answers false when the
   * lease was lost meanwhile (another instance took the delivery over): nothing is recorded.
   */
  async recordAttempt(
    delivery: DeliveryRow,
    owner: string,
    attempt: AttemptRecord,
    outcome: { succeeded: true } | ({ succeeded: false } & FailureOutcome),
  ): Promise<boolean> {
    const status: DeliveryStatus = outcome.succeeded
      ? 'succeeded'
      : outcome.nextAttemptAt === null
        ? 'failed'
        : 'pending';
    const next =
      !outcome.succeeded && outcome.nextAttemptAt ? outcome.nextAttemptAt : delivery.next_attempt_at;
    const { rows } = await this.knex.raw<{ rows: Array<{ id: string }> }>(
      `WITH d AS (
         UPDATE webhook_deliveries
            SET status = ?, attempt_count = attempt_count + 1, attempts_total = attempts_total + 1,
                next_attempt_at = ?::timestamptz, lease_owner = NULL, lease_until = NULL, updated_at = ?::timestamptz
          WHERE id = ?::uuid AND lease_owner = ? AND status = 'delivering'
          RETURNING id, attempts_total)
       INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms, response_body, error)
       SELECT id, attempts_total, ?::timestamptz, ?, ?, ?, ? FROM d
       RETURNING delivery_id AS id`,
      [
        status,
        new Date(next).toISOString(),
        attempt.at.toISOString(),
        delivery.id,
        owner,
        attempt.at.toISOString(),
        attempt.status_code,
        attempt.latency_ms,
        attempt.response_body,
        attempt.error,
      ],
    );
    return rows.length > 0;
  }

  /** Hands back deliveries claimed but not sent (shutdown), for any instance to take at once. */
  async release(ids: readonly string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.knex('webhook_deliveries')
      .whereIn('id', ids)
      .where({ lease_owner: owner, status: 'delivering' })
      .update({ status: 'pending', lease_owner: null, lease_until: null });
  }

  /**
   * A subscription's health after an attempt: a success clears `failing_since`; a failure
   * starts it, and disables the subscription when every attempt since then failed for longer
   * than `disableAfterMs`. Answers the reason when this attempt disabled it.
   */
  async noteOutcome(
    subscriptionId: string,
    succeeded: boolean,
    now: Date,
    disableAfterMs: number,
  ): Promise<string | null> {
    if (succeeded) {
      await this.knex('webhook_subscriptions')
        .where({ id: subscriptionId })
        .whereNotNull('failing_since')
        .update({ failing_since: null });
      return null;
    }
    const cutoff = new Date(now.getTime() - disableAfterMs);
    const { rows } = await this.knex.raw<{ rows: Array<{ disabled_reason: string | null }> }>(
      `UPDATE webhook_subscriptions
          SET failing_since = COALESCE(failing_since, ?::timestamptz),
              enabled = CASE WHEN COALESCE(failing_since, ?::timestamptz) <= ?::timestamptz THEN false ELSE enabled END,
              disabled_reason = CASE WHEN enabled AND COALESCE(failing_since, ?::timestamptz) <= ?::timestamptz
                                     THEN 'every delivery attempt failed since ' ||
                                          to_char(COALESCE(failing_since, ?::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                                     ELSE disabled_reason END
        WHERE id = ?::uuid
        RETURNING (CASE WHEN NOT enabled THEN disabled_reason END) AS disabled_reason`,
      [
        now.toISOString(),
        now.toISOString(),
        cutoff.toISOString(),
        now.toISOString(),
        cutoff.toISOString(),
        now.toISOString(),
        subscriptionId,
      ],
    );
    return rows[0]?.disabled_reason ?? null;
  }

  /** The log, newest first. */
  async log(filter: DeliveryLogFilter): Promise<DeliveryRow[]> {
    const q = this.knex<DeliveryRow>('webhook_deliveries')
      .where({ subscription_id: filter.subscriptionId })
      .orderBy('ord', 'desc')
      .limit(filter.limit);
    if (filter.status) q.where({ status: filter.status });
    if (filter.eventType) q.where({ event_type: filter.eventType });
    if (filter.beforeOrd !== undefined) q.where('ord', '<', filter.beforeOrd);
    return q;
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return this.knex<AttemptRow>('webhook_attempts')
      .whereIn('delivery_id', deliveryIds)
      .orderBy(['delivery_id', 'attempt']);
  }

  async find(subscriptionId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.knex<DeliveryRow>('webhook_deliveries')
      .where({ subscription_id: subscriptionId, id })
      .first();
  }

  /** Sends a finished delivery again: a fresh round of the schedule, due now. */
  async retry(subscriptionId: string, id: string, now: Date): Promise<DeliveryRow | undefined> {
    const [row] = await this.knex('webhook_deliveries')
      .where({ subscription_id: subscriptionId, id })
      .whereIn('status', ['succeeded', 'failed'])
      .update({ status: 'pending', attempt_count: 0, next_attempt_at: now, updated_at: now })
      .returning('*');
    return row as DeliveryRow | undefined;
  }

  /**
   * New deliveries of the events the outbox still holds whose occurredAt lies in [from, to],
   * of the subscription's types (and `types`, when given); answers how many.
   */
  async replay(
    subscriptionId: string,
    window: { from: Date; to: Date | null; types: readonly string[] | null },
    now: Date,
  ): Promise<number> {
    const { rowCount } = await this.knex.raw<{ rowCount: number }>(
      `INSERT INTO webhook_deliveries (id, subscription_id, batch_id, n, seq, event_id, event_type, order_key,
                                       status, next_attempt_at, created_at, updated_at)
       SELECT gen_random_uuid(), s.id, e.batch_id, e.n, b.seq, e.id, e.type, COALESCE(e.customer_id, e.entity_id),
              'pending', ?::timestamptz, ?::timestamptz, ?::timestamptz
         FROM webhook_subscriptions s
         JOIN events e ON (e.type = ANY (s.event_types) OR '*' = ANY (s.event_types))
         JOIN event_batches b ON b.batch_id = e.batch_id
        WHERE s.id = ?::uuid AND e.data IS NOT NULL
          AND e.occurred_at >= ?::timestamptz
          AND (?::timestamptz IS NULL OR e.occurred_at <= ?::timestamptz)
          AND (?::text[] IS NULL OR e.type = ANY (?::text[]))
        ORDER BY b.seq, e.n`,
      [
        now.toISOString(),
        now.toISOString(),
        now.toISOString(),
        subscriptionId,
        window.from.toISOString(),
        window.to?.toISOString() ?? null,
        window.to?.toISOString() ?? null,
        window.types && arrayLiteral(window.types),
        window.types && arrayLiteral(window.types),
      ],
    );
    return Number(rowCount ?? 0);
  }
}
