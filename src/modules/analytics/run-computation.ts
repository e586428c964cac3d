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
  clock: () => Date;
  /** Throws when the server is shutting down: a run stops at its next step. */
  checkNotClosing: () => void;
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
  /** The churn status before the run; null if never set. */
  previousStatus: Array<ChurnStatus | null>;
  purchasedSincePrevious: boolean[];
  manualChurn: boolean[];
  /** Derived stars before the run; -1: none. */
  previousStars: number[];
  /** Customers with derived stars and no counted purchase as of the run's date. */
  unrated: string[];
  customers: number;
}

/** The facts of the customer at `i`, as the domain values them. */
function factsAt(base: BaseFacts, i: number): CustomerFacts {
  return {
    id: base.ids[i]!,
    summary: base.summaries.at(i),
    history: { historical: base.historical[i]!, current: base.current[i]! },
    previousStatus: base.previousStatus[i]!,
    purchasedSincePrevious: base.purchasedSincePrevious[i]!,
    manualChurn: base.manualChurn[i]!,
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
  const previousAsOfDay = previous ? toEpochDay(previous.as_of) : null;
  const liveCustomers = await repository.countLiveCustomers();
  await repository.updateRun(run.id, { customers_total: liveCustomers });

  const base = await readBase(deps, run, asOfDay, previousAsOfDay, liveCustomers);
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
  const changed = { ids: [] as string[], statuses: [] as string[], stars: [] as number[] };
  const encoder = SnapshotTables.rowEncoder();
  const row: Array<string | number | null> = new Array(SNAPSHOT_FIELD_LIST.length).fill(null);
  async function* snapshotRows(): AsyncIterable<Uint8Array> {
    for (let from = 0; from < base.ids.length; from += SCORING_CHUNK) {
      deps.checkNotClosing();
      const to = Math.min(from + SCORING_CHUNK, base.ids.length);
      for (let i = from; i < to; i++) {
        const fact = factsAt(base, i);
        const valuation = valueCustomer(fact, i, basis);
        tally.add(valuation, fact.summary);
        const stars = base.previousStars[i]!;
        if (fact.previousStatus !== valuation.churn.status || stars !== valuation.stars) {
          changed.ids.push(fact.id);
          changed.statuses.push(valuation.churn.status);
          changed.stars.push(valuation.stars);
        }
        for (let k = 0; k < row.length; k++) row[k] = SNAPSHOT_FIELD_LIST[k]!(valuation, fact.summary);
        encoder.add(row);
      }
      yield encoder.take();
    }
  }
  await snapshots.write(run.id, snapshotRows());
  timer.lap('scoreAndCopy');
  deps.checkNotClosing();
  await repository.updateRun(run.id, { phase: 'writing' });
  await snapshots.index(run.id);
  timer.lap('index');

  const pareto = paretoFigures(base.summaries.column('totalAmount').map((total) => total * run.margin));
  const segments = { ...tally.report(pareto), asOf: epochDayToIsoDate(asOfDay) };
  deps.checkNotClosing();
  await deps.knex.transaction(async (trx) => {
    await snapshots.attach(run.id, trx);
    const published = await repository.publish(run.id, run.as_of, changed, base.unrated, trx);
    await repository.updateRun(
      run.id,
      { status: 'done', phase: 'done', finished_at: deps.clock(), models: modelsView(models), segments },
      trx,
    );
    // Last, once the run is the current one, so that each event's customer shows its figures.
    const values = await repository.valueChanges(run.id, previous?.id ?? null, trx);
    await recordRunEvents(deps, run.id, published, values, trx);
  });
  timer.lap('publish');
}

/**
 * Phase 1: every live customer and every customer's purchases, two COPY outs read side by side
 * in customer id order (the database runs both at once), each buyer's purchases merged into
 * purchase-days and summarised as of the run's date; the orders are never held.
 */
async function readBase(
  deps: RunDependencies,
  run: RunRow,
  asOfDay: number,
  previousAsOfDay: number | null,
  expectedCustomers: number,
): Promise<BaseFacts> {
  const base: BaseFacts = {
    ids: [],
    summaries: new PurchaseSummaryTable(run.time_unit, expectedCustomers),
    historical: [],
    current: [],
    previousStatus: [],
    purchasedSincePrevious: [],
    manualChurn: [],
    previousStars: [],
    unrated: [],
    customers: 0,
  };
  const historyOptions = { asOf: asOfDay, annualDiscountRate: run.annual_discount_rate, margin: run.margin };
  const buffer = new PurchaseDayBuffer();
  const people = new CopyRowCursor(deps.bulk.copyOut(deps.repository.liveCustomersQuery()));
  const orders = new CopyRowCursor(
    deps.bulk.copyOut(deps.repository.purchasesQuery(run.as_of), { before: PURCHASES_SESSION }),
  );
  try {
    let bought = await orders.next();
    for (let person = await people.next(); person; person = await people.next()) {
      const [id, status, statusDay, manual, stars] = person as [
        string,
        string,
        string | null,
        string,
        string | null,
      ];
      base.customers++;
      if (base.customers % PROGRESS_EVERY === 0) {
        await deps.repository.updateRun(run.id, { customers_done: base.customers });
        deps.checkNotClosing();
      }
      // Orders of customers not listed (deleted ones) are passed over.
      while (bought && (bought[0] as string) < id) bought = await orders.next();
      if (!bought || bought[0] !== id) {
        if (stars !== null) base.unrated.push(id);
        continue;
      }
      buffer.reset();
      readPurchases(bought[1] as string, buffer);
      const purchaseDays = buffer.days();
      bought = await orders.next();
      const summary = summarisePurchaseDays(purchaseDays, asOfDay, run.time_unit);
      if (!summary) continue;
      // Won back means bought after the status was set: by the previous run, or by hand.
      const statusSince = statusDay !== null ? Number(statusDay) : previousAsOfDay;
      const history = historicalValue(purchaseDays, historyOptions);
      base.ids.push(id);
      base.summaries.push(summary);
      base.historical.push(history.historical);
      base.current.push(history.current);
      base.previousStatus.push(statusDay !== null ? (status as ChurnStatus) : null);
      base.purchasedSincePrevious.push(statusSince !== null && summary.lastPurchaseDay > statusSince);
      base.manualChurn.push(manual === 't');
      base.previousStars.push(stars === null ? -1 : Number(stars));
    }
  } finally {
    await Promise.all([people.close(), orders.close()]);
  }
  return base;
}
