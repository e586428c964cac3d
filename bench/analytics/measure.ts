import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createDatabase } from '../../src/db/create-database';
import { AnalyticsRepository } from '../../src/modules/analytics/repository';
import { AnalyticsRunService } from '../../src/modules/analytics/run-service';

/**
 * The measuring half of bench/analytics, in a process of its own so that its peak memory is the
 * run's, not the loader's: alternately the plain SQL summary and a full analytics run on the
 * data of `--schema`; prints one JSON line with the times, the phases and the peak RSS.
 */
const { values } = parseArgs({
  options: {
    schema: { type: 'string' },
    'as-of': { type: 'string' },
    repeats: { type: 'string', default: '3' },
  },
});
const url = process.env.DATABASE_URL;
if (!url || !values.schema || !values['as-of']) throw new Error('DATABASE_URL, --schema and --as-of');
const asOf = values['as-of'];

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The run service logs each run's phase times; collect them from its log lines. */
const phases: Record<string, number>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as { phaseMs?: Record<string, number> };
      if (entry.phaseMs) phases.push(entry.phaseMs);
    }
    done();
  },
});

async function main(): Promise<void> {
  const db = await createDatabase({ url: url!, schema: values.schema, poolMax: 4, statementTimeoutMs: 0 });
  try {
    const repository = new AnalyticsRepository(db.knex);
    const runs = new AnalyticsRunService(
      db.knex,
      db.bulk,
      repository,
      () => new Date(),
      pino({ level: 'info' }, logSink),
      { parallelIndexBuilds: true },
    );
    const sql: number[] = [];
    const full: number[] = [];
    let models: unknown = null;
    let summaryRows = 0;
    for (let i = 0; i < Number(values.repeats); i++) {
      // The baseline: the plain per-customer summary every run needs at least.
      let start = process.hrtime.bigint();
      const summary = await db.knex.raw(
        `SELECT customer_id, count(DISTINCT (ordered_at AT TIME ZONE 'UTC')::date) AS days,
                min(ordered_at) AS first, max(ordered_at) AS last, sum(amount) AS total
           FROM orders WHERE ordered_at < ?::date + 1 AND status NOT IN ('cancelled', 'returned')
          GROUP BY customer_id`,
        [asOf],
      );
      sql.push(seconds(start));
      summaryRows = summary.rows.length;
      start = process.hrtime.bigint();
      const run = await runs.start(
        { asOf, timeUnit: 'week', horizonMonths: 12, annualDiscountRate: 0.1, margin: 1 },
        'bench',
      );
      await runs.idle();
      full.push(seconds(start));
      const finished = await repository.findRun(run.id);
      if (finished?.status !== 'done')
        throw new Error(`run ${finished?.status}: ${JSON.stringify(finished?.error)}`);
      models = finished.models;
    }
    // maxRSS: the operating system's high-water mark of this process, in KiB.
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ sql, full, phases, models, summaryRows, peakRssMiB }));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
