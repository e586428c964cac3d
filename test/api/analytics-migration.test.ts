import type { Knex } from 'knex';
import type { Database } from '../../src/db/create-database';
import { newId } from '../../src/db/ids';
import { ExtensionlessMigrationSource } from '../../src/db/migration-source';
import { createEmptyTestDatabase } from '../helpers/test-database';

/**
 * Migration 20261123006000 turns an existing customer_values with data into a table
 * partitioned by run. The database is migrated up to the migration before it, given runs and
 * values the way the older schema held them, and then migrated forward and back.
 */

const MIGRATION = '20261123006000_customer_values_per_run';
const BEFORE = '20261123005000_imports';

/** The project's migrations up to and including `last`. */
class MigrationsUpTo implements Knex.MigrationSource<string> {
  private readonly all = new ExtensionlessMigrationSource();
  constructor(private readonly last: string) {}
  async getMigrations(): Promise<string[]> {
    return (await this.all.getMigrations()).filter((name) => name <= this.last);
  }
  getMigrationName(migration: string): string {
    return migration;
  }
  getMigration(migration: string) {
    return this.all.getMigration(migration);
  }
}

let db: Database;
beforeAll(async () => {
  db = await createEmptyTestDatabase();
});
afterAll(async () => db?.close());

const all = new ExtensionlessMigrationSource();

async function pendingMigrations(): Promise<string[]> {
  // With a custom source, pending migrations are listed as the source gives them (names here).
  const [, pending] = (await db.knex.migrate.list({ migrationSource: all })) as [unknown[], string[]];
  return pending.map((migration) => all.getMigrationName(migration));
}

function run(id: string, asOf: string) {
  return {
    id,
    status: 'done',
    phase: 'done',
    as_of: asOf,
    time_unit: 'week',
    horizon_months: 12,
    annual_discount_rate: 0.1,
    margin: 0.3,
    customers_total: 2,
    customers_done: 2,
    created_at: new Date('2026-01-01T00:00:00Z'),
    started_at: new Date('2026-01-01T00:00:01Z'),
    finished_at: new Date('2026-01-01T00:00:02Z'),
  };
}

function value(runId: string, customerId: string, k: number) {
  return {
    run_id: runId,
    customer_id: customerId,
    purchases: 3 + k,
    frequency: 2 + k,
    recency: 30.5 + k,
    age: 40.25 + k,
    since_last_purchase: 9.75,
    average_cycle: k === 0 ? null : 15.25,
    average_amount: 24.5 + k,
    total_amount: 73.5 + k,
    rfm_r: 5,
    rfm_f: 4,
    rfm_m: 3 - k,
    rfm_code: `54${3 - k}`,
    rfm_segment: 'champions',
    value_class: k === 0 ? 'gold' : 'silver',
    clv_historical: 80.125,
    clv_current: 40.0625,
    clv_predicted: 1e-12 + k,
    expected_purchases: 1.5,
    expected_average_amount: 25.75,
    churn_status: 'active',
    p_alive: k === 0 ? null : 0.875,
    stars: 4 - k,
  };
}

/** The relation `name` resolves to in the test's schema: its kind, or null if there is none. */
async function relationKind(name: string): Promise<string | null> {
  const result = await db.knex.raw('SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(?)', [name]);
  return (result.rows[0]?.relkind as string | undefined) ?? null;
}

async function isPartitioned(name: string): Promise<boolean> {
  const result = await db.knex.raw(
    'SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = to_regclass(?)',
    [name],
  );
  return result.rows[0].n === 1;
}

const partitionOf = (runId: string) => `customer_values_${runId.replace(/-/g, '')}`;

async function allValues() {
  return db.knex('customer_values').select('*').orderBy(['run_id', 'customer_id']);
}

const runA = newId();
const runB = newId();
const [c1, c2, c3] = [newId(), newId(), newId()];
/** The rows as the unpartitioned table gave them back before the migration. */
let before: Array<Record<string, unknown>> = [];

test("before the migration: an ordinary customer_values holding two runs' values", async () => {
  await db.knex.migrate.latest({ migrationSource: new MigrationsUpTo(BEFORE) });
  expect((await pendingMigrations())[0]).toBe(MIGRATION);
  expect(await relationKind('customer_values')).toBe('r');

  await db.knex('analytics_runs').insert([run(runA, '2026-03-31'), run(runB, '2026-06-30')]);
  await db.knex('customer_values').insert([value(runA, c1, 0), value(runA, c2, 1), value(runB, c3, 1)]);
  before = await allValues();
  expect(before).toHaveLength(3);
});

test('up: customer_values becomes partitioned by run, one partition per run, rows kept', async () => {
  expect(before).toHaveLength(3);
  await db.knex.migrate.up({ migrationSource: all, name: MIGRATION });
  expect(await pendingMigrations()).not.toContain(MIGRATION);

  // A list-partitioned table, one partition per run with values, named by the run's id.
  expect(await relationKind('customer_values')).toBe('p');
  const strategy = await db.knex.raw(
    `SELECT partstrat,
            (SELECT array_agg(attname::text) FROM pg_attribute
              WHERE attrelid = partrelid AND attnum = ANY (partattrs)) AS keys
       FROM pg_partitioned_table WHERE partrelid = to_regclass('customer_values')`,
  );
  expect(strategy.rows).toEqual([{ partstrat: 'l', keys: ['run_id'] }]);
  expect(await relationKind('customer_values_unpartitioned')).toBeNull();
  for (const runId of [runA, runB]) {
    const partition = await db.knex.raw(
      `SELECT c.relispartition, pg_get_expr(c.relpartbound, c.oid) AS bound,
              i.inhparent = to_regclass('customer_values') AS of_customer_values
         FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
        WHERE c.oid = to_regclass(?)`,
      [partitionOf(runId)],
    );
    expect(partition.rows).toEqual([
      { relispartition: true, bound: `FOR VALUES IN ('${runId}')`, of_customer_values: true },
    ]);
  }
  expect(partitionOf(runA)).toMatch(/^customer_values_[0-9a-f]{32}$/);

  // Every row is still there, unchanged, through customer_values and in its run's partition.
  expect(await allValues()).toEqual(before);
  expect(await db.knex('customer_values').where({ run_id: runA }).orderBy('customer_id')).toEqual(
    before.filter((row) => row.run_id === runA),
  );
  expect(await db.knex('customer_values').where({ run_id: runB, customer_id: c3 })).toEqual(
    before.filter((row) => row.run_id === runB),
  );
  expect(Number((await db.knex(partitionOf(runA)).count({ n: '*' }))[0]!.n)).toBe(2);
  expect(Number((await db.knex(partitionOf(runB)).count({ n: '*' }))[0]!.n)).toBe(1);

  // The key and the list indexes are there; the key still holds.
  const indexes = await db.knex.raw(
    `SELECT indexname FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'customer_values' ORDER BY 1`,
  );
  expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual([
    'customer_values_class',
    'customer_values_clv',
    'customer_values_p_alive',
    'customer_values_pkey',
    'customer_values_segment',
  ]);
  await expect(db.knex('customer_values').insert(value(runA, c1, 0))).rejects.toThrow(/duplicate key/);
  // A run without a partition has nowhere to put values.
  const runC = newId();
  await db.knex('analytics_runs').insert(run(runC, '2026-09-30'));
  await expect(db.knex('customer_values').insert(value(runC, c1, 0))).rejects.toThrow(/partition/);
});

test('down: an ordinary table again, with the rows, its key and the foreign key to the runs', async () => {
  expect(await relationKind('customer_values')).toBe('p');
  await db.knex.migrate.down({ migrationSource: all, name: MIGRATION });
  expect((await pendingMigrations())[0]).toBe(MIGRATION);

  expect(await relationKind('customer_values')).toBe('r');
  expect(await isPartitioned('customer_values')).toBe(false);
  expect(await relationKind('customer_values_partitioned')).toBeNull();
  expect(await relationKind(partitionOf(runA))).toBeNull();
  expect(await relationKind(partitionOf(runB))).toBeNull();
  expect(await allValues()).toEqual(before);
  await expect(db.knex('customer_values').insert(value(runA, c1, 0))).rejects.toThrow(/duplicate key/);
  await expect(db.knex('customer_values').insert(value(newId(), c1, 0))).rejects.toThrow(/foreign key/);
  // Deleting a run deletes its values (ON DELETE CASCADE).
  await db.knex('analytics_runs').where({ id: runB }).delete();
  expect(await allValues()).toEqual(before.filter((row) => row.run_id === runA));
});
