import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { createDatabase, type Database } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { newId } from '../../src/db/ids';
import { TimelineRepository, type TimelineKey } from '../../src/modules/timeline/repository';
import { TIMELINE_SOURCES } from '../../src/modules/timeline/sources';

/**
 * The customer timeline at 10,000 items for one customer among others: its pages (first, and
 * deep ones reached by cursor) against a plain page of one indexed table (the customer's
 * interactions by (customer_id, occurred_at DESC, id DESC)) as the baseline.
 *
 *   npx tsx bench/timeline/run.ts                       # embedded PGlite, in memory
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_test npx tsx bench/timeline/run.ts
 *
 * With DATABASE_URL it works in a schema of its own, dropped at the end. Items: for the
 * customer 4,000 interactions, 2,000 orders, 2,000 payments, 2,000 follow-ups (half done);
 * for each of 20 other customers the same again divided by four.
 */
const OTHERS = 20;
const PAGE = 50;
const ROUNDS = 30;

async function open(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await createDatabase({});
    return { db, drop: async () => {} };
  }
  const schema = `bench_timeline_${process.pid}`;
  const db = await createDatabase({ url, schema, statementTimeoutMs: 0 });
  await db.knex.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  return { db, drop: async () => void (await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`)) };
}

async function seedCustomer(knex: Knex, customerId: string, scale: number) {
  const now = new Date('2026-11-23T00:00:00Z');
  // Untyped on purpose: the columns without a default are read from the schema, whatever it holds.
  await knex<Record<string, unknown>>('customers' as string).insert({
    id: customerId,
    name: `Bench ${customerId.slice(-6)}`,
    ...(await customerDefaults(knex)),
    created_at: now,
    updated_at: now,
  });
  // Items spread over three years, a minute apart per source and some at equal times.
  const series = (n: number) => `generate_series(1, ${Math.round(n * scale)}) AS g`;
  await knex.raw(
    `INSERT INTO interactions (id, customer_id, channel, direction, occurred_at, subject, created_at, updated_at)
     SELECT gen_random_uuid(), ?, 'call', 'inbound', ?::timestamptz - (g * interval '4 hours'), 'Call ' || g, now(), now() FROM ${series(4000)}`,
    [customerId, now],
  );
  await knex.raw(
    `INSERT INTO orders (id, customer_id, ordered_at, amount, currency, status, created_at, updated_at)
     SELECT gen_random_uuid(), ?, ?::timestamptz - (g * interval '8 hours'), 10 + g % 90, 'USD', 'shipped', now(), now() FROM ${series(2000)}`,
    [customerId, now],
  );
  await knex.raw(
    `INSERT INTO payments (id, customer_id, amount, currency, received_at, created_at, updated_at)
     SELECT gen_random_uuid(), ?, 10 + g % 90, 'USD', ?::timestamptz - (g * interval '8 hours'), now(), now() FROM ${series(2000)}`,
    [customerId, now],
  );
  await knex.raw(
    `INSERT INTO follow_ups (id, customer_id, owner, planned_at, completed_at, created_at, updated_at)
     SELECT gen_random_uuid(), ?, 'owner-' || (g % 5), ?::timestamptz - (g * interval '8 hours'),
            CASE WHEN g % 2 = 0 THEN ?::timestamptz - (g * interval '8 hours') + interval '3 hours' END, now(), now()
       FROM ${series(2000)}`,
    [customerId, now, now],
  );
}

let defaults: Record<string, unknown> | undefined;
/** The customers' NOT NULL columns without a default, filled with something valid. */
async function customerDefaults(knex: Knex): Promise<Record<string, unknown>> {
  if (defaults) return defaults;
  const columns: Array<{ column_name: string; data_type: string }> = await knex('information_schema.columns')
    .where({ table_name: 'customers', is_nullable: 'NO' })
    .whereNull('column_default')
    .whereRaw('table_schema = current_schema()')
    .whereNotIn('column_name', ['id', 'name', 'created_at', 'updated_at'])
    .whereNot('is_generated', 'ALWAYS')
    .select('column_name', 'data_type');
  defaults = Object.fromEntries(
    columns.map(({ column_name: name, data_type: type }) => [
      name,
      name === 'kind'
        ? 'person'
        : /int|numeric|double/.test(type)
          ? 0
          : type === 'boolean'
            ? false
            : type === 'ARRAY'
              ? []
              : /json/.test(type)
                ? '{}'
                : '',
    ]),
  );
  return defaults;
}

async function time(label: string, rounds: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(2)} ms  p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(2)} ms`,
  );
  return median;
}

async function main() {
  const { db, drop } = await open();
  try {
    await migrateToLatest(db.knex);
    const customerId = newId();
    const started = performance.now();
    await seedCustomer(db.knex, customerId, 1);
    for (let i = 0; i < OTHERS; i++) await seedCustomer(db.knex, newId(), 0.25);
    for (const table of ['customers', 'interactions', 'orders', 'payments', 'follow_ups'])
      await db.knex.raw(`ANALYZE ${table}`);
    console.log(
      `${db.kind}: seeded 10,000 items for the customer and ${OTHERS} x 2,500 for others in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const repo = new TimelineRepository(db.knex);
    const range = {};
    // The key after page n, found by paging (the cursor a caller would send).
    const keyAfter = async (pages: number): Promise<TimelineKey | undefined> => {
      let key: TimelineKey | undefined;
      for (let p = 0; p < pages; p++) {
        const rows = await repo.page(TIMELINE_SOURCES, customerId, range, PAGE, key);
        const last = rows[rows.length - 1]!;
        key = { at: last.at_text, type: last.type, id: last.id };
      }
      return key;
    };
    const baseline = await time('baseline: interactions page (one index)', ROUNDS, () =>
      db
        .knex('interactions')
        .where('customer_id', customerId)
        .orderBy([
          { column: 'occurred_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(PAGE + 1),
    );
    const first = await time('timeline: first page (8 sources)', ROUNDS, () =>
      repo.page(TIMELINE_SOURCES, customerId, range, PAGE + 1),
    );
    const key10 = await keyAfter(10);
    const page10 = await time('timeline: page 11 (after 500 items)', ROUNDS, () =>
      repo.page(TIMELINE_SOURCES, customerId, range, PAGE + 1, key10),
    );
    const key150 = await keyAfter(150);
    const page150 = await time('timeline: page 151 (after 7,500 items)', ROUNDS, () =>
      repo.page(TIMELINE_SOURCES, customerId, range, PAGE + 1, key150),
    );
    console.log(
      `ratio to baseline: first ${(first / baseline).toFixed(1)}x, page 11 ${(page10 / baseline).toFixed(1)}x, page 151 ${(page150 / baseline).toFixed(1)}x`,
    );
  } finally {
    await drop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
