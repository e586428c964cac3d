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
}

export interface CustomerPageRow {
  id: string;
  churn_status: string;
  churn_reason: string | null;
  churn_status_at: Date | null;
}

export interface PurchaseDayRow {
  customer_id: string;
  /** Days since 1970-01-01, UTC. */
  day: number;
  amount: number;
}

/** customer_values columns (besides run_id) and their SQL types, for the unnest insert. */
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
  async failUnfinished(at: Date): Promise<void> {
    await this.knex('analytics_runs')
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

  /** Live customers in id order, a page at a time, so a run holds one page of orders at once. */
  async customerPage(afterId: string | null, limit: number): Promise<CustomerPageRow[]> {
    const query = this.knex('customers')
      .select('id', 'churn_status', 'churn_reason', 'churn_status_at')
      .whereNull('deleted_at')
      .orderBy('id')
      .limit(limit);
    if (afterId) query.where('id', '>', afterId);
    return query;
  }

  /**
   * Purchase-days (same UTC day summed, in the reporting currency) on or before asOf of the
   * customers whose ids lie in [firstId, lastId], oldest first: one range scan of the
   * (customer_id, ordered_at) index. Amounts arrive as float8: analytics works in numbers.
   */
  async purchaseDays(firstId: string, lastId: string, asOf: string): Promise<PurchaseDayRow[]> {
    const result = await this.knex.raw(
      `SELECT customer_id, (ordered_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01' AS day,
              sum(amount * fx_rate)::float8 AS amount
         FROM orders
        WHERE customer_id BETWEEN ?::uuid AND ?::uuid
          AND ordered_at < (?::date + 1)::timestamp AT TIME ZONE 'UTC'
          AND ${COUNTED_STATUSES_SQL}
        GROUP BY customer_id, 2
        ORDER BY customer_id, 2`,
      [firstId, lastId, asOf],
    );
    return result.rows as PurchaseDayRow[];
  }

  /**
   * Snapshot rows, 20,000 a statement as one JSON parameter (json_to_recordset): one round
   * trip and one parse per chunk instead of a bind value per cell.
   */
  async insertValues(runId: string, rows: ValueRow[], trx: Knex.Transaction): Promise<void> {
    const columns = Object.keys(VALUE_COLUMN_TYPES) as Array<keyof typeof VALUE_COLUMN_TYPES>;
    const recordType = columns.map((c) => `${c} ${VALUE_COLUMN_TYPES[c]}`).join(', ');
    for (let i = 0; i < rows.length; i += 20000) {
      await trx.raw(
        `INSERT INTO customer_values (run_id, ${columns.join(', ')})
         SELECT ?::uuid, ${columns.join(', ')} FROM json_to_recordset(?::json) AS r(${recordType})`,
        [runId, JSON.stringify(rows.slice(i, i + 20000))],
      );
    }
  }

  /**
   * Makes a finished run the current one, in the caller's transaction. Figures that move every
   * run stay in customer_values (lists join the current run); only what changed is written to
   * customers: the churn status with its history, and the derived stars.
   */
  async publish(runId: string, asOf: string, trx: Knex.Transaction): Promise<void> {
    // A run's statuses hold at the last instant of its asOf day.
    const at = "((?::date + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 millisecond'";
    await trx.raw(
      `INSERT INTO churn_events (customer_id, from_status, to_status, cause, run_id, at)
       SELECT c.id, CASE WHEN c.churn_status_at IS NULL THEN NULL ELSE c.churn_status END,
              v.churn_status, 'analytics_run', v.run_id, ${at}
         FROM customer_values v JOIN customers c ON c.id = v.customer_id
        WHERE v.run_id = ? AND (c.churn_status_at IS NULL OR c.churn_status <> v.churn_status)`,
      [asOf, runId],
    );
    await trx.raw(
      `UPDATE customers c
          SET churn_status = v.churn_status,
              churn_reason = CASE WHEN v.churn_status = 'churned' AND c.churn_status = 'churned' THEN c.churn_reason END,
              churn_status_at = CASE WHEN c.churn_status = v.churn_status AND c.churn_status_at IS NOT NULL
                                     THEN c.churn_status_at ELSE ${at} END,
              stars_derived = v.stars, stars = COALESCE(c.stars_override, v.stars)
         FROM customer_values v
        WHERE v.run_id = ? AND v.customer_id = c.id
          AND (c.churn_status_at IS NULL OR c.churn_status <> v.churn_status OR c.stars_derived IS DISTINCT FROM v.stars)`,
      [asOf, runId],
    );
    await trx.raw(
      `UPDATE customers c SET stars_derived = NULL, stars = c.stars_override
        WHERE c.stars_derived IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM customer_values v WHERE v.run_id = ? AND v.customer_id = c.id)`,
      [runId],
    );
  }

  /** Snapshots of runs that are no longer current; run after publishing, outside its transaction. */
  async deleteValuesExcept(runId: string): Promise<void> {
    await this.knex('customer_values').whereNot({ run_id: runId }).delete();
  }

  async valueOf(runId: string, customerId: string): Promise<ValueRow | undefined> {
    return this.knex('customer_values').where({ run_id: runId, customer_id: customerId }).first();
  }

  async valuesPage(runId: string, afterId: string | null, limit: number): Promise<ValueRow[]> {
    const query = this.knex('customer_values').where({ run_id: runId }).orderBy('customer_id').limit(limit);
    if (afterId) query.where('customer_id', '>', afterId);
    return query;
  }
}
