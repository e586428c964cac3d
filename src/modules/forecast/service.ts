import {
  DAYS_PER_HORIZON,
  forecast,
  mape,
  type Horizon,
  newCustomerPeriods,
  periodEnds,
  periodPurchases,
  type ForecastCustomer,
} from '../../domain/reports/demand-forecast';
import { expectedSpend, expectedSpendNewCustomer } from '../../domain/value/gamma-gamma-spend';
import { DAYS_PER_MONTH } from '../../domain/value/time-units';
import { fitBgnbdModel, fitGammaGammaModel } from '../../domain/value/customer-valuation';
import type { BgnbdParams } from '../../domain/value/bgnbd-likelihood';
import type { GammaGammaParams } from '../../domain/value/gamma-gamma-likelihood';
import { daysPerUnit, epochDayToIsoDate, toEpochDay, type TimeUnit } from '../../domain/value/time-units';
import { NotFoundError } from '../../http/http-errors';
import type { AnalyticsRunService } from '../analytics/run-service';
import type { ForecastRepository } from './repository';
import type { Forecast, ForecastQuery } from './schemas';

/** A period before the forecast: every live customer's purchase days and revenue in it. */
export interface HistoryPeriod {
  from: string;
  to: string;
  purchases: number;
  revenue: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The models the backtest forecasts with: refitted on the history up to its date, else the run's. */
interface BacktestModels {
  refit: boolean;
  bgnbd: BgnbdParams;
  gammaGamma: GammaGammaParams | null;
  error: string | null;
}

/** Backtest fits kept, by run and backtest date (a run's data before a date does not change by itself). */
const FIT_CACHE_SIZE = 32;

/** GET /v1/analytics/forecast: expected purchases and revenue of the next periods (issue 14). */
export class ForecastService {
  constructor(
    private readonly runs: AnalyticsRunService,
    private readonly repository: ForecastRepository,
    private readonly currency: string,
    /** FORECAST_NEW_PER_MONTH: customers expected to be acquired a month (0: none). */
    private readonly newCustomersPerMonth = 0,
  ) {}

  /** Fitted backtest models by `runId:cutoffDay`, oldest first (see FIT_CACHE_SIZE). */
  private readonly fits = new Map<string, BacktestModels>();

  async forecast(query: ForecastQuery): Promise<Forecast> {
    const run = await this.runs.latestDone();
    const models = (run.models ?? {}) as { bgnbd?: BgnbdParams | null; gammaGamma?: GammaGammaParams | null };
    if (!models.bgnbd) throw new NotFoundError('no_analytics_run.no_model', { id: run.id });
    const bgnbd: BgnbdParams = {
      r: models.bgnbd.r,
      alpha: models.bgnbd.alpha,
      a: models.bgnbd.a,
      b: models.bgnbd.b,
    };
    const horizon = query.horizon ?? 'month';
    const count = query.periods ?? 3;
    const ends = periodEnds(horizon, count);
    const unitDays = daysPerUnit(run.time_unit as TimeUnit);
    const asOf =
      typeof run.as_of === 'string' ? run.as_of.slice(0, 10) : new Date(run.as_of).toISOString().slice(0, 10);
    const asOfDay = toEpochDay(asOf);
    const periodDates = (startDay: number) =>
      ends.map((end, k) => ({
        from: epochDayToIsoDate(startDay + (k === 0 ? 0 : ends[k - 1]!) + 1),
        to: epochDayToIsoDate(startDay + end),
      }));

    const valued = await this.repository.valuedCustomers(run.id);
    const mix = query.groupBy === 'category' ? await this.mixOf(asOf) : null;
    const customers: ForecastCustomer[] = valued.map((v) => ({
      history: { frequency: v.frequency, recency: v.recency, T: v.age },
      spend: v.spend,
      groups:
        query.groupBy === 'region'
          ? [{ key: v.region, weight: 1 }]
          : query.groupBy === 'valueClass'
            ? [{ key: v.value_class, weight: 1 }]
            : query.groupBy === 'category'
              ? (mix!.get(v.customer_id) ?? [{ key: null, weight: 1 }])
              : [],
    }));
    const result = forecast(bgnbd, customers, ends, unitDays);
    const dates = periodDates(asOfDay);
    // Customers not yet acquired (docs/reports.md "New customers"): arrivals at the rate, each
    // buying once on arrival and then E[X(t)] repeat purchases, at the population mean spend.
    const perMonth = query.newCustomersPerMonth ?? this.newCustomersPerMonth;
    const arriving = newCustomerPeriods(bgnbd, perMonth / DAYS_PER_MONTH, ends, unitDays);
    const newSpend = models.gammaGamma
      ? expectedSpendNewCustomer(models.gammaGamma)
      : valued.length > 0
        ? valued.reduce((a, v) => a + v.spend, 0) / valued.length
        : 0;
    const newRevenue = arriving.purchases.map((p) => p * newSpend);
    const both = {
      purchases: result.total.purchases.map((p, k) => p + arriving.purchases[k]!),
      revenue: result.total.revenue.map((r, k) => r + newRevenue[k]!),
    };
    const sums = (s: { purchases: number[]; revenue: number[] }) => ({
      periods: dates.map((d, k) => ({
        ...d,
        expectedPurchases: round(s.purchases[k]!, 6),
        expectedRevenue: round(s.revenue[k]!, 2),
      })),
      expectedPurchases: round(
        s.purchases.reduce((a, b) => a + b, 0),
        6,
      ),
      expectedRevenue: round(
        s.revenue.reduce((a, b) => a + b, 0),
        2,
      ),
    });
    const groups = [...result.groups.entries()]
      .map(([key, s]) => ({ key, ...sums(s) }))
      .sort((a, b) =>
        (a.key === null) !== (b.key === null)
          ? a.key === null
            ? 1
            : -1
          : b.expectedRevenue - a.expectedRevenue,
      );

    return {
      runId: run.id,
      asOf,
      horizon,
      currency: this.currency,
      customers: result.customers,
      total: sums(both),
      existing: sums(result.total),
      newCustomers: {
        perMonth,
        expectedSpend: round(newSpend, 2),
        customers: round(
          arriving.customers.reduce((a, b) => a + b, 0),
          6,
        ),
        ...sums({ purchases: arriving.purchases, revenue: newRevenue }),
        periods: dates.map((d, k) => ({
          ...d,
          customers: round(arriving.customers[k]!, 6),
          repeatPurchases: round(arriving.repeatPurchases[k]!, 6),
          expectedPurchases: round(arriving.purchases[k]!, 6),
          expectedRevenue: round(newRevenue[k]!, 2),
        })),
      },
      groupBy: query.groupBy ?? null,
      groups,
      backtest: await this.backtest(
        run.id,
        { refit: false, bgnbd, gammaGamma: models.gammaGamma ?? null, error: null },
        asOfDay,
        ends,
        unitDays,
        periodDates,
      ),
    };
  }

  /**
   * The forecast with `count` periods of history before it (at least the backtest's), of the
   * same lengths going back from asOf: the forecast chart's figures (docs/reports.md).
   */
  async withHistory(
    query: ForecastQuery,
    count: number,
  ): Promise<{ forecast: Forecast; history: HistoryPeriod[] }> {
    const result = await this.forecast(query);
    const backtest = result.backtest.periods;
    const length = DAYS_PER_HORIZON[(query.horizon ?? 'month') as Horizon];
    const cutoffDay = toEpochDay(result.backtest.asOf);
    // Before the backtest's periods, earlier ones of the horizon's length, back from its date.
    const earlier = Math.max(0, count - backtest.length);
    const periods: Array<{ from: number; to: number }> = [];
    for (let j = earlier; j >= 1; j--)
      periods.push({
        from: cutoffDay - Math.round(j * length) + 1,
        to: cutoffDay - Math.round((j - 1) * length),
      });
    for (const p of backtest) periods.push({ from: toEpochDay(p.from), to: toEpochDay(p.to) });
    const first = periods[0]!.from;
    const sums = periods.map(() => ({ purchases: 0, revenue: 0 }));
    for (const d of await this.repository.dailyActuals(epochDayToIsoDate(first), result.asOf)) {
      const k = periods.findIndex((p) => d.day >= p.from && d.day <= p.to);
      if (k < 0) continue;
      sums[k]!.purchases += d.purchases;
      sums[k]!.revenue += d.revenue;
    }
    return {
      forecast: result,
      history: periods.map((p, k) => ({
        from: epochDayToIsoDate(p.from),
        to: epochDayToIsoDate(p.to),
        purchases: sums[k]!.purchases,
        revenue: round(sums[k]!.revenue, 2),
      })),
    };
  }

  /** Category shares of each customer's historical line revenue. */
  private async mixOf(asOf: string) {
    const rows = await this.repository.categoryMix(asOf);
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(r.customer_id, (totals.get(r.customer_id) ?? 0) + r.revenue);
    const mix = new Map<string, Array<{ key: string | null; weight: number }>>();
    for (const r of rows) {
      const total = totals.get(r.customer_id)!;
      if (total <= 0) continue;
      const list = mix.get(r.customer_id) ?? [];
      list.push({ key: r.category, weight: r.revenue / total });
      mix.set(r.customer_id, list);
    }
    return mix;
  }

  /**
   * The same forecast made as of asOf minus its span, for the customers acquired by then: their
   * histories cut there, the BG/NBD and Gamma-Gamma models refitted on those histories (as the
   * run fits its own, docs/reports.md "The backtest"), beside what they bought after.
   */
  private async backtest(
    runId: string,
    runModels: BacktestModels,
    asOfDay: number,
    ends: number[],
    unitDays: number,
    periodDates: (startDay: number) => Array<{ from: string; to: string }>,
  ): Promise<Forecast['backtest']> {
    const cutoffDay = asOfDay - ends[ends.length - 1]!;
    const cutoff = epochDayToIsoDate(cutoffDay);
    const rows = await this.repository.backtestCustomers(cutoff);
    const customers = rows.map((r) => {
      const frequency = r.days - 1;
      return {
        history: { frequency, recency: (r.last - r.first) / unitDays, T: (cutoffDay - r.first) / unitDays },
        spend: { frequency, repeatAverageAmount: frequency > 0 ? Number(r.repeat_sum) / frequency : 0 },
      };
    });
    const fitted = this.backtestModels(`${runId}:${cutoffDay}`, runModels, customers);
    const forecastPurchases = ends.map(() => 0);
    const forecastRevenue = ends.map(() => 0);
    for (const { history, spend: spendHistory } of customers) {
      const spend = fitted.gammaGamma
        ? expectedSpend(fitted.gammaGamma, spendHistory)
        : spendHistory.repeatAverageAmount;
      periodPurchases(fitted.bgnbd, history, ends, unitDays).forEach((p, k) => {
        forecastPurchases[k]! += p;
        forecastRevenue[k]! += p * spend;
      });
    }
    const actualPurchases = ends.map(() => 0);
    const actualRevenue = ends.map(() => 0);
    for (const a of await this.repository.actualsAfter(cutoff, epochDayToIsoDate(asOfDay))) {
      const k = ends.findIndex((end) => a.offset <= end);
      if (k < 0) continue;
      actualPurchases[k]!++;
      actualRevenue[k]! += a.revenue;
    }
    return {
      asOf: cutoff,
      customers: rows.length,
      models: {
        refit: fitted.refit,
        bgnbd: fitted.bgnbd,
        gammaGamma: fitted.gammaGamma,
        error: fitted.error,
      },
      periods: periodDates(cutoffDay).map((d, k) => ({
        ...d,
        forecastPurchases: round(forecastPurchases[k]!, 6),
        actualPurchases: actualPurchases[k]!,
        forecastRevenue: round(forecastRevenue[k]!, 2),
        actualRevenue: round(actualRevenue[k]!, 2),
      })),
      mapePurchases: nullableRound(mape(actualPurchases, forecastPurchases)),
      mapeRevenue: nullableRound(mape(actualRevenue, forecastRevenue)),
    };
  }

  /**
   * The models fitted on the backtest's histories, once per run and date: the fits take about
   * 0.5 s on 100,000 customers (bench/README.md "Model fits"), too long to repeat on every
   * request. When a fit fails (too few customers or repeat buyers by then) the run's models
   * stand in and `error` says why.
   */
  private backtestModels(
    key: string,
    runModels: BacktestModels,
    customers: ReadonlyArray<{
      history: { frequency: number; recency: number; T: number };
      spend: { frequency: number; repeatAverageAmount: number };
    }>,
  ): BacktestModels {
    const cached = this.fits.get(key);
    if (cached) return cached;
    const bgnbd = fitBgnbdModel(customers.map((c) => c.history));
    const gammaGamma = fitGammaGammaModel(customers.map((c) => c.spend));
    const models: BacktestModels = bgnbd.bgnbd
      ? {
          refit: true,
          bgnbd: bgnbd.bgnbd.params,
          gammaGamma: gammaGamma.gammaGamma?.params ?? runModels.gammaGamma,
          error: gammaGamma.gammaGammaError && `gammaGamma: ${gammaGamma.gammaGammaError}`,
        }
      : { ...runModels, error: `bgnbd: ${bgnbd.bgnbdError}` };
    this.fits.set(key, models);
    if (this.fits.size > FIT_CACHE_SIZE) this.fits.delete(this.fits.keys().next().value!);
    return models;
  }
}

const nullableRound = (n: number | null) => (n === null ? null : round(n, 4));
