import type { Knex } from 'knex';
import type { SatisfactionCounts } from '../../domain/service/satisfaction';

/** Cancelled and returned orders count for nothing (docs/domain.md section 4). */
const COUNTED = "status NOT IN ('cancelled', 'returned')";

export interface StatusCounts {
  /** Customers with a churn status at the instant: acquired and not un-acquired. */
  acquired: number;
  atRisk: number;
  churned: number;
}

export interface OrderTotals {
  orders: number;
  /** In REPORTING_CURRENCY, to the cent, as the database adds it up. */
  revenue: string | null;
}

export interface ClvTotals {
  runId: string;
  asOf: string;
  customers: number;
  total: number | null;
}

/**
 * The KPI report's reads that no other module answers (the churn transitions and the
 * follow-ups come from their own repositories). Each is one aggregate over an index range.
 */
export class KpisRepository {
  constructor(private readonly knex: Knex) {}

  /** Every customer's churn status at `at` (its latest churn event before it), counted. */
  async statusesAt(at: Date): Promise<StatusCounts> {
    const { rows } = await this.knex.raw<{ rows: Array<{ to_value: string | null; customers: number }> }>(
      `SELECT to_value, count(*)::int AS customers
         FROM (SELECT DISTINCT ON (customer_id) customer_id, to_value
                 FROM lifecycle_events
                WHERE kind = 'churn_status' AND at < ?
                ORDER BY customer_id, at DESC, seq DESC) latest
        GROUP BY 1`,
      [at.toISOString()],
    );
    const counts: StatusCounts = { acquired: 0, atRisk: 0, churned: 0 };
    for (const r of rows) {
      if (r.to_value === null) continue;
      counts.acquired += r.customers;
      if (r.to_value === 'at_risk') counts.atRisk += r.customers;
      if (r.to_value === 'churned') counts.churned += r.customers;
    }
    return counts;
  }

  /** Customers whose first counted order lies in [start, stop). */
  async firstPurchasesIn(start: Date, stop: Date): Promise<number> {
    const { rows } = await this.knex.raw<{ rows: Array<{ customers: number }> }>(
      `SELECT count(*)::int AS customers
         FROM (SELECT customer_id, min(ordered_at) AS first_at FROM orders WHERE ${COUNTED}
                GROUP BY customer_id) f
        WHERE f.first_at >= ? AND f.first_at < ?`,
      [start.toISOString(), stop.toISOString()],
    );
    return rows[0]?.customers ?? 0;
  }

  /** Counted orders placed in [start, stop) and their reporting amounts' sum. */
  async ordersIn(start: Date, stop: Date): Promise<OrderTotals> {
    const { rows } = await this.knex.raw<{ rows: Array<{ orders: number; revenue: string | null }> }>(
      `SELECT count(*)::int AS orders, sum(reporting_amount)::text AS revenue
         FROM orders WHERE ${COUNTED} AND ordered_at >= ? AND ordered_at < ?`,
      [start.toISOString(), stop.toISOString()],
    );
    return rows[0] ?? { orders: 0, revenue: null };
  }

  /**
   * The predicted CLV of the live customers in the latest finished run as of a day on or
   * before `lastDay` (the range's last day): a range is valued by what was known at its end.
   */
  async clvAsOf(lastDay: string): Promise<ClvTotals | undefined> {
    const { rows } = await this.knex.raw<{
      rows: Array<{ id: string; as_of: string; customers: number; total: number | null }>;
    }>(
      `WITH run AS (
         SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM analytics_runs
          WHERE status = 'done' AND as_of <= ?::date
          ORDER BY as_of DESC, finished_at DESC LIMIT 1
       )
       SELECT run.id, run.as_of, count(v.customer_id)::int AS customers, sum(v.clv_predicted) AS total
         FROM run
         -- The run stands even when none of its customers is live any more (then no values).
         LEFT JOIN (SELECT cv.run_id, cv.customer_id, cv.clv_predicted
                      FROM customer_values cv
                      JOIN customers c ON c.id = cv.customer_id AND c.deleted_at IS NULL
                     WHERE cv.run_id = (SELECT id FROM run)) v ON v.run_id = run.id
        GROUP BY run.id, run.as_of`,
      [lastDay],
    );
    const row = rows[0];
    return row
      ? {
          runId: row.id,
          asOf: row.as_of,
          customers: row.customers,
          total: row.total === null ? null : Number(row.total),
        }
      : undefined;
  }

  /** Survey answers given in [start, stop), as the satisfaction figures count them. */
  async satisfactionIn(start: Date, stop: Date): Promise<SatisfactionCounts> {
    const { rows } = await this.knex.raw<{ rows: Array<Record<keyof SatisfactionCounts, number>> }>(
      `SELECT count(*) FILTER (WHERE kind = 'csat')::int AS "csatResponses",
              COALESCE(sum(score) FILTER (WHERE kind = 'csat'), 0)::int AS "csatSum",
              count(*) FILTER (WHERE kind = 'nps')::int AS "npsResponses",
              count(*) FILTER (WHERE kind = 'nps' AND score >= 9)::int AS promoters,
              count(*) FILTER (WHERE kind = 'nps' AND score BETWEEN 7 AND 8)::int AS passives,
              count(*) FILTER (WHERE kind = 'nps' AND score <= 6)::int AS detractors
         FROM survey_responses WHERE responded_at >= ? AND responded_at < ?`,
      [start.toISOString(), stop.toISOString()],
    );
    return rows[0]!;
  }

  /** Hours from filing to resolution of the complaints resolved in [start, stop). */
  async resolutionHoursIn(start: Date, stop: Date): Promise<number[]> {
    const { rows } = await this.knex.raw<{ rows: Array<{ hours: number | string }> }>(
      `SELECT extract(epoch FROM (resolved_at - filed_at)) / 3600.0 AS hours
         FROM complaints WHERE resolved_at >= ? AND resolved_at < ?`,
      [start.toISOString(), stop.toISOString()],
    );
    return rows.map((r) => Number(r.hours));
  }
}
