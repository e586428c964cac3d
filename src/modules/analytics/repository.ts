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

/** A customer whose value class, RFM segment or stars a run moved. */
export interface ValueChange {
  id: string;
  old_class: string | null;
  new_class: string | null;
  old_segment: string | null;
  new_segment: string | null;
  old_stars: number | null;
  new_stars: number | null;
  old_p_alive: number | null;
  new_p_alive: number | null;
}

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
   * For `COPY (...) TO STDOUT`: every live customer in id order with where it stands in its
   * lifecycle (docs/lifecycle.md): churn status, the epoch day it was set, its cause, the
   * stage and the day it was set (nulls when nothing was ever recorded).
   */
  liveCustomersQuery(): string {
    return `SELECT c.id, l.churn_status, (l.churn_since AT TIME ZONE 'UTC')::date - DATE '1970-01-01',
                   l.churn_cause, COALESCE(l.stage, 'selection'),
                   (l.stage_since AT TIME ZONE 'UTC')::date - DATE '1970-01-01'
              FROM customers c LEFT JOIN customer_lifecycle l ON l.customer_id = c.id
             WHERE c.deleted_at IS NULL ORDER BY c.id`;
  }

  /**
   * For `COPY (...) TO STDOUT`: per customer in id order, the epoch days on which it first
   * bought each product category (counted orders on or before asOf), "day day ...": the
   * stage rule's "a new product category" (docs/lifecycle.md). Run with PURCHASES_SESSION.
   */
  newCategoryDaysQuery(asOf: string): string {
    return this.knex
      .raw(
        `SELECT customer_id, string_agg(first_day::text, ' ')
           FROM (SELECT o.customer_id, min(o.ordered_at::date) - DATE '1970-01-01' AS first_day
                   FROM orders o
                   JOIN order_lines l ON l.order_id = o.id
                   JOIN products p ON p.id = l.product_id
                  WHERE o.ordered_at < (?::date + 1)::timestamp AT TIME ZONE 'UTC'
                    AND o.${COUNTED_STATUSES_SQL} AND p.category IS NOT NULL
                  GROUP BY o.customer_id, p.category) firsts
          GROUP BY customer_id
          ORDER BY customer_id`,
        [asOf],
      )
      .toQuery();
  }

  /** The latest asOf of a finished run: a run dated before it writes no lifecycle events. */
  async latestAsOf(): Promise<string | null> {
    const row = await this.knex('analytics_runs')
      .where({ status: 'done' })
      .max<{ max: unknown }[]>('as_of as max');
    const value = row[0]?.max;
    if (value === null || value === undefined) return null;
    return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
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
   * Customers whose value class, RFM segment or shown stars this run moved, against the run
   * before it (stars: the run's derived stars unless the customer has a manual override), or
   * whose P(alive) it found below `pAliveThreshold` where the run before had it at or above
   * (or had no value: a first assignment).
   */
  async valueChanges(
    runId: string,
    previousRunId: string | null,
    pAliveThreshold: number,
    trx: Knex.Transaction,
  ): Promise<ValueChange[]> {
    const { rows } = await trx.raw<{ rows: ValueChange[] }>(
      `SELECT n.customer_id AS id, p.value_class AS old_class, n.value_class AS new_class,
              p.rfm_segment AS old_segment, n.rfm_segment AS new_segment,
              COALESCE(c.stars_override, p.stars) AS old_stars, COALESCE(c.stars_override, n.stars) AS new_stars,
              p.p_alive::float8 AS old_p_alive, n.p_alive::float8 AS new_p_alive
         FROM customer_values n
         JOIN customers c ON c.id = n.customer_id
         LEFT JOIN customer_values p ON p.run_id = ?::uuid AND p.customer_id = n.customer_id
        WHERE n.run_id = ?::uuid
          AND (p.value_class IS DISTINCT FROM n.value_class OR p.rfm_segment IS DISTINCT FROM n.rfm_segment
               OR (c.stars_override IS NULL AND p.stars IS DISTINCT FROM n.stars)
               OR (n.p_alive < ?::float8 AND (p.p_alive IS NULL OR p.p_alive >= ?::float8)))
        ORDER BY n.customer_id`,
      [previousRunId, runId, pAliveThreshold, pAliveThreshold],
    );
    return rows;
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
