import type { Knex } from 'knex';
import { SalesReportRepository, type SalesGrouping } from '../../src/modules/sales-report/repository';
import { dropBenchDatabase, freshBenchDatabase } from '../read/bench-database';

/**
 * The sales report's one statement on 1,000,000 orders (100,000 customers, one or two lines
 * each, seeded with generate_series), against a baseline over the same orders: a plain
 * `SELECT region, sum(amount) ... GROUP BY region`. Prints the medians side by side and
 * their ratio for a one-year range (with the year before as the previous period).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/sales/run.ts [orders] [--repeats 3]
 */
const NAME = 'bench_sales_report';

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL names the server (any database on it)');
  const orders = Number(process.argv[2] ?? 1_000_000);
  const at = process.argv.indexOf('--repeats');
  const repeats = at > 0 ? Number(process.argv[at + 1]) : 3;
  const db = await freshBenchDatabase(server, NAME);
  try {
    let start = Date.now();
    await seed(db.knex, orders);
    console.log(`seeded ${orders} orders in ${Date.now() - start} ms`);
    const repository = new SalesReportRepository(db.knex);
    const window = {
      previousStart: new Date('2024-12-01T00:00:00Z'),
      start: new Date('2025-12-01T00:00:00Z'),
      end: new Date('2026-12-01T00:00:00Z'),
    };
    const baseline = async () => {
      start = Date.now();
      await db.knex.raw(
        `SELECT region, sum(amount) FROM orders
          WHERE ordered_at >= ? AND ordered_at < ? GROUP BY region`,
        [window.previousStart, window.end],
      );
      return Date.now() - start;
    };
    const report = (groupBy: SalesGrouping[]) => async () => {
      start = Date.now();
      await repository.aggregate(groupBy, window);
      return Date.now() - start;
    };
    const cases: Array<[string, () => Promise<number>]> = [
      ['groupBy=region', report(['region'])],
      ['groupBy=product', report(['product'])],
      ['groupBy=region,category', report(['region', 'category'])],
    ];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [name, run] of cases) {
      const base: number[] = [];
      const ours: number[] = [];
      // Alternated, so a noisy moment hits both.
      for (let i = 0; i < repeats; i++) {
        base.push(await baseline());
        ours.push(await run());
      }
      console.log(
        `${name}: report ${median(ours)} ms, baseline sum GROUP BY ${median(base)} ms, ratio ${(median(ours) / median(base)).toFixed(2)}`,
      );
    }
  } finally {
    await db.close();
    await dropBenchDatabase(server, NAME);
  }
}

/** Customers, 50 products in 10 categories, orders over two years with one or two lines that add up. */
async function seed(knex: Knex, orders: number) {
  const customers = Math.max(1, Math.floor(orders / 10));
  await knex.raw(`
    INSERT INTO customers (id, kind, category, name, sort_name, search_text, region, owner, addresses, created_at, updated_at)
    SELECT md5('c' || i)::uuid, 'person', 'consumer', 'Customer ' || i, 'customer ' || i, 'customer ' || i,
           (ARRAY['east','west','north','south'])[1 + i % 4], 'owner' || (i % 20),
           jsonb_build_array(jsonb_build_object('postalCode', lpad((i % 500)::text, 6, '0'))), now(), now()
      FROM generate_series(1, ${customers}) i`);
  await knex.raw(`
    INSERT INTO products (id, sku, name, category, created_at, updated_at)
    SELECT md5('p' || i)::uuid, 'SKU-' || i, 'Product ' || i, 'cat' || (i % 10), now(), now()
      FROM generate_series(1, 50) i`);
  await knex.raw(`
    INSERT INTO orders (id, customer_id, ordered_at, amount, currency, region, status, created_at, updated_at)
    SELECT md5('o' || i)::uuid, md5('c' || (1 + i % ${customers}))::uuid,
           timestamptz '2024-12-01' + (i % 730) * interval '1 day' + (i % 86400) * interval '1 second',
           (10 + i % 90) * 2 + 0.5, 'USD', CASE WHEN i % 7 = 0 THEN NULL ELSE (ARRAY['east','west','north','south'])[1 + i % 4] END,
           CASE WHEN i % 33 = 0 THEN 'cancelled' ELSE 'shipped' END, now(), now()
      FROM generate_series(1, ${orders}) i`);
  await knex.raw(`
    INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price)
    SELECT md5('o' || i)::uuid, 1, md5('p' || (1 + i % 50))::uuid, 1, (10 + i % 90) + 0.25 FROM generate_series(1, ${orders}) i
    UNION ALL
    SELECT md5('o' || i)::uuid, 2, md5('p' || (1 + (i * 7) % 50))::uuid, 1, (10 + i % 90) + 0.25 FROM generate_series(1, ${orders}) i`);
  await knex.raw('ANALYZE');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
