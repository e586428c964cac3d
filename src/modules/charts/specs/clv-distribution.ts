import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption, money } from './base';

export type ClvScale = 'linear' | 'log';

export interface Bin {
  low: number;
  high: number;
  customers: number;
}

/**
 * Equal-width bins over [min, max] (linear), or equal width in log10 over the positive values
 * (log: a CLV of 0 or below has no logarithm, so it is counted in the first bin, from 0).
 * Every value lands in exactly one bin, the maximum in the last.
 */
export function histogram(values: readonly number[], bins: number, scale: ClvScale): Bin[] {
  if (values.length === 0) return [];
  if (scale === 'log') {
    const positive = values.filter((v) => v > 0);
    if (positive.length === 0) return [{ low: 0, high: 0, customers: values.length }];
    const lo = Math.log10(Math.min(...positive));
    const hi = Math.log10(Math.max(...positive));
    const width = hi > lo ? (hi - lo) / bins : 1;
    const count = hi > lo ? bins : 1;
    const out: Bin[] = Array.from({ length: count }, (_, i) => ({
      low: i === 0 && positive.length < values.length ? 0 : 10 ** (lo + i * width),
      high: 10 ** (lo + (i + 1) * width),
      customers: 0,
    }));
    for (const v of values) {
      const i = v > 0 ? Math.min(count - 1, Math.floor((Math.log10(v) - lo) / width)) : 0;
      out[i]!.customers += 1;
    }
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const count = max > min ? bins : 1;
  const width = max > min ? (max - min) / bins : 1;
  const out: Bin[] = Array.from({ length: count }, (_, i) => ({
    low: min + i * width,
    high: max > min ? min + (i + 1) * width : max,
    customers: 0,
  }));
  for (const v of values) out[Math.min(count - 1, Math.floor((v - min) / width))]!.customers += 1;
  return out;
}

export interface ClvData {
  asOf: string;
  currency: string;
  values: readonly number[];
  bins: number;
  scale: ClvScale;
}

/** A histogram of the latest run's predicted CLV, linear or log bins. */
export function clvDistributionOption(data: ClvData, text: ChartText): EChartsOption {
  const t = text.clv;
  const bins = histogram(data.values, data.bins, data.scale);
  return {
    ...baseOption(
      t.title,
      fillText(t.subtitle, { asOf: data.asOf, customers: data.values.length, bins: bins.length }),
    ),
    tooltip: { trigger: 'axis' },
    grid: { left: 80, right: 40, top: 90, bottom: 110 },
    xAxis: {
      type: 'category',
      data: bins.map((b) => `${money(b.low)}-${money(b.high)}`),
      name: fillText(data.scale === 'log' ? t.xAxisLog : t.xAxis, { currency: data.currency }),
      nameLocation: 'middle',
      nameGap: 55,
      axisLabel: { rotate: 30, fontSize: 10 },
    },
    yAxis: { type: 'value', name: t.yAxis, minInterval: 1, nameLocation: 'middle', nameGap: 45 },
    series: [
      {
        name: t.legend,
        type: 'bar',
        barCategoryGap: '5%',
        data: bins.map((b) => b.customers),
        itemStyle: { color: '#2f6db5' },
      },
    ],
  };
}
