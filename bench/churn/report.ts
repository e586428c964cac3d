import type { Knex } from 'knex';
import { createDatabase } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';
import { periodsEndingAt, type PeriodUnit } from '../../src/domain/lifecycle/periods';
import { ChurnRepository } from '../../src/modules/churn/repository';
import { loadSyntheticBusiness, syntheticAsOf } from '../analytics/load';
import { databaseUrlFor, dropBenchDatabase } from '../read/bench-database';

/**
 * The churn report's reads on a PostgreSQL server at the size the design names: 100,000
 * customers (the synthetic business of bench/analytics, about ten orders each) and five churn
 * events per customer (500,000, plus one stage event each), spread over two years. Prints the
 * time of each read for 12 months, 156 weeks and 12 quarters, and the plan of the period
 * statement.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/churn/report.ts [customers] [--keep] [--reuse]
 *
 * Measured once (PostgreSQL 15 server, 2 CPUs shared with other work, load average 6 to 8, so
 * an upper bound): the period statement over 12 months 1.5 to 2.1 s, 156 weeks 1.6 to 2.7 s,
 * reading lifecycle_events_customer in order with no sort (an ascending window sorted the
 * 490,000 events on disk and took 4.2 s); churn by reason 0.2 to 0.4 s; the cohort matrix
 * 1.8 to 4 s (the customers' first counted orders over 1.08 million orders is 0.7 s of it); the
 * at-risk list with most states changed since the day asked for 1.7 to 2.6 s (as of the latest
 * run's asOf few states have changed since, and the list reads customer_lifecycle_churn).
 */
const NAME = 'bench_churn_report';

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL names the server (any database on it)');
  const customers = Number(process.argv[2] ?? 100_000);
  // --reuse measures a database an earlier --keep left (loading takes minutes).
  const reuse = process.argv.includes('--reuse');
  if (!reuse) {
    await dropBenchDatabase(server, NAME);
    const admin = await createDatabase({ url: server });
    await admin.knex.raw(`CREATE DATABASE ${NAME}`);
    await admin.close();
  }
  const db = await createDatabase({ url: databaseUrlFor(server, NAME), statementTimeoutMs: 0 });
  try {
    if (!reuse) await load(db.knex, customers);
    await measure(db.knex);
  } finally {
    await db.close();
    if (!process.argv.includes('--keep')) await dropBenchDatabase(server, NAME);
  }
}

async function load(knex: Knex, customers: number) {
  const db = { knex };
  {
    await migrateToLatest(db.knex);
    let start = Date.now();
    const orders = await loadSyntheticBusiness(db.knex, customers);
    console.log(`loaded ${customers} customers, ${orders} orders in ${Date.now() - start} ms`);
    start = Date.now();
    // Per customer: acquired on a random day, then at risk, churned, won back and active again,
    // each some random days later (a deterministic hash of the id and the step).
    await db.knex.raw(`
      INSERT INTO lifecycle_events (id, customer_id, kind, from_value, to_value, at, cause)
      SELECT gen_random_uuid(), c.id, 'churn_status', s.from_value, s.to_value,
             '2024-09-01'::timestamptz + make_interval(days => (abs(hashtext(c.id::text)) % 400)
               + s.n * (20 + abs(hashtext(c.id::text || s.n)) % 90)),
             CASE WHEN s.to_value IN ('won_back', 'active') THEN 'purchase' ELSE 'rule' END
        FROM customers c
        CROSS JOIN (VALUES (0, NULL, 'active'), (1, 'active', 'at_risk'), (2, 'at_risk', 'churned'),
                           (3, 'churned', 'won_back'), (4, 'won_back', 'active')) AS s(n, from_value, to_value)`);
    await db.knex.raw(`
      INSERT INTO lifecycle_events (id, customer_id, kind, from_value, to_value, at, cause)
      SELECT gen_random_uuid(), id, 'stage', 'selection', 'acquisition',
             '2024-09-01'::timestamptz + make_interval(days => abs(hashtext(id::text)) % 400), 'purchase'
        FROM customers`);
    await db.knex.raw('ANALYZE');
    const [{ count }] = (await db.knex.raw('SELECT count(*)::int AS count FROM lifecycle_events')).rows;
    // Where each customer stands: its latest churn event (as LifecycleRepository.record leaves it).
    await db.knex.raw(`
      INSERT INTO customer_lifecycle (customer_id, churn_status, churn_since, churn_cause, stage)
      SELECT DISTINCT ON (customer_id) customer_id, to_value, at, cause, 'acquisition'
        FROM lifecycle_events WHERE kind = 'churn_status' ORDER BY customer_id, at DESC, seq DESC`);
    await db.knex.raw('ANALYZE');
    console.log(`wrote ${count} lifecycle events in ${Date.now() - start} ms (as of ${syntheticAsOf()})`);
  }
}

async function measure(knex: Knex) {
  {
    const repository = new ChurnRepository(knex);
    const now = new Date('2026-06-30T12:00:00Z');
    const cases: Array<[PeriodUnit, number]> = [
      ['month', 12],
      ['month', 36],
      ['week', 156],
      ['quarter', 12],
    ];
    for (const [unit, n] of cases) {
      const periods = periodsEndingAt(unit, now, n);
      const starts = periods.map((p) => p.start);
      const stop = periods[periods.length - 1]!.stop;
      const time = async (label: string, read: () => Promise<unknown>) => {
        await read(); // warm
        const t0 = process.hrtime.bigint();
        await read();
        console.log(`${unit} x ${n} ${label}: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
      };
      await time('periods', () => repository.transitions(starts, stop));
      await time('byReason', () => repository.byReason(periods[0]!.start, stop));
      await time('cohorts (status)', () => repository.cohortTransitions(starts, stop));
      await time('cohorts (purchase)', () => repository.cohortBuyers(starts, stop));
    }
    // The at-risk list as of a day in the history (no snapshot: every value unknown, so the sort
    // is by id; the work is finding who was at risk then).
    const t0 = process.hrtime.bigint();
    const rows = await repository.atRisk(
      '00000000-0000-7000-8000-000000000000',
      new Date('2026-01-01T00:00:00Z'),
      50,
    );
    console.log(`atRisk (${rows.length}): ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
