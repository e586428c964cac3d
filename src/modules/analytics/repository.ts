import type { Knex } from 'knex';

export interface RunRow {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  phase: string;
  as_of: string;
  time_unit: 'day' | 'week' | 'month';
  horizon_months: number;
  annual_discount_rate: number;
  margin: number;
  customers_total: number | null;
  customers_done: number;
  models: unknown;
  segments: unknown;
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** The instance key of the process doing the run (src/db/instance-lease.ts). */
  owner_instance: number | null;
}

/** customer_values columns (besides run_id) and their types, as the binary COPY of a snapshot writes them. */
export const VALUE_COLUMN_TYPES = {
  customer_id: 'uuid',
  purchases: 'int',
  frequency: 'int',
  recency: 'float8',
  age: 'float8',
  since_last_purchase: 'float8',
  average_cycle: 'float8',
  average_amount: 'float8',
  total_amount: 'float8',
  rfm_r: 'int2',
  rfm_f: 'int2',
  rfm_m: 'int2',
  rfm_code: 'text',
  rfm_segment: 'text',
  value_class: 'text',
  clv_historical: 'float8',
  clv_current: 'float8',
  clv_predicted: 'float8',
  expected_purchases: 'float8',
  expected_average_amount: 'float8',
  churn_status: 'text',
  p_alive: 'float8',
  stars: 'int2',
} as const;

export type ValueRow = Record<string, unknown> & { customer_id: string };

/** A customer whose churn status or stars publishing a run set, before and after. */
export interface PublishedChange {
  id: string;
  old_status: string;
  new_status: string;
  old_stars: number | null;
  new_stars: number | null;
}

/** A customer whose value class or RFM segment a run moved. */
export interface ValueChange {
  id: string;
  old_class: string | null;
  new_class: string | null;
  old_segment: string | null;
  new_segment: string | null;
}

/** Customers published per statement. */
const PUBLISH_CHUNK = 10_000;

/** What purchasesQuery needs of the session it runs in. */
export const PURCHASES_SESSION = ["SET LOCAL timezone = 'UTC'"];

/** Orders that count for value: not cancelled or returned, converted to the reporting currency. */
const COUNTED_STATUSES_SQL = "status NOT IN ('cancelled', 'returned')";

export class AnalyticsRepository {
  constructor(private readonly knex: Knex) {}

  async insertRun(
    row: Omit<
      RunRow,
      'customers_done' | 'models' | 'segments' | 'error' | 'started_at' | 'finished_at' | 'customers_total'
    >,
  ): Promise<RunRow> {
    const [created] = await this.knex('analytics_runs').insert(row).returning('*');
    return created as RunRow;
  }

  async updateRun(id: string, columns: Partial<RunRow>, trx?: Knex.Transaction): Promise<void> {
    const values: Record<string, unknown> = { ...columns };
    for (const key of ['models', 'segments', 'error']) {
      if (values[key] !== undefined) values[key] = JSON.stringify(values[key]);
    }
    await (trx ?? this.knex)('analytics_runs').where({ id }).update(values);
  }

  async findRun(id: string): Promise<RunRow | undefined> {
    return this.knex('analytics_runs').where({ id }).first();
  }

  async latestDone(): Promise<RunRow | undefined> {
    return this.knex('analytics_runs').where({ status: 'done' }).orderBy('finished_at', 'desc').first();
  }

  /** Runs a crashed process left behind can never finish: mark them failed. */
  /** Runs not finished: queued or running, here or in another process. */
  async unfinishedRuns(): Promise<Array<Pick<RunRow, 'id' | 'owner_instance'>>> {
    return this.knex('analytics_runs')
      .whereIn('status', ['queued', 'running'])
      .select('id', 'owner_instance');
  }

  /** Fails runs whose process stopped: they can never finish. */
  async failInterrupted(ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.knex('analytics_runs')
      .whereIn('id', ids)
      .whereIn('status', ['queued', 'running'])
      .update({
        status: 'failed',
        phase: 'failed',
        finished_at: at,
        error: JSON.stringify({ code: 'interrupted', message: 'The server stopped during the run.' }),
      });
  }

  async countLiveCustomers(): Promise<number> {
    const [row] = await this.knex('customers')
      .whereNull('deleted_at')
      .count<{ count: string }[]>('* as count');
    return Number(row?.count ?? 0);
  }

  /**
   * For `COPY (...) TO STDOUT`: every live customer in id order with what a run needs of it:
   * id, churn status, the epoch day it was set (null if never), whether a churn reason was
   * recorded by hand, and the derived stars.
   */
  liveCustomersQuery(): string {
    return `SELECT id, churn_status, (churn_status_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01',
                   churn_reason IS NOT NULL, stars_derived
              FROM customers WHERE deleted_at IS NULL ORDER BY id`;
  }

  /**
   * For `COPY (...) TO STDOUT`: per customer in id order, the counted orders on or before asOf
   * as "day amount day amount ..." (days since 1970-01-01 UTC, amounts in the reporting
   * currency). One scan of the (customer_id, ordered_at) index with no sort and no join: the
   * orders arrive in date order, the caller merges same-day orders and joins the customers
   * (a join here costs more than the whole scan). asOf is a validated calendar date, inlined
   * because COPY takes no parameters. Run it with the session time zone set to UTC
   * (PURCHASES_SESSION): `ordered_at::date` is then the UTC day, a cheaper conversion than
   * `AT TIME ZONE 'UTC'`, and the scan's largest cost after the text of the amounts.
   */
  purchasesQuery(asOf: string): string {
    return this.knex
      .raw(
        `SELECT customer_id,
                string_agg((ordered_at::date - DATE '1970-01-01') || ' ' || reporting_amount, ' ')
           FROM orders
          WHERE ordered_at < (?::date + 1)::timestamp AT TIME ZONE 'UTC' AND ${COUNTED_STATUSES_SQL}
          GROUP BY customer_id
          ORDER BY customer_id`,
        [asOf],
      )
      .toQuery();
  }

  /**
   * Makes a finished run's figures the customers' own where they changed, in the caller's
   * transaction: the churn status with its history (an event per change) and the derived
   * stars. `changed` lists the customers the run found different; each is checked again
   * against its row now, so a change made meanwhile is not overwritten with a stale one.
   * `unrated` lists customers with derived stars and no purchase any more.
   */
  async publish(
    runId: string,
    asOf: string,
    changed: { ids: string[]; statuses: string[]; stars: number[] },
    unrated: string[],
    trx: Knex.Transaction,
  ): Promise<PublishedChange[]> {
    const published: PublishedChange[] = [];
    // Customers a statement at a time: bounded parameters, whatever the number of changes.
    for (let from = 0; from < changed.ids.length; from += PUBLISH_CHUNK) {
      const to = from + PUBLISH_CHUNK;
      const rows = await this.publishChanges(
        runId,
        asOf,
        {
          ids: changed.ids.slice(from, to),
          statuses: changed.statuses.slice(from, to),
          stars: changed.stars.slice(from, to),
        },
        trx,
      );
      for (const row of rows) published.push(row);
    }
    for (let from = 0; from < unrated.length; from += PUBLISH_CHUNK) {
      const { rows } = await trx.raw<{ rows: PublishedChange[] }>(
        `UPDATE customers c SET stars_derived = NULL, stars = c.stars_override
           FROM (SELECT o.id, o.churn_status AS old_status, o.stars AS old_stars
                   FROM unnest(?::uuid[]) AS x(id) JOIN customers o ON o.id = x.id) u
          WHERE c.id = u.id AND c.stars_derived IS NOT NULL
        RETURNING c.id, u.old_status, c.churn_status AS new_status, u.old_stars, c.stars AS new_stars`,
        [unrated.slice(from, from + PUBLISH_CHUNK)],
      );
      for (const row of rows) published.push(row);
    }
    return published;
  }

  /** Customers whose value class or RFM segment this run moved, against the run before it. */
  async valueChanges(
    runId: string,
    previousRunId: string | null,
    trx: Knex.Transaction,
  ): Promise<ValueChange[]> {
    const { rows } = await trx.raw<{ rows: ValueChange[] }>(
      `SELECT n.customer_id AS id, p.value_class AS old_class, n.value_class AS new_class,
              p.rfm_segment AS old_segment, n.rfm_segment AS new_segment
         FROM customer_values n
         LEFT JOIN customer_values p ON p.run_id = ?::uuid AND p.customer_id = n.customer_id
        WHERE n.run_id = ?::uuid
          AND (p.value_class IS DISTINCT FROM n.value_class OR p.rfm_segment IS DISTINCT FROM n.rfm_segment)
        ORDER BY n.customer_id`,
      [previousRunId, runId],
    );
    return rows;
  }

  private async publishChanges(
    runId: string,
    asOf: string,
    changed: { ids: string[]; statuses: string[]; stars: number[] },
    trx: Knex.Transaction,
  ): Promise<PublishedChange[]> {
    // A run's statuses hold at the last instant of its asOf day.
    const at = "((?::date + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 millisecond'";
    const rows = 'unnest(?::uuid[], ?::text[], ?::int2[]) AS u(id, status, stars)';
    await trx.raw(
      `INSERT INTO churn_events (customer_id, from_status, to_status, cause, run_id, at)
       SELECT c.id, CASE WHEN c.churn_status_at IS NULL THEN NULL ELSE c.churn_status END,
              u.status, 'analytics_run', ?, ${at}
         FROM ${rows} JOIN customers c ON c.id = u.id
        WHERE c.churn_status_at IS NULL OR c.churn_status <> u.status`,
      [runId, asOf, changed.ids, changed.statuses, changed.stars],
    );
    const { rows: published } = await trx.raw<{ rows: PublishedChange[] }>(
      `UPDATE customers c
          SET churn_status = u.status,
              churn_reason = CASE WHEN u.status = 'churned' AND c.churn_status = 'churned' THEN c.churn_reason END,
              churn_status_at = CASE WHEN c.churn_status = u.status AND c.churn_status_at IS NOT NULL
                                     THEN c.churn_status_at ELSE ${at} END,
              stars_derived = u.stars, stars = COALESCE(c.stars_override, u.stars)
         FROM (SELECT u.id, u.status, u.stars, o.churn_status AS old_status, o.stars AS old_stars
                 FROM ${rows} JOIN customers o ON o.id = u.id) u
        WHERE c.id = u.id
          AND (c.churn_status_at IS NULL OR c.churn_status <> u.status OR c.stars_derived IS DISTINCT FROM u.stars)
       RETURNING c.id, u.old_status, c.churn_status AS new_status, u.old_stars, c.stars AS new_stars`,
      [asOf, changed.ids, changed.statuses, changed.stars],
    );
    return published;
  }

  async valueOf(runId: string, customerId: string): Promise<ValueRow | undefined> {
    return this.knex('customer_values').where({ run_id: runId, customer_id: customerId }).first();
  }

  /** Snapshot rows in customer order, each with the customer's manual star rating (null without). */
  async valuesPage(runId: string, afterId: string | null, limit: number): Promise<ValueRow[]> {
    const query = this.knex('customer_values')
      .leftJoin('customers', 'customers.id', 'customer_values.customer_id')
      .where({ run_id: runId })
      .orderBy('customer_id')
      .limit(limit)
      .select('customer_values.*', 'customers.stars_override');
    if (afterId) query.where('customer_id', '>', afterId);
    return query;
  }
}
