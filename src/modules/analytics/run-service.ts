import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { CustomerRepository } from '../customers/repository';
import type { EventWriter } from '../events/event-writer';
import type { RunLifecycleChanges } from '../lifecycle/run-changes';
import type { LifecycleRules } from '../../domain/lifecycle';
import { ValueDomainError, type TimeUnit } from '../../domain/value';
import type { BulkCopy } from '../../db/bulk-copy';
import type { InstanceLease } from '../../db/instance-lease';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError } from '../../http/http-errors';
import type { AnalyticsRepository, RunRow } from './repository';
import { PhaseTimer } from './phase-timer';
import { computeRun } from './run-computation';
import type { RunExtension } from './run-extensions';
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
    private readonly runEvents: {
      customers: CustomerRepository;
      events: EventWriter;
      lifecycle: RunLifecycleChanges;
    },
    private readonly clock: () => Date,
    private readonly log: FastifyBaseLogger,
    private readonly lease: InstanceLease,
    private readonly options: {
      parallelIndexBuilds: boolean;
      lifecycleRules: LifecycleRules;
      pAliveDropThreshold: number;
      /** Other modules' steps at each run; the array may be filled after construction. */
      extensions?: readonly RunExtension[];
    },
  ) {
    this.snapshots = new SnapshotTables(knex, bulk, options.parallelIndexBuilds, log);
  }

  async start(parameters: RunParameters, createdBy: string | null): Promise<RunRow> {
    const row = {
      status: 'queued' as const,
      phase: 'queued',
      as_of: parameters.asOf,
      time_unit: parameters.timeUnit,
      horizon_months: parameters.horizonMonths,
      annual_discount_rate: parameters.annualDiscountRate,
      margin: parameters.margin,
      created_by: createdBy,
      owner_instance: await this.lease.key(),
    };
    let run: RunRow | undefined;
    for (let attempt = 0; !run; attempt++) {
      try {
        run = await this.repository.insertRun({ ...row, id: newId(), created_at: this.clock() });
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        // The run in the way may belong to a process that died (kill -9, a lost machine): one
        // whose instance no longer holds its lease is failed, and this one takes its place.
        if (attempt > 0 || (await this.failRunsOfStoppedProcesses()) === 0) {
          throw new ConflictError('analytics_run_in_progress', {});
        }
      }
    }
    const started = run;
    this.current = this.execute(started).finally(() => {
      this.current = null;
    });
    return started;
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

  /**
   * At start-up: runs that stopped processes left behind are failed and their tables dropped.
   * A run another live instance is doing keeps going, and keeps its table.
   */
  async recoverInterrupted(): Promise<void> {
    await this.failRunsOfStoppedProcesses();
    await this.dropSupersededSnapshots();
  }

  /** Fails the unfinished runs whose process no longer holds its lease; answers how many. */
  private async failRunsOfStoppedProcesses(): Promise<number> {
    const stopped: string[] = [];
    for (const run of await this.repository.unfinishedRuns()) {
      if (run.owner_instance === null || !(await this.lease.isAlive(run.owner_instance)))
        stopped.push(run.id);
    }
    await this.repository.failInterrupted(stopped, this.clock());
    return stopped.length;
  }

  /** Every snapshot table but the current run's and those of runs still under way. */
  private async dropSupersededSnapshots(): Promise<void> {
    const keep = [
      (await this.repository.latestDone())?.id,
      ...(await this.repository.unfinishedRuns()).map((r) => r.id),
    ];
    await this.snapshots.dropAllBut(keep.filter((id): id is string => id !== undefined));
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
          lifecycle: this.runEvents.lifecycle,
          lifecycleRules: this.options.lifecycleRules,
          pAliveDropThreshold: this.options.pAliveDropThreshold,
          clock: this.clock,
          checkNotClosing: () => this.checkNotClosing(),
          extensions: this.options.extensions ?? [],
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
    // A published run dropped its lifecycle staging table; a failed one leaves it behind.
    await this.runEvents.lifecycle
      .discard(run.id)
      .catch((e: unknown) => this.log.warn({ err: e }, 'could not drop the lifecycle staging table'));
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
