import type { EChartsOption } from 'echarts';
import { periodAmountCell } from '../../domain/value';
import type { Language } from '../../http/messages/catalogue';
import type { AnalyticsRunService } from '../analytics/run-service';
import type { SegmentReport } from '../analytics/segment-report';
import type { ChurnService } from '../churn/service';
import type { ChartName, ChartParams } from './names';
import type { ChartRepository } from './repository';
import type { SalesReportService } from '../sales-report/service';
import type { ForecastService } from '../forecast/service';
import { forecastOption } from './specs/forecast';
import { salesOption } from './specs/sales';
import { churnOption } from './specs/churn';
import { clvDistributionOption } from './specs/clv-distribution';
import { cohortRetentionOption } from './specs/cohort-retention';
import { paretoOption } from './specs/pareto';
import { AMOUNTS, CYCLES, valueMatrixOption, type ValueMatrixData } from './specs/value-matrix';
import { CHART_TEXT, TIME_UNITS } from './text';

export interface ChartSources {
  runs: AnalyticsRunService;
  churn: ChurnService;
  repository: ChartRepository;
  sales: SalesReportService;
  forecasts: ForecastService;
  currency: string;
}

const DEFAULT_BINS = 20;
/** The forecast chart's periods of history by default (at least the backtest's). */
const DEFAULT_HISTORY = { month: 12, quarter: 8 } as const;

/**
 * The ECharts option of a chart: its figures read from the services behind the JSON reports
 * (the latest analytics run, the churn report), then laid out by the pure builders in specs/.
 */
export async function chartOption(
  sources: ChartSources,
  name: ChartName,
  params: ChartParams,
  language: Language,
): Promise<EChartsOption> {
  const text = CHART_TEXT[language];
  switch (name) {
    case 'value-matrix': {
      const run = await sources.runs.latestDone();
      const thresholds = (run.segments as SegmentReport).matrix.thresholds;
      const cells = Object.fromEntries(
        CYCLES.map((c) => [c, Object.fromEntries(AMOUNTS.map((a) => [a, { customers: 0, revenue: 0 }]))]),
      ) as ValueMatrixData['cells'];
      let newCustomers = 0;
      // The same cell rule the run tallied its counts with; the revenue is each customer's total.
      for (const v of await sources.repository.values(run.id)) {
        const cell = periodAmountCell(v, thresholds);
        if (!cell) {
          newCustomers += 1;
          continue;
        }
        cells[cell.cycle][cell.amount].customers += 1;
        cells[cell.cycle][cell.amount].revenue += v.totalAmount;
      }
      const data = {
        asOf: run.as_of,
        timeUnit: run.time_unit,
        currency: sources.currency,
        thresholds,
        cells,
        newCustomers,
      };
      return valueMatrixOption(data, text, TIME_UNITS[language][run.time_unit]);
    }
    case 'pareto': {
      const run = await sources.runs.latestDone();
      const values = await sources.repository.values(run.id);
      return paretoOption(
        { asOf: run.as_of, customers: values.length, revenues: values.map((v) => v.totalAmount) },
        text,
      );
    }
    case 'clv-distribution': {
      const run = await sources.runs.latestDone();
      const values = await sources.repository.values(run.id);
      return clvDistributionOption(
        {
          asOf: run.as_of,
          currency: sources.currency,
          values: values.map((v) => v.clvPredicted),
          bins: params.bins ?? DEFAULT_BINS,
          scale: params.scale ?? 'linear',
        },
        text,
      );
    }
    case 'churn': {
      const report = await sources.churn.report(params, ['periods']);
      return churnOption({ period: report.period, periods: report.periods }, text);
    }
    case 'sales': {
      const { from, to, groupBy } = params;
      return salesOption(await sources.sales.report({ from, to, groupBy }), text);
    }
    case 'forecast': {
      const horizon = params.horizon ?? 'month';
      const periods = params.periods ?? 3;
      const { forecast, history } = await sources.forecasts.withHistory(
        { horizon, periods, newCustomersPerMonth: params.newCustomersPerMonth },
        Math.max(params.history ?? DEFAULT_HISTORY[horizon], periods),
      );
      return forecastOption(
        {
          asOf: forecast.asOf,
          horizon,
          currency: forecast.currency,
          metric: params.metric ?? 'revenue',
          history,
          backtest: forecast.backtest,
          forecast: forecast.total.periods.map((p, k) => ({
            from: p.from,
            total: { purchases: p.expectedPurchases, revenue: p.expectedRevenue },
            newPurchases: forecast.newCustomers.periods[k]!.expectedPurchases,
          })),
          newCustomersPerMonth: forecast.newCustomers.perMonth,
        },
        text,
      );
    }
    case 'cohort-retention': {
      const report = await sources.churn.report(params, ['cohorts']);
      return cohortRetentionOption(
        { period: report.period, basis: report.cohortBasis, cohorts: report.cohorts },
        text,
      );
    }
  }
}
