import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { loadSyntheticBusiness, syntheticAsOf } from './load';

/**
 * bench/analytics: the first analytics run over a fresh base and a later run, each against the
 * plain SQL per-customer summary over a narrow orders table, on the PostgreSQL server. Loads a
 * synthetic business (BG/NBD purchases, Gamma-Gamma spend) into a fresh schema, then, per
 * repeat: the SQL summary (here), a first run (no lifecycle history yet: it writes every
 * customer's), the SQL summary again, a later run (same asOf: nothing new to write), the runs
 * in a child process started like the server; prints the medians, the ratios, each run's
 * phases and the run process's peak memory.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/analytics/run.ts --customers 100000
 * `--keep` leaves the schema in place; `--schema NAME` measures a kept schema again.
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    repeats: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    schema: { type: 'string' },
  },
});

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server database whose name contains "test".');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface RunResult {
  seconds: number;
  phases: Record<string, number>;
  rss: Record<string, number>;
  models: unknown;
  peakRssMiB: number;
}

/** The measuring child: one analytics run per "run" line, one JSON line back per run. */
function startRunner(schema: string) {
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      'bench/analytics/measure.ts',
      '--schema',
      schema,
      '--as-of',
      syntheticAsOf(),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run(): Promise<RunResult> {
      child.stdin.write('run\n');
      const { value, done } = await answers.next();
      if (done) throw new Error('the measuring process ended early');
      return JSON.parse(value as string) as RunResult;
    },
    stop: () => child.stdin.end(),
  };
}

async function prepare(schema: string): Promise<void> {
  const setup = await createDatabase({ url: url! });
  await setup.knex.raw(`CREATE SCHEMA ${schema}`);
  await setup.knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  await setup.close();
  const db = await createDatabase({ url: url!, schema, poolMax: 4, statementTimeoutMs: 0 });
  try {
    await migrateToLatest(db.knex);
    const start = process.hrtime.bigint();
    const orders = await loadSyntheticBusiness(db.knex, Number(values.customers));
    const loadSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`loaded ${values.customers} customers and ${orders} orders in ${loadSeconds.toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const schema = values.schema ?? `bench_${Date.now()}`;
  if (!values.schema) await prepare(schema);
  else {
    // A kept schema may predate the latest migrations.
    const db = await createDatabase({ url: url!, schema, statementTimeoutMs: 0 });
    await migrateToLatest(db.knex);
    await db.close();
  }
  try {
    await measure(schema);
  } finally {
    if (!values.keep && !values.schema) {
      const db = await createDatabase({ url: url! });
      await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  }
}

/**
 * The baseline: the plain per-customer summary (distinct purchase days, first, last,
 * sum) over a narrow table of the counted orders (customer, time, amount) with a
 * (customer, ordered_at) index, made once from the orders and analysed.
 */
async function prepareNarrowOrders(db: Awaited<ReturnType<typeof createDatabase>>): Promise<void> {
  await db.knex.raw('DROP TABLE IF EXISTS bench_orders_narrow');
  await db.knex.raw(
    `CREATE TABLE bench_orders_narrow AS
       SELECT customer_id, ordered_at, reporting_amount AS amount FROM orders
        WHERE ordered_at < ?::date + 1 AND status NOT IN ('cancelled', 'returned')`,
    [syntheticAsOf()],
  );
  await db.knex.raw(
    'CREATE INDEX bench_orders_narrow_customer ON bench_orders_narrow (customer_id, ordered_at)',
  );
  await db.knex.raw('VACUUM ANALYZE bench_orders_narrow');
}

async function sqlSummary(
  db: Awaited<ReturnType<typeof createDatabase>>,
): Promise<{ seconds: number; rows: number }> {
  const start = process.hrtime.bigint();
  const summary = await db.knex.raw(
    `SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS days,
            min(ordered_at) AS first, max(ordered_at) AS last, sum(amount) AS total
       FROM bench_orders_narrow GROUP BY customer_id`,
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, rows: summary.rows.length };
}

/**
 * Back to a base no run has seen: no lifecycle history or state, no events, no finished run
 * (the next run's cleanup drops the old snapshots), so the next run is a first run.
 */
async function forgetRuns(db: Awaited<ReturnType<typeof createDatabase>>): Promise<void> {
  await db.knex.raw('TRUNCATE lifecycle_events, customer_lifecycle, events, event_batches');
  await db.knex.raw("UPDATE analytics_runs SET status = 'failed' WHERE status = 'done'");
  await db.knex.raw('VACUUM ANALYZE customers');
}

async function measure(schema: string): Promise<void> {
  const db = await createDatabase({ url: url!, schema, statementTimeoutMs: 0 });
  await prepareNarrowOrders(db);
  const runner = startRunner(schema);
  try {
    const sql: number[] = [];
    const firsts: RunResult[] = [];
    const laters: RunResult[] = [];
    const changes: number[] = [];
    let summaryRows = 0;
    for (let i = 0; i < Number(values.repeats); i++) {
      const before = await sqlSummary(db);
      sql.push(before.seconds);
      summaryRows = before.rows;
      await forgetRuns(db);
      firsts.push(await runner.run());
      const counted = await db.knex.raw('SELECT count(*)::int AS n FROM lifecycle_events');
      changes.push(counted.rows[0].n as number);
      sql.push((await sqlSummary(db)).seconds);
      laters.push(await runner.run());
    }
    const seconds = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    const first = firsts.map((r) => r.seconds);
    const later = laters.map((r) => r.seconds);
    console.log(
      `customers with a purchase: ${summaryRows}; lifecycle events a first run writes: ${changes.join(', ')}`,
    );
    console.log(`models: ${JSON.stringify(laters[laters.length - 1]?.models)}`);
    console.log(
      `plain SQL summary (narrow table): ${median(sql).toFixed(2)} s (median of ${sql.length}: ${seconds(sql)})`,
    );
    console.log(`first run: ${median(first).toFixed(2)} s (median of ${first.length}: ${seconds(first)})`);
    console.log(`later run: ${median(later).toFixed(2)} s (median of ${later.length}: ${seconds(later)})`);
    console.log(`ratio first / later: ${(median(first) / median(later)).toFixed(2)} (target <= 1.5)`);
    console.log(`ratio later / SQL summary: ${(median(later) / median(sql)).toFixed(2)} (target <= 6)`);
    console.log(`ratio first / SQL summary: ${(median(first) / median(sql)).toFixed(2)}`);
    console.log('phases of each first run, then each later run (ms):');
    for (const r of [...firsts, ...laters]) console.log(`  ${JSON.stringify(r.phases)}`);
    const peak = Math.max(...[...firsts, ...laters].map((r) => r.peakRssMiB));
    console.log(`peak RSS of the run process: ${peak.toFixed(0)} MiB (target < 1536 at 1,000,000 customers)`);
  } finally {
    runner.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
