import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { CustomerRepository } from '../customers/repository';
import type { EventWriter } from '../events/event-writer';
import { ValueDomainError, type TimeUnit } from '../../domain/value';
import type { BulkCopy } from '../../db/bulk-copy';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError } from '../../http/http-errors';
import type { AnalyticsRepository, RunRow } from './repository';
import { PhaseTimer } from './phase-timer';
import { computeRun } from './run-computation';
import { SnapshotTables } from './snapshot-tables';

export interface RunParameters {
  asOf: string;
  timeUnit: TimeUnit;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
}

/**
 * Analytics runs: recompute every customer's value as of a date, fit the models, store one
 * snapshot row per customer, and publish the run in one transaction at the end, so a failed
 * run leaves the previous snapshot in place. One run at a time (a unique index says so).
 */
export class AnalyticsRunService {
  private current: Promise<void> | null = null;
  private closing = false;
  private readonly snapshots: SnapshotTables;

  constructor(
    private readonly knex: Knex,
    private readonly bulk: BulkCopy,
    private readonly repository: AnalyticsRepository,
    private readonly runEvents: { customers: CustomerRepository; events: EventWriter },
    private readonly clock: () => Date,
    private readonly log: FastifyBaseLogger,
    options: { parallelIndexBuilds: boolean },
  ) {
    this.snapshots = new SnapshotTables(knex, bulk, options.parallelIndexBuilds, log);
  }

  async start(parameters: RunParameters, createdBy: string | null): Promise<RunRow> {
    let run: RunRow;
    try {
      run = await this.repository.insertRun({
        id: newId(),
        status: 'queued',
        phase: 'queued',
        as_of: parameters.asOf,
        time_unit: parameters.timeUnit,
        horizon_months: parameters.horizonMonths,
        annual_discount_rate: parameters.annualDiscountRate,
        margin: parameters.margin,
        created_by: createdBy,
        created_at: this.clock(),
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError('analytics_run_in_progress', {});
      }
      throw error;
    }
    this.current = this.execute(run).finally(() => {
      this.current = null;
    });
    return run;
  }

  async get(id: string): Promise<RunRow> {
    const run = isUuid(id) ? await this.repository.findRun(id) : undefined;
    if (!run) throw new NotFoundError('analytics_run_not_found', { id });
    return run;
  }

  async latestDone(): Promise<RunRow> {
    const run = await this.repository.latestDone();
    if (!run) throw new NotFoundError('no_analytics_run', {});
    return run;
  }

  /** Resolves when no run is in progress in this process. */
  async idle(): Promise<void> {
    await this.current;
  }

  /** Stops a run in progress at its next step (it is marked failed) and waits for it. */
  async close(): Promise<void> {
    this.closing = true;
    await this.current;
  }

  /** At start-up: runs a stopped process left behind are failed, their tables dropped. */
  async recoverInterrupted(): Promise<void> {
    await this.repository.failUnfinished(this.clock());
    await this.dropSupersededSnapshots();
  }

  /** Every snapshot table but the current run's: superseded ones and those failed runs left. */
  private async dropSupersededSnapshots(): Promise<void> {
    await this.snapshots.dropAllBut((await this.repository.latestDone())?.id ?? null);
  }

  private async execute(run: RunRow): Promise<void> {
    const timer = new PhaseTimer();
    try {
      await this.repository.updateRun(run.id, {
        status: 'running',
        phase: 'summarising',
        started_at: this.clock(),
      });
      await computeRun(
        {
          knex: this.knex,
          bulk: this.bulk,
          repository: this.repository,
          snapshots: this.snapshots,
          customers: this.runEvents.customers,
          events: this.runEvents.events,
          clock: this.clock,
          checkNotClosing: () => this.checkNotClosing(),
        },
        run,
        timer,
      );
    } catch (error) {
      const known = error instanceof ValueDomainError;
      if (!known) this.log.error({ err: error, runId: run.id }, 'analytics run failed');
      await this.repository
        .updateRun(run.id, {
          status: 'failed',
          phase: 'failed',
          finished_at: this.clock(),
          error: known
            ? { code: error.code, message: error.message }
            : {
                code: this.closing ? 'interrupted' : 'internal_error',
                message: this.closing
                  ? 'The server shut down during the run.'
                  : 'The run failed; see the server log.',
              },
        })
        .catch((e: unknown) => this.log.error({ err: e }, 'could not record the failed run'));
    }
    // Superseded snapshots, or the failed run's own table; the current run's stays.
    await this.dropSupersededSnapshots().catch((e: unknown) =>
      this.log.warn({ err: e }, 'could not drop old snapshot tables'),
    );
    timer.lap('cleanup');
    this.log.info({ runId: run.id, phaseMs: timer.laps, rssMiB: timer.rssMiB }, 'analytics run finished');
  }

  private checkNotClosing(): void {
    if (this.closing) throw new Error('shutting down');
  }
}
