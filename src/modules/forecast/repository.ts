import type { Knex } from 'knex';

const COUNTED = "status NOT IN ('cancelled', 'returned')";

export type ForecastGrouping = 'region' | 'category' | 'valueClass';

export interface ValuedCustomer {
  customer_id: string;
  frequency: number;
  recency: number;
  age: number;
  spend: number;
  value_class: string;
  region: string | null;
}

export interface BacktestCustomer {
  customer_id: string;
  days: number;
  first: number;
  last: number;
  repeat_sum: string | null;
}

/** The reads of the demand forecast: the run's valued base, category mixes, and the backtest's history. */
export class ForecastRepository {
  constructor(private readonly knex: Knex) {}

  async valuedCustomers(runId: string): Promise<ValuedCustomer[]> {
    const { rows } = await this.knex.raw<{ rows: ValuedCustomer[] }>(
      `SELECT v.customer_id, v.frequency, v.recency::float8 AS recency, v.age::float8 AS age,
              v.expected_average_amount::float8 AS spend, v.value_class, c.region
         FROM customer_values v JOIN customers c ON c.id = v.customer_id
        WHERE v.run_id = ? ORDER BY v.customer_id`,
      [runId],
    );
    return rows;
  }

  /** Per customer and product category, the revenue of its counted lines on or before asOf. */
  async categoryMix(
    asOf: string,
  ): Promise<Array<{ customer_id: string; category: string | null; revenue: number }>> {
    const { rows } = await this.knex.raw<{
      rows: Array<{ customer_id: string; category: string | null; revenue: number }>;
    }>(
      `SELECT o.customer_id, p.category, sum(l.quantity * l.unit_price * o.fx_rate)::float8 AS revenue
         FROM orders o
         JOIN order_lines l ON l.order_id = o.id
         JOIN products p ON p.id = l.product_id
        WHERE o.${COUNTED} AND o.ordered_at < (CAST(? AS date) + 1)::timestamp AT TIME ZONE 'UTC'
        GROUP BY o.customer_id, p.category`,
      [asOf],
    );
    return rows;
  }

  /**
   * Live customers acquired by `cutoff` (first counted purchase on or before it) with their
   * purchase days up to it: count, first and last (epoch days) and the sum of the repeat days'
   * amounts (same-day orders are one purchase, as the run counts them).
   */
  async backtestCustomers(cutoff: string): Promise<BacktestCustomer[]> {
    const { rows } = await this.knex.raw<{ rows: BacktestCustomer[] }>(
      `WITH days AS (
         SELECT o.customer_id, (o.ordered_at AT TIME ZONE 'UTC')::date AS day, sum(o.reporting_amount) AS amount
           FROM orders o JOIN customers c ON c.id = o.customer_id AND c.deleted_at IS NULL
          WHERE o.${COUNTED} AND o.ordered_at < (CAST(? AS date) + 1)::timestamp AT TIME ZONE 'UTC'
          GROUP BY 1, 2)
       SELECT customer_id, count(*)::int AS days,
              min(day) - DATE '1970-01-01' AS first, max(day) - DATE '1970-01-01' AS last,
              (sum(amount) - (array_agg(amount ORDER BY day))[1])::text AS repeat_sum
         FROM days GROUP BY customer_id`,
      [cutoff],
    );
    return rows;
  }

  /** Purchase days (days after `cutoff`) and their revenue, of customers acquired by `cutoff`, up to `until`. */
  async actualsAfter(cutoff: string, until: string): Promise<Array<{ offset: number; revenue: number }>> {
    const { rows } = await this.knex.raw<{ rows: Array<{ offset: number; revenue: number }> }>(
      `SELECT (o.ordered_at AT TIME ZONE 'UTC')::date - CAST(:cutoff AS date) AS "offset",
              sum(o.reporting_amount)::float8 AS revenue
         FROM orders o JOIN customers c ON c.id = o.customer_id AND c.deleted_at IS NULL
        WHERE o.${COUNTED}
          AND o.ordered_at >= (CAST(:cutoff AS date) + 1)::timestamp AT TIME ZONE 'UTC'
          AND o.ordered_at < (CAST(:until AS date) + 1)::timestamp AT TIME ZONE 'UTC'
          AND EXISTS (SELECT 1 FROM orders f WHERE f.customer_id = o.customer_id AND f.${COUNTED}
                        AND f.ordered_at < (CAST(:cutoff AS date) + 1)::timestamp AT TIME ZONE 'UTC')
        GROUP BY o.customer_id, 1`,
      { cutoff, until },
    );
    return rows;
  }

  /**
   * Purchase days (same-day orders of a customer are one) and their revenue per day, of live
   * customers, from `from` to `until` (both included): the forecast chart's history.
   */
  async dailyActuals(
    from: string,
    until: string,
  ): Promise<Array<{ day: number; purchases: number; revenue: number }>> {
    const { rows } = await this.knex.raw<{
      rows: Array<{ day: number; purchases: number; revenue: number }>;
    }>(
      `SELECT day - DATE '1970-01-01' AS day, count(*)::int AS purchases, sum(amount)::float8 AS revenue
         FROM (SELECT o.customer_id, (o.ordered_at AT TIME ZONE 'UTC')::date AS day, sum(o.reporting_amount) AS amount
                 FROM orders o JOIN customers c ON c.id = o.customer_id AND c.deleted_at IS NULL
                WHERE o.${COUNTED}
                  AND o.ordered_at >= CAST(:from AS date)::timestamp AT TIME ZONE 'UTC'
                  AND o.ordered_at < (CAST(:until AS date) + 1)::timestamp AT TIME ZONE 'UTC'
                GROUP BY 1, 2) d
        GROUP BY day ORDER BY day`,
      { from, until },
    );
    return rows;
  }
}
