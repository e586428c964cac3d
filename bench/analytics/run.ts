import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDatabase } from '../../src/db/create-database';
import { newId } from '../../src/db/ids';
import { migrateToLatest } from '../../src/db/migration-source';
import { DEFAULT_BUSINESS, syntheticBusiness } from '../../src/demo/synthetic-business';
import { AnalyticsRepository } from '../../src/modules/analytics/repository';
import { AnalyticsRunService } from '../../src/modules/analytics/run-service';

/**
 * bench/analytics: a full analytics run against the plain SQL per-customer summary, on the
 * PostgreSQL server, in one process. Loads a synthetic business (BG/NBD purchases, Gamma-Gamma
 * spend) into a fresh schema, then times both and prints their ratio, the fit times and the
 * peak memory of this process.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/analytics/run.ts --customers 100000
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    repeats: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server database whose name contains "test".');

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const schema = `bench_${Date.now()}`;
  const setup = await createDatabase({ url });
  await setup.knex.raw(`CREATE SCHEMA ${schema}`);
  await setup.knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  await setup.close();
  const db = await createDatabase({ url, schema, poolMax: 4, statementTimeoutMs: 0 });
  try {
    await migrateToLatest(db.knex);
    const customers = Number(values.customers);
    let start = process.hrtime.bigint();
    const business = syntheticBusiness({ ...DEFAULT_BUSINESS, customers });
    const ids = new Map(business.customers.map((c) => [c.externalId, newId()]));
    const now = new Date().toISOString();
    for (let i = 0; i < business.customers.length; i += 10000) {
      const chunk = business.customers.slice(i, i + 10000);
      await db.knex.raw(
        `INSERT INTO customers (id, external_id, kind, category, name, sort_name, lifecycle_stage, search_text, created_at, updated_at)
         SELECT id, ext, 'person', 'consumer', name, lower(name), 'retention', lower(name), ?, ?
           FROM unnest(?::uuid[], ?::text[], ?::text[]) AS u(id, ext, name)`,
        [
          now,
          now,
          chunk.map((c) => ids.get(c.externalId)!),
          chunk.map((c) => c.externalId),
          chunk.map((c) => c.name),
        ],
      );
    }
    for (let i = 0; i < business.orders.length; i += 20000) {
      const chunk = business.orders.slice(i, i + 20000);
      await db.knex.raw(
        `INSERT INTO orders (id, external_id, customer_id, ordered_at, amount, currency, status, created_at, updated_at)
         SELECT id, ext, cid, at, amount, 'USD', status, ?, ?
           FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::timestamptz[], ?::numeric[], ?::text[]) AS u(id, ext, cid, at, amount, status)`,
        [
          now,
          now,
          chunk.map(() => newId()),
          chunk.map((o) => o.externalId),
          chunk.map((o) => ids.get(o.customerExternalId)!),
          chunk.map((o) => o.orderedAt),
          chunk.map((o) => o.amount),
          chunk.map((o) => o.status),
        ],
      );
    }
    await db.knex.raw('ANALYZE');
    console.log(
      `loaded ${business.customers.length} customers and ${business.orders.length} orders in ${seconds(start).toFixed(1)} s`,
    );
    const asOf = new Date(
      Date.parse(`${DEFAULT_BUSINESS.start}T00:00:00Z`) + DEFAULT_BUSINESS.days * 86400000,
    )
      .toISOString()
      .slice(0, 10);

    const repository = new AnalyticsRepository(db.knex);
    const runs = new AnalyticsRunService(db.knex, repository, () => new Date(), pino({ level: 'warn' }));
    const sqlTimes: number[] = [];
    const runTimes: number[] = [];
    for (let i = 0; i < Number(values.repeats); i++) {
      // The baseline: the plain per-customer summary every run needs at least.
      start = process.hrtime.bigint();
      const summary = await db.knex.raw(
        `SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS days,
                min(ordered_at) AS first, max(ordered_at) AS last, sum(amount) AS total
           FROM orders WHERE ordered_at < ?::date + 1 AND status NOT IN ('cancelled', 'returned')
          GROUP BY customer_id`,
        [asOf],
      );
      sqlTimes.push(seconds(start));
      start = process.hrtime.bigint();
      const run = await runs.start(
        { asOf, timeUnit: 'week', horizonMonths: 12, annualDiscountRate: 0.1, margin: 1 },
        'bench',
      );
      await runs.idle();
      runTimes.push(seconds(start));
      const finished = await repository.findRun(run.id);
      if (finished?.status !== 'done')
        throw new Error(`run ${finished?.status}: ${JSON.stringify(finished?.error)}`);
      const models = finished.models as { bgnbd: unknown; gammaGamma: unknown };
      if (i === 0) {
        console.log(`plain SQL summary rows: ${summary.rows.length}`);
        console.log(`models: ${JSON.stringify(models)}`);
      }
    }
    const sql = median(sqlTimes);
    const full = median(runTimes);
    console.log(`plain SQL summary: ${sql.toFixed(2)} s (median of ${sqlTimes.length})`);
    console.log(`full analytics run: ${full.toFixed(2)} s (median of ${runTimes.length})`);
    console.log(`ratio run / SQL summary: ${(full / sql).toFixed(2)} (target <= 3)`);
    console.log(`peak RSS of this process: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    if (!values.keep) await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
    clearInterval(sampler);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
