import type { Knex } from 'knex';

/** Orders that count as baskets and as purchases: not cancelled, not returned (src/modules/orders). */
const COUNTED = "o.status NOT IN ('cancelled', 'returned')";
/** A run's baskets: staged per transaction (temporary, dropped at commit). */
const BASKETS = 'association_baskets';

export interface AssociationRunRow {
  run_id: string;
  as_of: string;
  baskets: number;
  min_support: string;
  min_count: number;
  frequent_products: number;
  rules: number;
}

export interface RuleRow {
  run_id: string;
  rank: number;
  antecedent_id: string;
  antecedent_sku: string;
  antecedent_name: string;
  consequent_id: string;
  consequent_sku: string;
  consequent_name: string;
  both_count: number;
  antecedent_count: number;
  consequent_count: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface CustomerProductRow {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  list_price: string | null;
  currency: string | null;
  /** Bought in an order that counts (not cancelled or returned); else only in a returned one. */
  counted: boolean;
}

export interface CoPurchaseRow {
  bought_id: string;
  /** The peers: the most recent other buyers, at most the cap. */
  customers: number;
  /** All other buyers. */
  buyers: number;
  candidate_id: string;
  candidate_sku: string;
  candidate_name: string;
  also_bought: number;
}

export interface CatalogueRow {
  id: string;
  sku: string;
  name: string;
  category: string;
  list_price: string;
  currency: string;
}

const RULE_COLUMNS = `pa.run_id, pa.rank, pa.antecedent_id, a.sku AS antecedent_sku, a.name AS antecedent_name,
       pa.consequent_id, b.sku AS consequent_sku, b.name AS consequent_name,
       pa.both_count, pa.antecedent_count, pa.consequent_count, pa.support, pa.confidence, pa.lift`;

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

export class AssociationRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Stages the baskets of a run in a temporary table of the transaction: the distinct products
   * of each counted order placed on or before `asOf` (UTC) by a customer not deleted. Answers
   * how many baskets (orders with at least one line) there are.
   */
  async stageBaskets(asOf: string, trx: Knex.Transaction): Promise<number> {
    await trx.raw(`DROP TABLE IF EXISTS ${BASKETS}`);
    await trx.raw(
      `CREATE TEMPORARY TABLE ${BASKETS} ON COMMIT DROP AS
       SELECT DISTINCT l.order_id, l.product_id
         FROM order_lines l
         JOIN orders o ON o.id = l.order_id
         JOIN customers c ON c.id = o.customer_id
        WHERE ${COUNTED} AND c.deleted_at IS NULL
          AND o.ordered_at < (CAST(? AS date) + 1)::timestamp AT TIME ZONE 'UTC'`,
      [asOf],
    );
    await trx.raw(`ANALYZE ${BASKETS}`);
    const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>(
      `SELECT count(DISTINCT order_id)::int AS n FROM ${BASKETS}`,
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Writes the run's rules from the staged baskets: the products in at least `minCount`
   * baskets, their pairs in at least `minCount` baskets (a pair is never more frequent than
   * either product, so the pruned products lose no pair), each pair as the two rules A -> B
   * and B -> A, ranked by lift then confidence. Answers the frequent products and rules.
   */
  async writeRules(
    run: { id: string; baskets: number; minSupport: number; minCount: number; at: Date },
    trx: Knex.Transaction,
  ): Promise<{ frequentProducts: number; rules: number }> {
    await trx('association_runs').where({ run_id: run.id }).delete();
    await trx.raw('DROP TABLE IF EXISTS association_items');
    await trx('association_runs').insert({
      run_id: run.id,
      baskets: run.baskets,
      min_support: run.minSupport,
      min_count: run.minCount,
      frequent_products: 0,
      rules: 0,
      computed_at: run.at,
    });
    await trx.raw(
      `CREATE TEMPORARY TABLE association_items ON COMMIT DROP AS
       SELECT product_id, count(*)::int AS n FROM ${BASKETS} GROUP BY product_id HAVING count(*) >= ?`,
      [run.minCount],
    );
    const { rows: counted } = await trx.raw<{ rows: Array<{ n: number }> }>(
      'SELECT count(*)::int AS n FROM association_items',
    );
    const frequentProducts = counted[0]?.n ?? 0;
    await trx.raw(
      `WITH fb AS (
         SELECT b.order_id, b.product_id FROM ${BASKETS} b JOIN association_items i ON i.product_id = b.product_id
       ),
       pairs AS (
         SELECT x.product_id AS a, y.product_id AS b, count(*)::int AS both_count
           FROM fb x JOIN fb y ON y.order_id = x.order_id AND x.product_id < y.product_id
          GROUP BY x.product_id, y.product_id
         HAVING count(*) >= :minCount
       ),
       rules AS (
         SELECT p.a AS antecedent_id, p.b AS consequent_id, p.both_count, ia.n AS antecedent_count, ib.n AS consequent_count
           FROM pairs p JOIN association_items ia ON ia.product_id = p.a JOIN association_items ib ON ib.product_id = p.b
         UNION ALL
         SELECT p.b, p.a, p.both_count, ib.n, ia.n
           FROM pairs p JOIN association_items ia ON ia.product_id = p.a JOIN association_items ib ON ib.product_id = p.b
       ),
       measured AS (
         SELECT r.*,
                r.both_count::float8 / :baskets AS support,
                r.both_count::float8 / r.antecedent_count AS confidence,
                r.both_count::float8 * :baskets / (r.antecedent_count::float8 * r.consequent_count) AS lift
           FROM rules r
       )
       INSERT INTO product_associations
              (run_id, rank, antecedent_id, consequent_id, both_count, antecedent_count, consequent_count, support, confidence, lift)
       SELECT :runId, row_number() OVER (ORDER BY lift DESC, confidence DESC, antecedent_id, consequent_id),
              antecedent_id, consequent_id, both_count, antecedent_count, consequent_count, support, confidence, lift
         FROM measured`,
      { minCount: run.minCount, baskets: run.baskets, runId: run.id },
    );
    const { rows: written } = await trx.raw<{ rows: Array<{ n: number }> }>(
      'SELECT count(*)::int AS n FROM product_associations WHERE run_id = ?',
      [run.id],
    );
    const rules = written[0]?.n ?? 0;
    await trx('association_runs')
      .where({ run_id: run.id })
      .update({ frequent_products: frequentProducts, rules });
    await trx.raw('DROP TABLE association_items');
    return { frequentProducts, rules };
  }

  /** Deletes the associations of every run but `keep`, the latest finished run and those under way. */
  async pruneExcept(keep: string, trx: Knex.Transaction): Promise<void> {
    await trx.raw(
      `DELETE FROM association_runs
        WHERE run_id <> ?
          AND run_id NOT IN (SELECT id FROM analytics_runs WHERE status IN ('queued', 'running'))
          AND run_id NOT IN (SELECT id FROM analytics_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1)`,
      [keep],
    );
  }

  /** The associations of the latest finished run that has them. */
  async latest(): Promise<AssociationRunRow | undefined> {
    return this.knex('association_runs as ar')
      .join('analytics_runs as r', 'r.id', 'ar.run_id')
      .where('r.status', 'done')
      .orderBy('r.finished_at', 'desc')
      .first('ar.*', 'r.as_of');
  }

  async ofRun(runId: string): Promise<AssociationRunRow | undefined> {
    return this.knex('association_runs as ar')
      .join('analytics_runs as r', 'r.id', 'ar.run_id')
      .where('ar.run_id', runId)
      .first('ar.*', 'r.as_of');
  }

  /** A page of the run's rules in rank order, after `afterRank`. */
  async page(
    runId: string,
    filter: { antecedentId?: string; minLift?: number; afterRank?: number },
    limit: number,
  ): Promise<RuleRow[]> {
    const where = ['pa.run_id = ?'];
    const values: Array<string | number> = [runId];
    if (filter.antecedentId !== undefined) {
      where.push('pa.antecedent_id = ?');
      values.push(filter.antecedentId);
    }
    if (filter.minLift !== undefined) {
      where.push('pa.lift >= ?');
      values.push(filter.minLift);
    }
    if (filter.afterRank !== undefined) {
      where.push('pa.rank > ?');
      values.push(filter.afterRank);
    }
    const { rows } = await this.knex.raw<{ rows: RuleRow[] }>(
      `SELECT ${RULE_COLUMNS}
         FROM product_associations pa
         JOIN products a ON a.id = pa.antecedent_id
         JOIN products b ON b.id = pa.consequent_id
        WHERE ${where.join(' AND ')}
        ORDER BY pa.rank
        LIMIT ${Math.trunc(limit)}`,
      values,
    );
    return rows;
  }

  /** The run's rules from any of `antecedentIds` to an active product. */
  async rulesFrom(runId: string, antecedentIds: readonly string[]): Promise<RuleRow[]> {
    if (antecedentIds.length === 0) return [];
    const { rows } = await this.knex.raw<{ rows: RuleRow[] }>(
      `SELECT ${RULE_COLUMNS}
         FROM product_associations pa
         JOIN products a ON a.id = pa.antecedent_id
         JOIN products b ON b.id = pa.consequent_id AND b.active
        WHERE pa.run_id = ? AND pa.antecedent_id IN (${placeholders(antecedentIds)})
        ORDER BY pa.rank`,
      [runId, ...antecedentIds],
    );
    return rows;
  }

  /** The products the customer bought in an order not cancelled, marked whether one such order counts. */
  async productsOf(customerId: string): Promise<CustomerProductRow[]> {
    const { rows } = await this.knex.raw<{ rows: CustomerProductRow[] }>(
      `SELECT p.id, p.sku, p.name, p.category, p.list_price, p.currency, bool_or(${COUNTED}) AS counted
         FROM orders o
         JOIN order_lines l ON l.order_id = o.id
         JOIN products p ON p.id = l.product_id
        WHERE o.customer_id = ? AND o.status <> 'cancelled'
        GROUP BY p.id`,
      [customerId],
    );
    return rows;
  }

  /**
   * For each of `boughtIds`: its other live buyers (counted orders), of whom the `peersPerProduct`
   * who bought it most recently are the peers; and per active product outside `excludeIds`, how
   * many of those peers also bought it. Pairs bought by fewer than `minCustomers` are left out.
   * The cap bounds the work for a product most customers buy.
   */
  async coPurchases(
    customerId: string,
    boughtIds: readonly string[],
    excludeIds: readonly string[],
    minCustomers: number,
    peersPerProduct: number,
  ): Promise<CoPurchaseRow[]> {
    if (boughtIds.length === 0) return [];
    const exclude = excludeIds.length > 0 ? excludeIds : boughtIds;
    const { rows } = await this.knex.raw<{ rows: CoPurchaseRow[] }>(
      `WITH buyers AS (
         SELECT o.customer_id, l.product_id,
                row_number() OVER (PARTITION BY l.product_id ORDER BY max(o.ordered_at) DESC, o.customer_id) AS k,
                count(*) OVER (PARTITION BY l.product_id) AS buyers
           FROM order_lines l
           JOIN orders o ON o.id = l.order_id
           JOIN customers c ON c.id = o.customer_id AND c.deleted_at IS NULL
          WHERE l.product_id IN (${placeholders(boughtIds)}) AND o.customer_id <> ? AND ${COUNTED}
          GROUP BY o.customer_id, l.product_id
       ),
       peers AS (SELECT customer_id, product_id, buyers FROM buyers WHERE k <= ?),
       sizes AS (SELECT product_id, count(*)::int AS customers, max(buyers)::int AS buyers FROM peers GROUP BY product_id),
       peer_products AS (
         SELECT DISTINCT o.customer_id, l.product_id
           FROM orders o
           JOIN order_lines l ON l.order_id = o.id
          WHERE o.customer_id IN (SELECT customer_id FROM peers) AND ${COUNTED}
            AND l.product_id NOT IN (${placeholders(exclude)})
       )
       SELECT p.product_id AS bought_id, s.customers, s.buyers, pp.product_id AS candidate_id,
              cp.sku AS candidate_sku, cp.name AS candidate_name, count(*)::int AS also_bought
         FROM peers p
         JOIN sizes s ON s.product_id = p.product_id
         JOIN peer_products pp ON pp.customer_id = p.customer_id
         JOIN products cp ON cp.id = pp.product_id AND cp.active
        GROUP BY p.product_id, s.customers, s.buyers, pp.product_id, cp.sku, cp.name
       HAVING count(*) >= ?`,
      [...boughtIds, customerId, peersPerProduct, ...exclude, minCustomers],
    );
    return rows;
  }

  /** Active, priced products in the given categories. */
  async pricedIn(categories: readonly string[]): Promise<CatalogueRow[]> {
    if (categories.length === 0) return [];
    return this.knex('products')
      .whereIn('category', categories)
      .where('active', true)
      .whereNotNull('list_price')
      .whereNotNull('currency')
      .select('id', 'sku', 'name', 'category', 'list_price', 'currency');
  }
}
