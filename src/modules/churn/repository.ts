import type { Knex } from 'knex';

export interface MonthBounds {
  period: string;
  start: string;
  stop: string;
}

const COUNTED = "status NOT IN ('cancelled', 'returned')";

export class ChurnRepository {
  constructor(private readonly knex: Knex) {}

  /** The customer said they are leaving: an event, and the status on the customer, together. */
  async recordManual(
    customerId: string,
    fromStatus: string,
    reason: string,
    note: string | null,
    at: Date,
    actor: string | null,
    trx: Knex.Transaction,
  ): Promise<void> {
    await trx('churn_events').insert({
      customer_id: customerId,
      from_status: fromStatus,
      to_status: 'churned',
      cause: 'manual',
      reason,
      note,
      actor,
      at,
    });
    await trx('customers')
      .where({ id: customerId })
      .update({ churn_status: 'churned', churn_reason: reason, churn_status_at: at });
  }

  /**
   * Per month: customers whose last status before the month began was active, at risk or won
   * back; customers who became churned, and won back, during it (replayed from churn_events).
   */
  async periodFigures(months: MonthBounds[]) {
    const result = await this.knex.raw(
      `SELECT m.period,
              (SELECT count(*) FROM (
                 SELECT DISTINCT ON (customer_id) to_status FROM churn_events
                  WHERE at < m.start ORDER BY customer_id, at DESC, seq DESC) last
                WHERE last.to_status IN ('active', 'at_risk', 'won_back'))::int AS active_at_start,
              (SELECT count(DISTINCT customer_id) FROM churn_events
                WHERE to_status = 'churned' AND at >= m.start AND at < m.stop)::int AS churned,
              (SELECT count(DISTINCT customer_id) FROM churn_events
                WHERE to_status = 'won_back' AND at >= m.start AND at < m.stop)::int AS won_back
         FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) AS m(period, start, stop)
        ORDER BY m.period`,
      [months.map((m) => m.period), months.map((m) => m.start), months.map((m) => m.stop)],
    );
    return result.rows as Array<{
      period: string;
      active_at_start: number;
      churned: number;
      won_back: number;
    }>;
  }

  /** Churn events in the range by stated reason; churn found by the rules has none ('unstated'). */
  async byReason(start: string, stop: string) {
    const result = await this.knex.raw(
      `SELECT COALESCE(reason, 'unstated') AS reason, count(DISTINCT customer_id)::int AS customers
         FROM churn_events WHERE to_status = 'churned' AND at >= ? AND at < ?
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      [start, stop],
    );
    return result.rows as Array<{ reason: string; customers: number }>;
  }

  /** Cohorts by month of first counted purchase, and how many of each bought k months later. */
  async cohorts(start: string, stop: string) {
    const result = await this.knex.raw(
      `WITH firsts AS (
         SELECT customer_id, date_trunc('month', min(ordered_at AT TIME ZONE 'UTC')) AS cohort
           FROM orders WHERE ${COUNTED} GROUP BY customer_id),
       active AS (
         SELECT DISTINCT customer_id, date_trunc('month', ordered_at AT TIME ZONE 'UTC') AS month
           FROM orders WHERE ${COUNTED} AND ordered_at >= ? AND ordered_at < ?)
       SELECT to_char(f.cohort, 'YYYY-MM') AS cohort,
              ((extract(year FROM a.month) - extract(year FROM f.cohort)) * 12
                + extract(month FROM a.month) - extract(month FROM f.cohort))::int AS k,
              count(*)::int AS customers
         FROM firsts f JOIN active a USING (customer_id)
        WHERE f.cohort >= (?::timestamptz AT TIME ZONE 'UTC') AND f.cohort < (?::timestamptz AT TIME ZONE 'UTC')
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [start, stop, start, stop],
    );
    return result.rows as Array<{ cohort: string; k: number; customers: number }>;
  }

  /** At-risk customers by the current run's predicted CLV: the value at stake first. */
  async atRisk(limit: number) {
    const result = await this.knex.raw(
      `SELECT c.id, c.name, c.churn_status, v.clv_predicted AS clv, v.p_alive
         FROM customers c
         LEFT JOIN customer_values v
           ON v.customer_id = c.id
          AND v.run_id = (SELECT id FROM analytics_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1)
        WHERE c.churn_status = 'at_risk' AND c.deleted_at IS NULL
        ORDER BY v.clv_predicted DESC NULLS LAST, c.id
        LIMIT ?`,
      [limit],
    );
    return result.rows as Array<{
      id: string;
      name: string;
      churn_status: string;
      clv: number | null;
      p_alive: number | null;
    }>;
  }
}
