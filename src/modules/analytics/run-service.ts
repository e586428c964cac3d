import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import {
  epochDayToIsoDate,
  fitModels,
  historicalValue,
  summarisePurchaseDays,
  toEpochDay,
  utcEpochDayOf,
  valueClassThresholds,
  valueCustomers,
  ValueDomainError,
  type ChurnStatus,
  type CustomerFacts,
  type FittedModels,
  type PurchaseDay,
  type TimeUnit,
} from '../../domain/value';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError } from '../../plugins/http-errors';
import type { AnalyticsRepository, RunRow, ValueRow } from './repository';
import { segmentReport } from './segment-report';

export interface RunParameters {
  asOf: string;
  timeUnit: TimeUnit;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
}

/** Customers read per page: bounds the orders held in memory at once. */
const PAGE_SIZE = 5000;

function modelsView(models: FittedModels) {
  return {
    bgnbd: models.bgnbd
      ? {
          ...models.bgnbd.params,
          logLikelihood: models.bgnbd.logLikelihood,
          customers: models.bgnbd.customers,
          converged: models.bgnbd.converged,
        }
      : null,
    bgnbdError: models.bgnbdError,
    gammaGamma: models.gammaGamma
      ? {
          ...models.gammaGamma.params,
          logLikelihood: models.gammaGamma.logLikelihood,
          customers: models.gammaGamma.customers,
          converged: models.gammaGamma.converged,
        }
      : null,
    gammaGammaError: models.gammaGammaError,
  };
}

/**
 * Analytics runs: recompute every customer's value as of a date, fit the models, store one
 * snapshot row per customer, and publish the run in one transaction at the end, so a failed
 * run leaves the previous snapshot in place. One run at a time (a unique index says so).
 */
export class AnalyticsRunService {
  private current: Promise<void> | null = null;
  private closing = false;

  constructor(
    private readonly knex: Knex,
    private readonly repository: AnalyticsRepository,
    private readonly clock: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

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
        throw new ConflictError(
          'analytics_run_in_progress',
          'Another analytics run is queued or running; wait for it to finish.',
        );
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
    if (!run) throw new NotFoundError('analytics_run_not_found', `No analytics run has id ${id}.`);
    return run;
  }

  async latestDone(): Promise<RunRow> {
    const run = await this.repository.latestDone();
    if (!run)
      throw new NotFoundError(
        'no_analytics_run',
        'No analytics run has finished yet: POST /v1/analytics/runs first.',
      );
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

  async recoverInterrupted(): Promise<void> {
    await this.repository.failUnfinished(this.clock());
  }

  private async execute(run: RunRow): Promise<void> {
    try {
      await this.repository.updateRun(run.id, {
        status: 'running',
        phase: 'summarising',
        started_at: this.clock(),
      });
      await this.compute(run);
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
  }

  private checkNotClosing(): void {
    if (this.closing) throw new Error('shutting down');
  }

  private async compute(run: RunRow): Promise<void> {
    const asOf = run.as_of;
    const asOfDay = toEpochDay(asOf);
    const timeUnit = run.time_unit;
    const previous = await this.repository.latestDone();
    const previousAsOfDay = previous ? toEpochDay(previous.as_of) : null;
    const total = await this.repository.countLiveCustomers();
    await this.repository.updateRun(run.id, { customers_total: total });

    // Phase 1: summaries, a page of customers (and their orders) at a time.
    const facts: CustomerFacts[] = [];
    let after: string | null = null;
    let done = 0;
    for (;;) {
      this.checkNotClosing();
      const page = await this.repository.customerPage(after, PAGE_SIZE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const rows = await this.repository.purchaseDays(page[0]!.id, after, asOf);
      const byCustomer = new Map<string, PurchaseDay[]>();
      for (const row of rows) {
        let days = byCustomer.get(row.customer_id);
        if (!days) byCustomer.set(row.customer_id, (days = []));
        days.push({ day: row.day, amount: row.amount });
      }
      for (const customer of page) {
        const days = byCustomer.get(customer.id);
        const summary = days ? summarisePurchaseDays(days, asOfDay, timeUnit) : null;
        if (!days || !summary) continue;
        // Won back means bought after the status was set: by the previous run, or by hand.
        const statusSince = customer.churn_status_at
          ? utcEpochDayOf(customer.churn_status_at)
          : previousAsOfDay;
        facts.push({
          id: customer.id,
          summary,
          history: historicalValue(days, {
            asOf: asOfDay,
            annualDiscountRate: run.annual_discount_rate,
            margin: run.margin,
          }),
          previousStatus: customer.churn_status_at ? (customer.churn_status as ChurnStatus) : null,
          purchasedSincePrevious: statusSince !== null && summary.lastPurchaseDay > statusSince,
          manualChurn: customer.churn_reason !== null,
        });
      }
      done += page.length;
      await this.repository.updateRun(run.id, { customers_done: done });
    }

    // Phase 2: the models, on every customer with a purchase.
    await this.repository.updateRun(run.id, { phase: 'fitting' });
    this.checkNotClosing();
    const summaries = facts.map((f) => f.summary);
    const models = fitModels(summaries);
    const thresholds = valueClassThresholds(summaries);

    // Phase 3: every customer's value, written beside the current snapshot.
    await this.repository.updateRun(run.id, { phase: 'scoring' });
    const valuations = valueCustomers(facts, models, {
      timeUnit,
      horizonMonths: run.horizon_months,
      annualDiscountRate: run.annual_discount_rate,
      margin: run.margin,
      thresholds,
    });
    const segments = segmentReport(valuations, summaries, thresholds, run.margin);
    this.checkNotClosing();
    await this.repository.updateRun(run.id, { phase: 'writing' });
    const rows: ValueRow[] = valuations.map((v, i) => {
      const s = facts[i]!.summary;
      return {
        customer_id: v.id,
        purchases: s.purchases,
        frequency: s.frequency,
        recency: s.recency,
        age: s.T,
        since_last_purchase: s.sinceLastPurchase,
        average_cycle: s.averageCycle,
        average_amount: s.averageAmount,
        total_amount: s.totalAmount,
        rfm_r: v.rfm.r,
        rfm_f: v.rfm.f,
        rfm_m: v.rfm.m,
        rfm_code: v.rfm.code,
        rfm_segment: v.rfm.segment,
        value_class: v.valueClass,
        clv_historical: v.clv.historical,
        clv_current: v.clv.current,
        clv_predicted: v.clv.predicted,
        expected_purchases: v.clv.expectedPurchases,
        expected_average_amount: v.clv.expectedAverageAmount,
        churn_status: v.churn.status,
        p_alive: v.churn.pAlive,
        stars: v.stars,
      };
    });
    await this.knex.transaction(async (trx) => {
      await this.repository.insertValues(run.id, rows, trx);
      await this.repository.publish(run.id, run.as_of, trx);
      await this.repository.updateRun(
        run.id,
        {
          status: 'done',
          phase: 'done',
          finished_at: this.clock(),
          models: modelsView(models),
          segments: { ...segments, asOf: epochDayToIsoDate(asOfDay) },
        },
        trx,
      );
    });
    await this.repository.deleteValuesExcept(run.id);
  }
}
