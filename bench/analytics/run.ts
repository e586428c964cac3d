import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { loadSyntheticBusiness, syntheticAsOf } from './load';

/**
 * bench/analytics: a full analytics run against the plain SQL per-customer summary, on the
 * PostgreSQL server. Loads a synthetic business (BG/NBD purchases, Gamma-Gamma spend) into a
 * fresh schema, then, in a child process run like the server (`npm start`'s flags), times both
 * alternately and prints their medians, their ratio, the run's phases and fit times, and the
 * child's peak memory.
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

interface Measured {
  sql: number[];
  full: number[];
  phases: Record<string, number>[];
  models: unknown;
  summaryRows: number;
  peakRssMiB: number;
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
    const child = spawnSync(
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
        '--repeats',
        values.repeats!,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 },
    );
    if (child.status !== 0) throw new Error(`the measuring process failed (exit ${child.status})`);
    const measured = JSON.parse(child.stdout.trim().split('\n').pop()!) as Measured;
    const sql = median(measured.sql);
    const full = median(measured.full);
    console.log(`customers with a purchase: ${measured.summaryRows}`);
    console.log(`models: ${JSON.stringify(measured.models)}`);
    console.log(
      `plain SQL summary: ${sql.toFixed(2)} s (median of ${measured.sql.length}: ${measured.sql.map((s) => s.toFixed(2)).join(', ')})`,
    );
    console.log(
      `full analytics run: ${full.toFixed(2)} s (median of ${measured.full.length}: ${measured.full.map((s) => s.toFixed(2)).join(', ')})`,
    );
    console.log(`ratio run / SQL summary: ${(full / sql).toFixed(2)} (target <= 3)`);
    console.log('phases of each run (ms):');
    for (const p of measured.phases) console.log(`  ${JSON.stringify(p)}`);
    console.log(
      `peak RSS of the measuring process: ${measured.peakRssMiB.toFixed(0)} MiB (target < 1536 at 1,000,000 customers)`,
    );
  } finally {
    if (!values.keep && !values.schema) {
      const db = await createDatabase({ url: url! });
      await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
