import type { Knex } from 'knex';
import { CURRENT_RUN_SQL, valueJoinOn } from '../shared/value-at-stake';

export type SalesGrouping =
  'region' | 'product' | 'category' | 'owner' | 'postcode' | 'channel' | 'valueClass';

/** What each grouping reads, from an order `o` (null when churn-only), its customer `c`, line `l`, product `p`, value `gv`. */
const KEY_SQL: Record<SalesGrouping, string> = {
  // An order's region is its own, else its customer's (issue 14 conventions).
  region: 'COALESCE(o.region, c.region)',
  product: 'l.product_id::text',
  category: 'p.category',
  owner: 'c.owner',
  // The customer's primary address is its first one.
  postcode: "c.addresses->0->>'postalCode'",
  channel: 'c.via_channel_id::text',
  valueClass: 'gv.value_class',
};

const LINE_GROUPINGS = new Set<SalesGrouping>(['product', 'category']);
const COUNTED = "status NOT IN ('cancelled', 'returned')";

export interface SalesWindow {
  previousStart: Date;
  start: Date;
  end: Date;
}

export interface SalesRow {
  period: 'current' | 'previous';
  /** 0: the finest groups; 1: first-level groups of a two-level report; total: the whole period. */
  level: 'group' | 'subgroup' | 'total';
  k1: string | null;
  k2: string | null;
  revenue: string;
  orders: number;
  customers: number;
  new_customers: number;
  churned: number;
  clv: number | null;
  valued: number;
}

/**
 * The sales report in one statement: every counted order of both periods (split by its lines
 * for product and category), plus the customers who became churned in a period (attributed to
 * their last counted order before its end), summed per customer and group, then per group with
 * GROUPING SETS for the first level and the period total. A line's revenue is the difference
 * of the rounded running sums of its order's lines in the reporting currency, and the last
 * line takes what is left of the order's reporting amount, so the lines add up to it exactly.
 */
export class SalesReportRepository {
  constructor(private readonly knex: Knex) {}

  async aggregate(groupBy: SalesGrouping[], window: SalesWindow): Promise<SalesRow[]> {
    const lines = groupBy.some((g) => LINE_GROUPINGS.has(g));
    const k1 = KEY_SQL[groupBy[0]!];
    const k2 = groupBy[1] ? KEY_SQL[groupBy[1]] : 'NULL::text';
    const joins = [
      'JOIN customers c ON c.id = src.customer_id',
      groupBy.includes('valueClass')
        ? `LEFT JOIN customer_values gv ON gv.customer_id = src.customer_id AND gv.run_id = ${CURRENT_RUN_SQL}`
        : '',
      lines ? 'LEFT JOIN order_lines l ON l.order_id = o.id' : '',
      groupBy.includes('category') ? 'LEFT JOIN products p ON p.id = l.product_id' : '',
    ].join('\n');
    // Partitioned by bought too: a churned customer's last order may be one of the period's.
    const lineWindow = 'PARTITION BY src.bought, o.id ORDER BY l.line_no';
    const revenue = lines
      ? `CASE WHEN l.order_id IS NULL THEN o.reporting_amount
              WHEN row_number() OVER (${lineWindow}) = count(*) OVER (PARTITION BY src.bought, o.id)
                THEN o.reporting_amount - round((sum(l.quantity * l.unit_price) OVER (${lineWindow}) - l.quantity * l.unit_price) * o.fx_rate, 4)
              ELSE round(sum(l.quantity * l.unit_price) OVER (${lineWindow}) * o.fx_rate, 4)
                 - round((sum(l.quantity * l.unit_price) OVER (${lineWindow}) - l.quantity * l.unit_price) * o.fx_rate, 4)
         END`
      : 'o.reporting_amount';
    const sets = groupBy[1]
      ? '(period, k1, k2, customer_id), (period, k1, customer_id), (period, customer_id)'
      : '(period, k1, customer_id), (period, customer_id)';
    const level = groupBy[1]
      ? "CASE GROUPING(k1, k2) WHEN 0 THEN 'subgroup' WHEN 1 THEN 'group' ELSE 'total' END"
      : "CASE GROUPING(k1) WHEN 0 THEN 'group' ELSE 'total' END";
    const sql = `
      WITH src AS (
        SELECT o.id, o.customer_id, o.region, o.fx_rate, o.reporting_amount,
               CASE WHEN o.ordered_at >= :start THEN 'current' ELSE 'previous' END AS period,
               TRUE AS bought
          FROM orders o
         WHERE o.ordered_at >= :previousStart AND o.ordered_at < :end AND o.${COUNTED}
        UNION ALL
        SELECT last.id, ch.customer_id, last.region, last.fx_rate, 0, ch.period, FALSE
          FROM (SELECT DISTINCT e.customer_id,
                       CASE WHEN e.at >= :start THEN 'current' ELSE 'previous' END AS period,
                       CASE WHEN e.at >= :start THEN CAST(:end AS timestamptz) ELSE CAST(:start AS timestamptz) END AS period_end
                  FROM lifecycle_events e
                 WHERE e.kind = 'churn_status' AND e.to_value = 'churned'
                   AND e.at >= :previousStart AND e.at < :end) ch
          LEFT JOIN LATERAL (
                SELECT x.id, x.region, x.fx_rate FROM orders x
                 WHERE x.customer_id = ch.customer_id AND x.${COUNTED} AND x.ordered_at < ch.period_end
                 ORDER BY x.ordered_at DESC, x.id DESC LIMIT 1) last ON TRUE
      ),
      base AS (
        SELECT src.period, ${k1} AS k1, ${k2} AS k2, src.customer_id, src.bought,
               CASE WHEN src.bought THEN src.id END AS order_id,
               CASE WHEN src.bought THEN ${revenue} ELSE 0 END AS rev
          FROM src
          LEFT JOIN orders o ON o.id = src.id
          ${joins}
      ),
      per_customer AS (
        SELECT period, k1, ${groupBy[1] ? 'k2' : 'NULL::text AS k2'}, customer_id, ${level} AS level,
               sum(rev) AS rev, count(DISTINCT order_id) AS orders,
               bool_or(bought) AS bought, bool_or(NOT bought) AS churned
          FROM base
         GROUP BY GROUPING SETS (${sets})
      ),
      flagged AS (
        SELECT pc.*, pc.bought AND NOT EXISTS (
                 SELECT 1 FROM orders f
                  WHERE f.customer_id = pc.customer_id AND f.${COUNTED}
                    AND f.ordered_at < CASE WHEN pc.period = 'current' THEN CAST(:start AS timestamptz) ELSE CAST(:previousStart AS timestamptz) END
               ) AS is_new
          FROM per_customer pc
      )
      SELECT pc.period, pc.level, pc.k1, pc.k2,
             sum(pc.rev)::text AS revenue,
             sum(pc.orders)::int AS orders,
             count(*) FILTER (WHERE pc.bought)::int AS customers,
             count(*) FILTER (WHERE pc.is_new)::int AS new_customers,
             count(*) FILTER (WHERE pc.churned)::int AS churned,
             sum(v.clv_predicted) FILTER (WHERE pc.bought)::float8 AS clv,
             count(v.customer_id) FILTER (WHERE pc.bought)::int AS valued
        FROM flagged pc
        LEFT JOIN customer_values v ON ${valueJoinOn('pc.customer_id')}
       GROUP BY pc.period, pc.level, pc.k1, pc.k2`;
    const { rows } = await this.knex.raw<{ rows: SalesRow[] }>(sql, {
      previousStart: window.previousStart,
      start: window.start,
      end: window.end,
    });
    return rows;
  }

  async productNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.knex('products')
      .whereIn('id', ids)
      .select('id', 'name');
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
