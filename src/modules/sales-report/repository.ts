import type { Knex } from 'knex';
import { CURRENT_RUN_SQL, valueJoinOn } from '../shared/value-at-stake';

export type SalesGrouping =
  'region' | 'product' | 'category' | 'owner' | 'postcode' | 'channel' | 'valueClass';

/**
 * What each grouping reads. `raw` is read where the orders (or their lines) are summed, from an
 * order or line `o` (with its product's category); `key` turns it into the group key once per
 * customer, period and raw key, from the customer `c` and its value `gv` of the latest run.
 */
const KEYS: Record<SalesGrouping, { raw?: string; key: (raw: string) => string }> = {
  // An order's region is its own, else its customer's (issue 14 conventions).
  region: { raw: 'o.region', key: (raw) => `COALESCE(${raw}, c.region)` },
  product: { raw: 'o.product_id::text', key: (raw) => raw },
  category: { raw: 'o.category', key: (raw) => raw },
  owner: { key: () => 'c.owner' },
  // The customer's primary address is its first one.
  postcode: { key: () => "c.addresses->0->>'postalCode'" },
  channel: { key: () => 'c.via_channel_id::text' },
  valueClass: { key: () => 'gv.value_class' },
};

const LINE_GROUPINGS = new Set<SalesGrouping>(['product', 'category']);
const COUNTED = "status NOT IN ('cancelled', 'returned')";

/**
 * The session of the report's statement (SET LOCAL, so its own transaction only): its hash
 * tables (some 100,000s of customer-and-group rows on a million orders) in memory rather than
 * spilled, and no JIT compilation, which costs seconds on a statement of this size and saves
 * nothing on one that reads each row once.
 */
export const SALES_SESSION = ["SET LOCAL work_mem = '64MB'", 'SET LOCAL jit = off'];

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

export class SalesReportRepository {
  constructor(private readonly knex: Knex) {}

  async aggregate(groupBy: SalesGrouping[], window: SalesWindow): Promise<SalesRow[]> {
    const sql = aggregateSql(groupBy);
    const bindings = { previousStart: window.previousStart, start: window.start, end: window.end };
    // One read-only statement; the session settings are the transaction's own (docs/reports.md).
    return this.knex.transaction(async (trx) => {
      for (const setting of SALES_SESSION) await trx.raw(setting);
      const { rows } = await trx.raw<{ rows: SalesRow[] }>(sql, bindings);
      return rows;
    });
  }

  async productNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.knex('products')
      .whereIn('id', ids)
      .select('id', 'name');
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/**
 * The sales report in one statement (docs/reports.md, "How the statement runs"):
 *
 * 1. `bought`: the counted orders of both periods summed per period, customer and raw key (the
 *    order's own region, a line's product or category), each order once: for product and
 *    category the orders are split by their lines first (`lines`: a line's revenue is the
 *    difference of the rounded running sums of its order's lines in the reporting currency, the
 *    last line what is left of the order's reporting amount, so the lines add up to it exactly)
 *    and summed per order and raw key (`per_order`), so an order with two lines of one product
 *    counts once there.
 * 2. `churned`: the customers who became churned in a period, with the raw keys of their last
 *    counted order before its end.
 * 3. Both keyed once per customer row (`keyed`, customers joined after the orders are summed),
 *    then per customer and group with GROUPING SETS for the first level and the period total,
 *    so `customers` counts each customer once per group.
 * 4. `fresh`: once per customer, whether it bought in the previous period and whether it has a
 *    counted order before the previous period; a customer is new in a period when it has no
 *    counted order before that period's start.
 */
function aggregateSql(groupBy: SalesGrouping[]): string {
  const lines = groupBy.some((g) => LINE_GROUPINGS.has(g));
  const category = groupBy.includes('category');
  // The raw columns summed over: r1, r2 for the groupings read from an order or line.
  const raws = groupBy.flatMap((g, i) => (KEYS[g].raw ? [`${KEYS[g].raw!} AS r${i + 1}`] : []));
  const rawNames = groupBy.flatMap((g, i) => (KEYS[g].raw ? [`r${i + 1}`] : []));
  const keyOf = (i: number) => {
    const g = groupBy[i];
    if (!g) return 'NULL::text';
    return KEYS[g].key(`b.r${i + 1}`);
  };
  const rawSelect = raws.map((r) => `, ${r}`).join('');
  const inWindow = `o.ordered_at >= :previousStart AND o.ordered_at < :end AND o.${COUNTED}`;
  // A line whose raw key an earlier line of its order already has: the order counts once there.
  // Each level counts an order once: the total by its first line, a group by the first line
  // with the group's line key (any line when the key is the order's or the customer's), a
  // subgroup by the first line with its line key (the product, which decides the category).
  const again = groupBy.includes('product') ? 'l.product_id' : 'p.category';
  const againIn = (key: string) =>
    `array_position(array_agg(${key}) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), ${key}) IS NOT NULL`;
  const first = groupBy[0]!;
  const groupAgain = LINE_GROUPINGS.has(first)
    ? againIn(first === 'product' ? 'l.product_id' : 'p.category')
    : 'lag(l.line_no) OVER w IS NOT NULL';
  const bought = lines
    ? `lines AS (
        SELECT o.customer_id, o.ordered_at >= :start AS cur, o.region, o.reporting_amount, o.fx_rate,
               l.order_id AS line_of, l.product_id, ${category ? 'p.category' : 'NULL::text'} AS category,
               l.quantity * l.unit_price AS amount,
               sum(l.quantity * l.unit_price) OVER w AS run,
               lead(l.line_no) OVER w IS NULL AS last,
               lag(l.line_no) OVER w IS NOT NULL AS again0,
               ${groupAgain} AS again1,
               ${groupBy[1] ? againIn(again) : 'TRUE'} AS again2
          FROM orders o
          LEFT JOIN order_lines l ON l.order_id = o.id
          ${category ? 'LEFT JOIN products p ON p.id = l.product_id' : ''}
         WHERE ${inWindow}
        WINDOW w AS (PARTITION BY o.id ORDER BY l.line_no)
      ),
      bought AS (
        SELECT o.cur, o.customer_id${rawSelect},
               sum(CASE WHEN o.line_of IS NULL THEN o.reporting_amount
                        WHEN o.last THEN o.reporting_amount - round((o.run - o.amount) * o.fx_rate, 4)
                        ELSE round(o.run * o.fx_rate, 4) - round((o.run - o.amount) * o.fx_rate, 4)
                   END) AS rev,
               count(*) FILTER (WHERE NOT o.again0) AS orders0,
               count(*) FILTER (WHERE NOT o.again1) AS orders1,
               count(*) FILTER (WHERE NOT o.again2) AS orders2
          FROM lines o
         GROUP BY 1, 2${rawNames.map((_, i) => `, ${i + 3}`).join('')}
      )`
    : `bought AS (
        SELECT o.ordered_at >= :start AS cur, o.customer_id${rawSelect},
               sum(o.reporting_amount) AS rev, count(*) AS orders0, count(*) AS orders1, count(*) AS orders2
          FROM orders o
         WHERE ${inWindow}
         GROUP BY 1, 2${rawNames.map((_, i) => `, ${i + 3}`).join('')}
      )`;
  const values = groupBy.includes('valueClass')
    ? `LEFT JOIN customer_values gv ON gv.customer_id = b.customer_id AND gv.run_id = ${CURRENT_RUN_SQL}`
    : '';
  const k2 = groupBy[1] ? 'k2' : 'NULL::text AS k2';
  const groupSets = groupBy[1] ? '(cur, k1, k2), (cur, k1), (cur)' : '(cur, k1), (cur)';
  const customerSets = groupBy[1]
    ? '(cur, k1, k2, customer_id), (cur, k1, customer_id), (cur, customer_id)'
    : '(cur, k1, customer_id), (cur, customer_id)';
  const level = groupBy[1]
    ? "CASE GROUPING(k1, k2) WHEN 0 THEN 'subgroup' WHEN 1 THEN 'group' ELSE 'total' END"
    : "CASE GROUPING(k1) WHEN 0 THEN 'group' ELSE 'total' END";
  const ordersOf = groupBy[1]
    ? 'CASE GROUPING(k1, k2) WHEN 0 THEN sum(orders2) WHEN 1 THEN sum(orders1) ELSE sum(orders0) END'
    : 'CASE GROUPING(k1) WHEN 0 THEN sum(orders1) ELSE sum(orders0) END';
  // A customer's figures that are the same in every group: joined once per keyed row.
  const facts = `LEFT JOIN fresh f ON f.customer_id = b.customer_id
          LEFT JOIN customer_values v ON ${valueJoinOn('b.customer_id')}`;
  const factColumns = `f.no_history AND NOT (b.cur AND f.bought_previous) AS first,
    v.clv_predicted AS clv, v.customer_id IS NOT NULL AS valued`;
  return `
      WITH ${bought},
      churned AS (
        SELECT o.cur, o.customer_id${rawSelect}
          FROM (SELECT ch.customer_id, ch.cur, last.region${lines ? ', l.product_id' : ''}${category ? ', p.category' : ''}
                  FROM (SELECT DISTINCT e.customer_id, e.at >= :start AS cur
                          FROM lifecycle_events e
                         WHERE e.kind = 'churn_status' AND e.to_value = 'churned'
                           AND e.at >= :previousStart AND e.at < :end) ch
                  LEFT JOIN LATERAL (
                        SELECT x.id, x.region FROM orders x
                         WHERE x.customer_id = ch.customer_id AND x.${COUNTED}
                           AND x.ordered_at < CASE WHEN ch.cur THEN CAST(:end AS timestamptz) ELSE CAST(:start AS timestamptz) END
                         ORDER BY x.ordered_at DESC, x.id DESC LIMIT 1) last ON TRUE
                  ${lines ? 'LEFT JOIN order_lines l ON l.order_id = last.id' : ''}
                  ${category ? 'LEFT JOIN products p ON p.id = l.product_id' : ''}) o
      ),
      fresh AS (
        SELECT f.customer_id, f.bought_previous, NOT EXISTS (
                 SELECT 1 FROM orders h
                  WHERE h.customer_id = f.customer_id AND h.${COUNTED} AND h.ordered_at < :previousStart
               ) AS no_history
          FROM (SELECT customer_id, bool_or(NOT cur) AS bought_previous FROM bought GROUP BY customer_id) f
      ),
      keyed AS (
        SELECT b.cur, b.customer_id, ${keyOf(0)} AS k1, ${keyOf(1)} AS k2, b.rev, b.orders0, b.orders1, b.orders2, TRUE AS bought, ${factColumns}
          FROM bought b JOIN customers c ON c.id = b.customer_id ${values}
          ${facts}
        UNION ALL
        SELECT b.cur, b.customer_id, ${keyOf(0)}, ${keyOf(1)}, 0, 0, 0, 0, FALSE, FALSE, NULL, FALSE
          FROM churned b JOIN customers c ON c.id = b.customer_id ${values}
      ),
      per_customer AS (
        SELECT cur, k1, ${k2}, ${level} AS level, bool_or(bought) AS bought, bool_or(NOT bought) AS churned,
               bool_or(first) AS first, max(clv) AS clv, bool_or(valued) AS valued
          FROM keyed
         GROUP BY GROUPING SETS (${customerSets})
      ),
      figures AS (
        SELECT cur, k1, ${k2}, ${level} AS level, sum(rev) AS rev, ${ordersOf} AS orders,
               NULL::bigint AS customers, NULL::bigint AS new_customers, NULL::bigint AS churned,
               NULL::float8 AS clv, NULL::bigint AS valued
          FROM keyed
         GROUP BY GROUPING SETS (${groupSets})
        UNION ALL
        SELECT cur, k1, k2, level, NULL, NULL,
               count(*) FILTER (WHERE bought), count(*) FILTER (WHERE bought AND first),
               count(*) FILTER (WHERE churned), sum(clv) FILTER (WHERE bought),
               count(*) FILTER (WHERE bought AND valued)
          FROM per_customer
         GROUP BY cur, k1, k2, level
      )
      SELECT CASE WHEN cur THEN 'current' ELSE 'previous' END AS period, level, k1, k2,
             sum(rev)::text AS revenue, sum(orders)::int AS orders, sum(customers)::int AS customers,
             sum(new_customers)::int AS new_customers, sum(churned)::int AS churned,
             sum(clv)::float8 AS clv, sum(valued)::int AS valued
        FROM figures
       GROUP BY cur, level, k1, k2`;
}
