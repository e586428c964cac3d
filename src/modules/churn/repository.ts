import type { Knex } from 'knex';
import type { CohortTransition, StatusClass, Transition } from './figures';

const COUNTED = "status NOT IN ('cancelled', 'returned')";

const CLASS_OF_TO_VALUE =
  "CASE WHEN e.to_value IS NULL THEN 'none' WHEN e.to_value = 'churned' THEN 'churned' ELSE 'active' END";

/**
 * Every customer's class at the end of each bucket it has churn events in, with its class at
 * the bucket's start (the end of its previous such bucket, `none` before its first event). The
 * buckets are `width_bucket` over the periods' starts: 0 before the first period, i for period
 * i - 1; `?::timestamptz[]` takes the starts and `?` the range's stop.
 *
 * One pass over the churn events before the stop, newest first per customer, which is the order
 * of lifecycle_events_customer (customer_id, at DESC, seq DESC): the planner reads that index and
 * sorts nothing (an ascending window sorted 500,000 rows on disk and took twice as long). `lag`
 * marks each customer's latest event in a bucket (the latest event before the bucket's end
 * decides the class there), `lead` over those marked rows gives the class the bucket started
 * with, both windows in the same order. The cohorts join their customers to the result, after
 * the windows, so that the index order still serves them.
 */
function bucketEnds(): string {
  return `
    ev AS (
      SELECT e.customer_id, e.at, e.seq, ${CLASS_OF_TO_VALUE} AS cls,
             width_bucket(e.at, ?::timestamptz[]) AS bucket
        FROM lifecycle_events e
       WHERE e.kind = 'churn_status' AND e.at < ?
    ),
    marked AS (
      SELECT ev.*,
             (lag(bucket) OVER (PARTITION BY customer_id ORDER BY at DESC, seq DESC)) IS DISTINCT FROM bucket
               AS last_in_bucket
        FROM ev
    ),
    ends AS (
      SELECT marked.*,
             COALESCE(lead(cls) OVER (PARTITION BY customer_id ORDER BY at DESC, seq DESC), 'none') AS start_cls
        FROM marked WHERE last_in_bucket
    )`;
}

export interface AtRiskRow {
  id: string;
  name: string;
  owner: string | null;
  clv_predicted: number | null;
  p_alive: number | null;
  at_stake: number | null;
  last_purchase_at: Date | null;
}

/** The churn report's reads, all from lifecycle_events, orders and the run's customer_values. */
export class ChurnRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * The class transitions of every customer, per bucket, in one statement over all periods;
   * bucket 0 answers every class at the first period's start (its `from` is always `none`),
   * later buckets only the customers whose class changed.
   */
  async transitions(starts: readonly Date[], stop: Date): Promise<Transition[]> {
    const { rows } = await this.knex.raw<{ rows: Array<Omit<Transition, 'from' | 'to'> & Row> }>(
      `WITH ${bucketEnds()}
       SELECT bucket, start_cls, cls AS end_cls, count(*)::int AS customers
         FROM ends
        WHERE bucket = 0 OR start_cls <> cls
        GROUP BY 1, 2, 3`,
      [starts.map((s) => s.toISOString()), stop.toISOString()],
    );
    return rows.map((r) => ({ bucket: r.bucket, from: r.start_cls, to: r.end_cls, customers: r.customers }));
  }

  /**
   * Cohorts by the bucket of their first counted purchase (1..n: only cohorts inside the range),
   * their sizes, and their members' class transitions as `transitions` answers them.
   */
  async cohortTransitions(
    starts: readonly Date[],
    stop: Date,
  ): Promise<{ sizes: Map<number, number>; transitions: CohortTransition[] }> {
    const { rows } = await this.knex.raw<{ rows: Array<Row & { cohort: number; bucket: number | null }> }>(
      `WITH firsts AS (${firstsSql()}),
       ${bucketEnds()}
       SELECT f.cohort, ends.bucket, ends.start_cls, ends.cls AS end_cls, count(*)::int AS customers
         FROM ends JOIN firsts f ON f.customer_id = ends.customer_id
        WHERE ends.bucket = 0 OR ends.start_cls <> ends.cls
        GROUP BY 1, 2, 3, 4
       UNION ALL
       SELECT cohort, NULL, NULL, NULL, count(*)::int FROM firsts GROUP BY 1`,
      [...firstsBindings(starts, stop), starts.map((s) => s.toISOString()), stop.toISOString()],
    );
    const sizes = new Map<number, number>();
    const transitions: CohortTransition[] = [];
    for (const r of rows) {
      if (r.bucket === null) sizes.set(r.cohort, r.customers);
      else
        transitions.push({
          cohort: r.cohort,
          bucket: r.bucket,
          from: r.start_cls,
          to: r.end_cls,
          customers: r.customers,
        });
    }
    return { sizes, transitions };
  }

  /** Cohorts as above, and how many of each bought (a counted order) in each period of the range. */
  async cohortBuyers(
    starts: readonly Date[],
    stop: Date,
  ): Promise<{
    sizes: Map<number, number>;
    buyers: Array<{ cohort: number; bucket: number; customers: number }>;
  }> {
    const { rows } = await this.knex.raw<{
      rows: Array<{ cohort: number; bucket: number | null; customers: number }>;
    }>(
      // Only the cohorts' customers are probed, each along orders (customer_id, ordered_at, id):
      // a DISTINCT over every order of the range hashed 600,000 rows to disk and took longer.
      `WITH firsts AS (${firstsSql()})
       SELECT f.cohort, b.bucket, count(*)::int AS customers
         FROM firsts f
         JOIN LATERAL (
           SELECT DISTINCT width_bucket(o.ordered_at, ?::timestamptz[]) AS bucket
             FROM orders o
            WHERE o.customer_id = f.customer_id AND o.${COUNTED} AND o.ordered_at < ?
         ) b ON true
        GROUP BY 1, 2
       UNION ALL
       SELECT cohort, NULL, count(*)::int FROM firsts GROUP BY 1`,
      [...firstsBindings(starts, stop), starts.map((s) => s.toISOString()), stop.toISOString()],
    );
    const sizes = new Map<number, number>();
    const buyers: Array<{ cohort: number; bucket: number; customers: number }> = [];
    for (const r of rows) {
      if (r.bucket === null) sizes.set(r.cohort, r.customers);
      else buyers.push({ cohort: r.cohort, bucket: r.bucket, customers: r.customers });
    }
    return { sizes, buyers };
  }

  /**
   * Customers who became churned in [start, stop), each once, by the reason of its latest churn
   * there (`unstated` when a rule or the model found it).
   */
  async byReason(start: Date, stop: Date): Promise<Array<{ reason: string; customers: number }>> {
    const { rows } = await this.knex.raw<{ rows: Array<{ reason: string; customers: number }> }>(
      `SELECT COALESCE(reason, 'unstated') AS reason, count(*)::int AS customers
         FROM (SELECT DISTINCT ON (customer_id) customer_id, reason
                 FROM lifecycle_events
                WHERE kind = 'churn_status' AND to_value = 'churned' AND at >= ? AND at < ?
                ORDER BY customer_id, at DESC, seq DESC) latest
        GROUP BY 1 ORDER BY 2 DESC, 1`,
      [start.toISOString(), stop.toISOString()],
    );
    return rows;
  }

  /** The latest finished analytics run: the at-risk list is as of its asOf. */
  async latestDoneRun(): Promise<{ id: string; as_of: string } | undefined> {
    const { rows } = await this.knex.raw<{ rows: Array<{ id: string; as_of: string }> }>(
      `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM analytics_runs
        WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1`,
    );
    return rows[0];
  }

  /**
   * Customers whose churn status was at_risk at `end` (the latest churn event before it), live
   * ones only, by value at stake (the run's predicted CLV x (1 - P(alive)), unknown last).
   * Customers whose state has not moved since `end` are found by customer_lifecycle_churn; only
   * those who changed since are looked up in their history.
   */
  async atRisk(runId: string, end: Date, limit: number): Promise<AtRiskRow[]> {
    const { rows } = await this.knex.raw<{ rows: AtRiskRow[] }>(
      `WITH at_risk AS (
         SELECT customer_id FROM customer_lifecycle WHERE churn_status = 'at_risk' AND churn_since < :end
         UNION ALL
         SELECT l.customer_id FROM customer_lifecycle l
          WHERE l.churn_since >= :end
            AND (SELECT e.to_value FROM lifecycle_events e
                  WHERE e.customer_id = l.customer_id AND e.kind = 'churn_status' AND e.at < :end
                  ORDER BY e.at DESC, e.seq DESC LIMIT 1) = 'at_risk'
       ),
       ranked AS (
         SELECT c.id, c.name, c.owner, v.clv_predicted, v.p_alive,
                v.clv_predicted * (1 - v.p_alive) AS at_stake
           FROM at_risk a
           JOIN customers c ON c.id = a.customer_id AND c.deleted_at IS NULL
           LEFT JOIN customer_values v ON v.run_id = :runId AND v.customer_id = a.customer_id
          ORDER BY at_stake DESC NULLS LAST, c.id
          LIMIT :limit
       )
       SELECT r.*, (SELECT max(o.ordered_at) FROM orders o
                     WHERE o.customer_id = r.id AND o.status NOT IN ('cancelled', 'returned')) AS last_purchase_at
         FROM ranked r
        ORDER BY r.at_stake DESC NULLS LAST, r.id`,
      { end: end.toISOString(), runId, limit },
    );
    return rows;
  }
}

interface Row {
  bucket: number;
  start_cls: StatusClass;
  end_cls: StatusClass;
  customers: number;
}

/** Each customer's cohort: the bucket of its first counted order, when that lies in the range. */
function firstsSql(): string {
  return `
    SELECT customer_id, width_bucket(min(ordered_at), ?::timestamptz[]) AS cohort
      FROM orders WHERE ${COUNTED}
     GROUP BY customer_id
    HAVING min(ordered_at) >= ? AND min(ordered_at) < ?`;
}

const firstsBindings = (starts: readonly Date[], stop: Date) => [
  starts.map((s) => s.toISOString()),
  starts[0]!.toISOString(),
  stop.toISOString(),
];
