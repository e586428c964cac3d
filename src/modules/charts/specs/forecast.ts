import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption, percent } from './base';

/** What the chart needs of the demand forecast (src/modules/forecast) and its history. */
export interface ForecastChartData {
  asOf: string;
  horizon: 'month' | 'quarter';
  currency: string;
  metric: 'revenue' | 'purchases';
  /** Periods before the forecast, oldest first; the last ones are the backtest's. */
  history: ReadonlyArray<{ from: string; to: string; purchases: number; revenue: number }>;
  backtest: {
    asOf: string;
    periods: ReadonlyArray<{
      from: string;
      forecastPurchases: number;
      actualPurchases: number;
      forecastRevenue: number;
      actualRevenue: number;
    }>;
    mapePurchases: number | null;
    mapeRevenue: number | null;
  };
  /** The forecast's periods: all customers, and the part of customers not yet acquired. */
  forecast: ReadonlyArray<{
    from: string;
    total: { purchases: number; revenue: number };
    newPurchases: number;
  }>;
  newCustomersPerMonth: number;
}

const figure = (n: number) => Number(n.toFixed(2));

/**
 * History and forecast on one time axis (a category per period, labelled by its first day):
 * bars of what every customer bought in each past period; over the backtest's periods, the
 * backtest's forecast (dashed) beside what the customers it counted actually did; then the
 * forecast's periods as a line joined to the last actual. Revenue or purchase days (`metric`).
 */
export function forecastOption(data: ForecastChartData, text: ChartText): EChartsOption {
  const t = text.forecast;
  const revenue = data.metric === 'revenue';
  const history = data.history;
  const offset = history.length - data.backtest.periods.length;
  const categories = [...history.map((p) => p.from), ...data.forecast.map((p) => p.from)];
  const blank = (n: number) => Array<number | null>(n).fill(null);
  const actual = [
    ...history.map((p) => figure(revenue ? p.revenue : p.purchases)),
    ...blank(data.forecast.length),
  ];
  const backtestForecast = [
    ...blank(offset),
    ...data.backtest.periods.map((p) => figure(revenue ? p.forecastRevenue : p.forecastPurchases)),
    ...blank(data.forecast.length),
  ];
  const backtestActual = [
    ...blank(offset),
    ...data.backtest.periods.map((p) => figure(revenue ? p.actualRevenue : p.actualPurchases)),
    ...blank(data.forecast.length),
  ];
  const last = history[history.length - 1];
  const forecast = [
    ...blank(Math.max(0, history.length - 1)),
    ...(last ? [figure(revenue ? last.revenue : last.purchases)] : []),
    ...data.forecast.map((p) => figure(revenue ? p.total.revenue : p.total.purchases)),
  ];
  const mape = revenue ? data.backtest.mapeRevenue : data.backtest.mapePurchases;
  const period = text.periods[data.horizon];
  const subtitle = fillText(data.newCustomersPerMonth > 0 ? t.subtitleNew : t.subtitle, {
    asOf: data.asOf,
    backtest: data.backtest.asOf,
    mape: mape === null ? '-' : percent(mape),
    rate: data.newCustomersPerMonth,
  });
  const series: NonNullable<EChartsOption['series']> = [
    { name: t.actual, type: 'bar', data: actual, itemStyle: { color: '#9fb6d3' }, barMaxWidth: 28 },
    {
      name: t.backtestActual,
      type: 'line',
      data: backtestActual,
      itemStyle: { color: '#27ae60' },
      symbol: 'circle',
    },
    {
      name: t.backtestForecast,
      type: 'line',
      data: backtestForecast,
      itemStyle: { color: '#e67e22' },
      lineStyle: { type: 'dashed' },
      symbol: 'triangle',
    },
    {
      name: t.forecast,
      type: 'line',
      data: forecast,
      itemStyle: { color: '#2f6db5' },
      lineStyle: { width: 3 },
      symbol: 'diamond',
      markArea: {
        silent: true,
        itemStyle: { color: 'rgba(47, 109, 181, 0.08)' },
        label: { show: true, position: 'insideTop', color: '#2f6db5', fontSize: 11 },
        data:
          data.forecast.length > 0
            ? [
                [
                  { name: t.forecastArea, xAxis: data.forecast[0]!.from },
                  { xAxis: categories[categories.length - 1]! },
                ],
              ]
            : [],
      },
    },
  ];
  return {
    ...baseOption(fillText(t.title, { period }), subtitle),
    tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 40, top: 90, bottom: 115 },
    xAxis: {
      type: 'category',
      data: categories,
      name: fillText(t.xAxis, { period }),
      nameLocation: 'middle',
      nameGap: 62,
      axisLabel: { rotate: categories.length > 8 ? 40 : 0, fontSize: 10, interval: 0 },
    },
    yAxis: {
      type: 'value',
      name: revenue ? fillText(t.revenueAxis, { currency: data.currency }) : t.purchasesAxis,
      nameLocation: 'middle',
      nameGap: 60,
      min: 0,
    },
    series,
  };
}
