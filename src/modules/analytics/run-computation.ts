import type { Knex } from 'knex';
import type { CustomerRepository } from '../customers/repository';
import type { EventWriter } from '../events/event-writer';
import { recordRunEvents } from './run-events';
import type { BulkCopy } from '../../db/bulk-copy';
import { CopyRowCursor } from '../../db/copy-text';
import {
  epochDayToIsoDate,
  fitBgnbdModel,
  fitGammaGammaModel,
  historicalValue,
  PurchaseDayBuffer,
  paretoFigures,
  summarisePurchaseDays,
  toEpochDay,
  valuationBasis,
  PurchaseSummaryTable,
  valueCustomer,
  type ChurnStatus,
  type CustomerFacts,
  type CustomerValuation,
  type FittedModels,
  type PurchaseSummary,
} from '../../domain/value';
import { PURCHASES_SESSION, type AnalyticsRepository, type RunRow } from './repository';
import { readPurchases } from './purchase-text';
import { SegmentTally } from './segment-report';
import { SNAPSHOT_COLUMNS, SnapshotTables, type SnapshotColumn } from './snapshot-tables';
import type { PhaseTimer } from './phase-timer';
import type { RunExtension } from './run-extensions';
import type { LifecycleRules, LifecycleStage } from '../../domain/lifecycle';
import type { RunLifecycleChanges } from '../lifecycle/run-changes';
import { RunLifecycle } from './run-lifecycle';

/** Customers valued and written per COPY chunk: bounds the valuations held at once. */
const SCORING_CHUNK = 10_000;
/** Progress is recorded every this many customers read. */
const PROGRESS_EVERY = 20_000;

export interface RunDependencies {
  knex: Knex;
  bulk: BulkCopy;
  repository: AnalyticsRepository;
  snapshots: SnapshotTables;
  customers: CustomerRepository;
  events: EventWriter;
  lifecycle: RunLifecycleChanges;
  lifecycleRules: LifecycleRules;
  /** A P(alive) below this, where the run before had it at or above, is customer.p_alive_dropped. */
  pAliveDropThreshold: number;
  clock: () => Date;
  /** Throws when the server is shutting down: a run stops at its next step. */
  checkNotClosing: () => void;
  /** Other modules' steps at each run (src/modules/analytics/run-extensions.ts). */
  extensions: readonly RunExtension[];
}

/**
 * A run's facts about the customers who bought, column by column (a million objects would cost
 * several times the memory), and what publishing needs of the others.
 */
interface BaseFacts {
  ids: string[];
  summaries: PurchaseSummaryTable;
  historical: number[];
  current: number[];
  /** Every buyer's history and lifecycle start, for the replay during scoring. */
  lifecycle: RunLifecycle;
  customers: number;
}

/** The facts of the customer at `i`, as the domain values them. */
function factsAt(base: BaseFacts, i: number): CustomerFacts {
  return {
    id: base.ids[i]!,
    summary: base.summaries.at(i),
    history: { historical: base.historical[i]!, current: base.current[i]! },
    // The churn status is the lifecycle replay's (RunLifecycle), set on the valuation after.
    previousStatus: null,
    purchasedSincePrevious: false,
    manualChurn: false,
  };
}

function modelsView(models: FittedModels) {
  const fit = <P>(f: { params: P; logLikelihood: number; customers: number; converged: boolean } | null) =>
    f
      ? { ...f.params, logLikelihood: f.logLikelihood, customers: f.customers, converged: f.converged }
      : null;
  return {
    bgnbd: fit(models.bgnbd),
    bgnbdError: models.bgnbdError,
    gammaGamma: fit(models.gammaGamma),
    gammaGammaError: models.gammaGammaError,
  };
}

type FieldOf = (v: CustomerValuation, s: PurchaseSummary) => string | number | null;

/** Where each snapshot column's value comes from. */
const SNAPSHOT_FIELDS: Record<SnapshotColumn, FieldOf> = {
  customer_id: (v) => v.id,
  purchases: (_, s) => s.purchases,
  frequency: (_, s) => s.frequency,
  recency: (_, s) => s.recency,
  age: (_, s) => s.T,
  since_last_purchase: (_, s) => s.sinceLastPurchase,
  average_cycle: (_, s) => s.averageCycle,
  average_amount: (_, s) => s.averageAmount,
  total_amount: (_, s) => s.totalAmount,
  rfm_r: (v) => v.rfm.r,
  rfm_f: (v) => v.rfm.f,
  rfm_m: (v) => v.rfm.m,
  rfm_code: (v) => v.rfm.code,
  rfm_segment: (v) => v.rfm.segment,
  value_class: (v) => v.valueClass,
  clv_historical: (v) => v.clv.historical,
  clv_current: (v) => v.clv.current,
  clv_predicted: (v) => v.clv.predicted,
  expected_purchases: (v) => v.clv.expectedPurchases,
  expected_average_amount: (v) => v.clv.expectedAverageAmount,
  churn_status: (v) => v.churn.status,
  p_alive: (v) => v.churn.pAlive,
  stars: (v) => v.stars,
};
/** The same in SNAPSHOT_COLUMNS order, as the encoder takes a row. */
const SNAPSHOT_FIELD_LIST: readonly FieldOf[] = SNAPSHOT_COLUMNS.map((column) => SNAPSHOT_FIELDS[column]);

/**
 * One analytics run, phase by phase: read every customer's purchases in one pass (COPY out),
 * fit the models, value the customers in chunks while their snapshot rows stream into the
 * run's own table (COPY in), index it, and publish: attach the snapshot, record what changed
 * for the customers, mark the run done, in one transaction. Memory holds one summary per
 * buyer, never the orders.
 */
export async function computeRun(deps: RunDependencies, run: RunRow, timer: PhaseTimer): Promise<void> {
  const { repository, snapshots } = deps;
  const asOfDay = toEpochDay(run.as_of);
  const previous = await repository.latestDone();
  const latestAsOf = await repository.latestAsOf();
  const liveCustomers = await repository.countLiveCustomers();
  await repository.updateRun(run.id, { customers_total: liveCustomers });

  // A run dated before the latest finished one values its day but leaves the history alone.
  const lifecycle = new RunLifecycle(
    asOfDay,
    deps.lifecycleRules,
    latestAsOf === null || toEpochDay(latestAsOf) <= asOfDay,
    liveCustomers,
  );
  const base = await readBase(deps, run, asOfDay, lifecycle, liveCustomers);
  lifecycle.seal();
  await repository.updateRun(run.id, {
    phase: 'fitting',
    customers_done: base.customers,
    customers_total: base.customers,
  });
  timer.lap('summaries');

  deps.checkNotClosing();
  const bgnbd = fitBgnbdModel(base.summaries.eachHistory());
  timer.lap('fitBgnbd');
  const gammaGamma = fitGammaGammaModel(base.summaries.eachHistory());
  timer.lap('fitGammaGamma');
  const models: FittedModels = { ...bgnbd, ...gammaGamma };
  const basis = valuationBasis(base.summaries, models, {
    timeUnit: run.time_unit,
    horizonMonths: run.horizon_months,
    annualDiscountRate: run.annual_discount_rate,
    margin: run.margin,
  });
  const { thresholds } = basis;
  timer.lap('basis');

  await repository.updateRun(run.id, { phase: 'scoring' });
  const tally = new SegmentTally(thresholds);
  if (lifecycle.write) await deps.lifecycle.create(run.id);
  // The lifecycle changes go to the run's staging table on another connection, one COPY at a
  // time, while scoring goes on and the snapshot's COPY takes its rows.
  let appending: Promise<void> = Promise.resolve();
  let appendError: unknown = null;
  let queued = 0;
  /** Queues a chunk's changes; waits when two are queued already, so memory stays bounded. */
  const stage = async (lines: string) => {
    if (!lifecycle.write || lines === '') return;
    if (queued >= 2) await appending;
    queued++;
    appending = appending
      .then(() => deps.lifecycle.append(run.id, lines))
      .catch((error: unknown) => {
        appendError ??= error;
      })
      .finally(() => {
        queued--;
      });
  };
  const encoder = SnapshotTables.rowEncoder();
  const row: Array<string | number | null> = new Array(SNAPSHOT_FIELD_LIST.length).fill(null);
  async function* snapshotRows(): AsyncIterable<Uint8Array> {
    for (let from = 0; from < base.ids.length; from += SCORING_CHUNK) {
      deps.checkNotClosing();
      const to = Math.min(from + SCORING_CHUNK, base.ids.length);
      for (let i = from; i < to; i++) {
        const fact = factsAt(base, i);
        const valuation = valueCustomer(fact, i, basis);
        valuation.churn.status = lifecycle.replay(i, fact.id, valuation.churn.pAlive);
        tally.add(valuation, fact.summary);
        for (let k = 0; k < row.length; k++) row[k] = SNAPSHOT_FIELD_LIST[k]!(valuation, fact.summary);
        encoder.add(row);
      }
      await stage(lifecycle.take());
      yield encoder.take();
    }
    await stage(lifecycle.take());
  }
  await snapshots.write(run.id, snapshotRows());
  await appending;
  if (appendError !== null) throw appendError;
  timer.lap('scoreAndCopy');
  deps.checkNotClosing();
  await repository.updateRun(run.id, { phase: 'writing' });
  await snapshots.index(run.id);
  timer.lap('index');

  const pareto = paretoFigures(base.summaries.column('totalAmount').map((total) => total * run.margin));
  const segments = { ...tally.report(pareto), asOf: epochDayToIsoDate(asOfDay) };
  for (const extension of deps.extensions) {
    if (!extension.prepare) continue;
    deps.checkNotClosing();
    await extension.prepare(run);
    timer.lap(`prepare:${extension.name}`);
  }
  deps.checkNotClosing();
  await deps.knex.transaction(async (trx) => {
    await snapshots.attach(run.id, trx);
    timer.lap('attach');
    if (lifecycle.write) await deps.lifecycle.publish(run.id, deps.clock(), trx);
    timer.lap('publishLifecycle');
    await repository.updateRun(
      run.id,
      { status: 'done', phase: 'done', finished_at: deps.clock(), models: modelsView(models), segments },
      trx,
    );
    // Last, once the run is the current one, so that each event's customer shows its figures.
    const values = await repository.valueChanges(run.id, previous?.id ?? null, deps.pAliveDropThreshold, trx);
    await recordRunEvents(deps, run.id, values, deps.pAliveDropThreshold, trx);
    timer.lap('publishValueEvents');
    for (const extension of deps.extensions) {
      if (!extension.publish) continue;
      await extension.publish(run, trx);
      timer.lap(`publish:${extension.name}`);
    }
  });
  // A tenth of the base or more moved: the planner's picture of the lifecycle tables is stale.
  if (lifecycle.write && lifecycle.changes >= Math.max(1_000, base.customers / 10)) {
    await deps.lifecycle.analyze();
    timer.lap('analyzeLifecycle');
  }
}

/** Reads "day day ..." (newCategoryDaysQuery) into epoch days. */
function parseDays(text: string | null): number[] {
  if (!text) return [];
  return text.split(' ').map(Number);
}

/**
 * Phase 1: every live customer, every customer's purchases and first-category days, three COPY
 * outs read side by side in customer id order (the database runs them at once), each buyer's
 * purchases merged into purchase-days and summarised as of the run's date, and handed with its
 * lifecycle start to the replay (`lifecycle`); the orders are never held.
 */
async function readBase(
  deps: RunDependencies,
  run: RunRow,
  asOfDay: number,
  lifecycle: RunLifecycle,
  expectedCustomers: number,
): Promise<BaseFacts> {
  const base: BaseFacts = {
    ids: [],
    summaries: new PurchaseSummaryTable(run.time_unit, expectedCustomers),
    historical: [],
    current: [],
    lifecycle,
    customers: 0,
  };
  const historyOptions = { asOf: asOfDay, annualDiscountRate: run.annual_discount_rate, margin: run.margin };
  const buffer = new PurchaseDayBuffer();
  const people = new CopyRowCursor(deps.bulk.copyOut(deps.repository.liveCustomersQuery()));
  const orders = new CopyRowCursor(
    deps.bulk.copyOut(deps.repository.purchasesQuery(run.as_of), { before: PURCHASES_SESSION }),
  );
  const categories = new CopyRowCursor(
    deps.bulk.copyOut(deps.repository.newCategoryDaysQuery(run.as_of), { before: PURCHASES_SESSION }),
  );
  try {
    let bought = await orders.next();
    let firsts = await categories.next();
    for (let person = await people.next(); person; person = await people.next()) {
      const [id, status, statusDay, cause, stage, stageDay] = person as [
        string,
        string | null,
        string | null,
        string | null,
        string,
        string | null,
      ];
      const start = {
        churnStatus: status as ChurnStatus | null,
        churnDay: statusDay === null ? null : Number(statusDay),
        churnCause: cause,
        stage: stage as LifecycleStage,
        stageDay: stageDay === null ? null : Number(stageDay),
      };
      base.customers++;
      if (base.customers % PROGRESS_EVERY === 0) {
        await deps.repository.updateRun(run.id, { customers_done: base.customers });
        deps.checkNotClosing();
      }
      // Orders of customers not listed (deleted ones) are passed over.
      while (bought && (bought[0] as string) < id) bought = await orders.next();
      while (firsts && (firsts[0] as string) < id) firsts = await categories.next();
      let newCategoryDays: number[] = [];
      if (firsts && firsts[0] === id) {
        newCategoryDays = parseDays(firsts[1] ?? null);
        firsts = await categories.next();
      }
      if (!bought || bought[0] !== id) {
        lifecycle.addNonBuyer(id, start);
        continue;
      }
      buffer.reset();
      readPurchases(bought[1] as string, buffer);
      const purchaseDays = buffer.days();
      bought = await orders.next();
      const summary = summarisePurchaseDays(purchaseDays, asOfDay, run.time_unit);
      if (!summary) {
        lifecycle.addNonBuyer(id, start);
        continue;
      }
      const history = historicalValue(purchaseDays, historyOptions);
      base.ids.push(id);
      base.summaries.push(summary);
      base.historical.push(history.historical);
      base.current.push(history.current);
      lifecycle.addBuyer(start, purchaseDays, newCategoryDays);
    }
  } finally {
    await Promise.all([people.close(), orders.close(), categories.close()]);
  }
  return base;
}
