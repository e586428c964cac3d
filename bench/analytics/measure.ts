import { RunLifecycleChanges } from '../../src/modules/lifecycle/run-changes';
import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { DEFAULT_LIFECYCLE_RULES } from '../../src/domain/lifecycle';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDatabase } from '../../src/db/create-database';
import { CustomerRepository } from '../../src/modules/customers/repository';
import { EventWriter } from '../../src/modules/events/event-writer';
import { EventRepository } from '../../src/modules/events/repository';
import { AnalyticsRepository } from '../../src/modules/analytics/repository';
import { AnalyticsRunService } from '../../src/modules/analytics/run-service';

/**
 * The run half of bench/analytics, in a process of its own, as a server would hold the run
 * service: each line "run" on stdin starts an analytics run on the data of `--schema` and
 * answers one JSON line with its wall time, phases, resident memory per phase, the models and
 * this process's peak RSS so far. The plain SQL baseline runs in the parent, so this process's
 * memory is the runs' alone.
 */
const { values } = parseArgs({
  options: {
    schema: { type: 'string' },
    'as-of': { type: 'string' },
  },
});
const url = process.env.DATABASE_URL;
if (!url || !values.schema || !values['as-of']) throw new Error('DATABASE_URL, --schema and --as-of');
const asOf = values['as-of'];

/** The run service logs each run's phase times and memory; catch them from its log lines. */
let lastLog: { phaseMs?: Record<string, number>; rssMiB?: Record<string, number> } = {};
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as typeof lastLog;
      if (entry.phaseMs) lastLog = entry;
    }
    done();
  },
});

async function main(): Promise<void> {
  const db = await createDatabase({ url: url!, schema: values.schema, poolMax: 4, statementTimeoutMs: 0 });
  const repository = new AnalyticsRepository(db.knex);
  const runs = new AnalyticsRunService(
    db.knex,
    db.bulk,
    repository,
    {
      customers: new CustomerRepository(db.knex),
      events: new EventWriter(new EventRepository(db.knex), () => new Date()),
      lifecycle: new RunLifecycleChanges(
        db.knex,
        db.bulk,
        new EventRepository(db.knex),
        new LifecycleRepository(db.knex),
      ),
    },
    () => new Date(),
    pino({ level: 'info' }, logSink),
    db.lease,
    { parallelIndexBuilds: true, lifecycleRules: DEFAULT_LIFECYCLE_RULES, pAliveDropThreshold: 0.5 },
  );
  const lines = createInterface({ input: process.stdin });
  try {
    for await (const line of lines) {
      if (line.trim() !== 'run') break;
      const start = process.hrtime.bigint();
      const run = await runs.start(
        { asOf, timeUnit: 'week', horizonMonths: 12, annualDiscountRate: 0.1, margin: 1 },
        'bench',
      );
      await runs.idle();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const finished = await repository.findRun(run.id);
      if (finished?.status !== 'done')
        throw new Error(`run ${finished?.status}: ${JSON.stringify(finished?.error)}`);
      console.log(
        JSON.stringify({
          seconds,
          phases: lastLog.phaseMs,
          rss: lastLog.rssMiB,
          models: finished.models,
          // maxRSS: the operating system's high-water mark of this process, in KiB.
          peakRssMiB: process.resourceUsage().maxRSS / 1024,
        }),
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
