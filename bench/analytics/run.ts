import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { loadSyntheticBusiness, syntheticAsOf } from './load';

/**
 * bench/analytics: a full analytics run against the plain SQL per-customer summary, on the
 * PostgreSQL server. Loads a synthetic business (BG/NBD purchases, Gamma-Gamma spend) into a
 * fresh schema, then times the plain SQL per-customer summary (here) and a full analytics run
 * (in a child process run like the server, with `npm start`'s flags) alternately, and prints
 * their medians, their ratio, each run's phases (the fit times among them), and the run
 * process's memory.
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

async function measure(schema: string): Promise<void> {
  const db = await createDatabase({ url: url!, schema, statementTimeoutMs: 0 });
  const runner = startRunner(schema);
  try {
    const sql: number[] = [];
    const runs: RunResult[] = [];
    let summaryRows = 0;
    for (let i = 0; i < Number(values.repeats); i++) {
      // The baseline: the plain per-customer summary every run needs at least.
      const start = process.hrtime.bigint();
      const summary = await db.knex.raw(
        `SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS days,
                min(ordered_at) AS first, max(ordered_at) AS last, sum(amount) AS total
           FROM orders WHERE ordered_at < ?::date + 1 AND status NOT IN ('cancelled', 'returned')
          GROUP BY customer_id`,
        [syntheticAsOf()],
      );
      sql.push(Number(process.hrtime.bigint() - start) / 1e9);
      summaryRows = summary.rows.length;
      runs.push(await runner.run());
    }
    const seconds = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    const full = runs.map((r) => r.seconds);
    console.log(`customers with a purchase: ${summaryRows}`);
    console.log(`models: ${JSON.stringify(runs[runs.length - 1]?.models)}`);
    console.log(`plain SQL summary: ${median(sql).toFixed(2)} s (median of ${sql.length}: ${seconds(sql)})`);
    console.log(
      `full analytics run: ${median(full).toFixed(2)} s (median of ${full.length}: ${seconds(full)})`,
    );
    console.log(`ratio run / SQL summary: ${(median(full) / median(sql)).toFixed(2)} (target <= 3)`);
    console.log('phases of each run (ms):');
    for (const r of runs) console.log(`  ${JSON.stringify(r.phases)}`);
    console.log('resident memory of the run process at the end of each phase (MiB):');
    for (const r of runs) console.log(`  ${JSON.stringify(r.rss)}`);
    const peak = Math.max(...runs.map((r) => r.peakRssMiB));
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
