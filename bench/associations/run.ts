import type { Knex } from 'knex';
import { AssociationRepository } from '../../src/modules/associations/repository';
import { AssociationService } from '../../src/modules/associations/service';
import type { CustomerService } from '../../src/modules/customers/service';
import type { ProductService } from '../../src/modules/products/service';
import { dropBenchDatabase, freshBenchDatabase } from '../read/bench-database';

/**
 * The analytics run's association step (AssociationService.computeFor: stage the baskets,
 * count the frequent products and pairs, write both rules of each pair, prune) on 100,000
 * customers and 1,000,000 order lines (250,000 orders of four lines, seeded with
 * generate_series; product popularity skewed like a real catalogue, and half the second lines
 * a fixed partner of the first, so there are pairs to find), against a baseline over the same
 * lines: a plain `SELECT product_id, count(*) FROM order_lines GROUP BY product_id`. Prints the
 * medians side by side and their ratio, and then one customer's recommendations (the request
 * path: rules, co-purchases across customers, up-sell) for a customer of the most popular product.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/associations/run.ts [lines] [--repeats 3]
 */
const NAME = 'bench_associations';
const PRODUCTS = 2_000;

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL names the server (any database on it)');
  const lines = Number(process.argv[2] ?? 1_000_000);
  const at = process.argv.indexOf('--repeats');
  const repeats = at > 0 ? Number(process.argv[at + 1]) : 3;
  const db = await freshBenchDatabase(server, NAME);
  try {
    let start = Date.now();
    const customers = await seed(db.knex, lines);
    console.log(`seeded ${customers} customers, ${lines} order lines in ${Date.now() - start} ms`);
    const someone = { requireLive: async () => ({}) } as unknown as CustomerService;
    const service = new AssociationService(
      db.knex,
      new AssociationRepository(db.knex),
      someone,
      undefined as unknown as ProductService,
      0.01,
      () => new Date(),
    );
    const baseline = async () => {
      start = Date.now();
      await db.knex.raw('SELECT product_id, count(*) FROM order_lines GROUP BY product_id');
      return Date.now() - start;
    };
    let figures = { baskets: 0, rules: 0 };
    const compute = async () => {
      const id = await newRun(db.knex);
      start = Date.now();
      figures = await service.computeFor({ id, as_of: '2026-11-30' });
      const ms = Date.now() - start;
      await db.knex('analytics_runs').where({ id }).update({ status: 'done', finished_at: new Date() });
      return ms;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const base: number[] = [];
    const ours: number[] = [];
    // Alternated, so a noisy moment hits both.
    for (let i = 0; i < repeats; i++) {
      base.push(await baseline());
      ours.push(await compute());
    }
    console.log(
      `associations (${figures.baskets} baskets, ${figures.rules} rules at min support 0.01): ${median(ours)} ms, ` +
        `baseline count GROUP BY product_id ${median(base)} ms, ratio ${(median(ours) / median(base)).toFixed(2)}`,
    );
    const { rows } = await db.knex.raw<{ rows: Array<{ customer_id: string }> }>(
      `SELECT o.customer_id FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE l.product_id = md5('p1')::uuid ORDER BY o.customer_id LIMIT 1`,
    );
    const customer = rows[0]!.customer_id;
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < repeats; i++) {
      start = Date.now();
      items = (await service.recommendations(customer, { limit: 10 })).items.length;
      times.push(Date.now() - start);
    }
    console.log(
      `recommendations for a buyer of the most popular product: ${median(times)} ms (${items} items)`,
    );
  } finally {
    await db.close();
    await dropBenchDatabase(server, NAME);
  }
}

async function newRun(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: Array<{ id: string }> }>(
    `INSERT INTO analytics_runs (id, status, phase, as_of, time_unit, horizon_months, annual_discount_rate, margin, created_at)
     VALUES (gen_random_uuid(), 'running', 'writing', '2026-11-30', 'day', 12, 0.1, 1, now()) RETURNING id`,
  );
  return rows[0]!.id;
}

/**
 * 100,000 customers (one per ten lines), PRODUCTS products in 20 priced categories, orders of
 * four lines over two years (one in 33 cancelled). A line's product is 1 + floor(PRODUCTS x u^3)
 * for a seeded uniform u (product 1 is on about 8% of the lines); the second line is the first
 * one's partner (its id with the last bit flipped) half the time.
 */
async function seed(knex: Knex, lines: number): Promise<number> {
  const customers = Math.max(1, Math.floor(lines / 10));
  const orders = Math.ceil(lines / 4);
  await knex.raw(`
    INSERT INTO customers (id, kind, category, name, sort_name, search_text, created_at, updated_at)
    SELECT md5('c' || i)::uuid, 'person', 'consumer', 'Customer ' || i, 'customer ' || i, 'customer ' || i, now(), now()
      FROM generate_series(1, ${customers}) i`);
  await knex.raw(`
    INSERT INTO products (id, sku, name, category, list_price, currency, created_at, updated_at)
    SELECT md5('p' || i)::uuid, 'SKU-' || i, 'Product ' || i, 'cat' || (i % 20), 5 + (i * 37) % 200, 'USD', now(), now()
      FROM generate_series(1, ${PRODUCTS}) i`);
  await knex.raw(`
    INSERT INTO orders (id, customer_id, ordered_at, amount, currency, status, created_at, updated_at)
    SELECT md5('o' || i)::uuid, md5('c' || (1 + (i * 7919) % ${customers}))::uuid,
           timestamptz '2024-12-01' + (i % 730) * interval '1 day', 40, 'USD',
           CASE WHEN i % 33 = 0 THEN 'cancelled' ELSE 'shipped' END, now(), now()
      FROM generate_series(1, ${orders}) i`);
  // One session, so that the seed sets the random() of the lines.
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT setseed(0.42)');
    await trx.raw(`
    CREATE UNLOGGED TABLE bench_lines AS
    SELECT j, 1 + (j - 1) / 4 AS o, 1 + (j - 1) % 4 AS line_no,
           1 + floor(${PRODUCTS} * power(random(), 3))::int AS p, random() < 0.5 AS partnered
      FROM generate_series(1, ${lines}) j`);
  });
  await knex.raw(`
    INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price)
    SELECT md5('o' || l.o)::uuid, l.line_no,
           md5('p' || CASE WHEN l.line_no = 2 AND l.partnered
                           THEN least(${PRODUCTS}, ((first.p - 1) # 1) + 1) ELSE l.p END)::uuid,
           1, 10
      FROM bench_lines l
      JOIN bench_lines first ON first.j = l.j - l.line_no + 1`);
  await knex.raw('DROP TABLE bench_lines');
  await knex.raw('ANALYZE');
  return customers;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
