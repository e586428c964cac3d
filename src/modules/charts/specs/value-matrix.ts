import type { EChartsOption } from 'echarts';
import type { ValueClassThresholds } from '../../../domain/value';
import { fillText, type ChartText } from '../text';
import { baseOption, money } from './base';

type Cycle = 'short' | 'medium' | 'long';
type Amount = 'small' | 'medium' | 'large';
export const CYCLES: readonly Cycle[] = ['short', 'medium', 'long'];
export const AMOUNTS: readonly Amount[] = ['small', 'medium', 'large'];

export interface ValueMatrixData {
  asOf: string;
  timeUnit: string;
  currency: string;
  thresholds: ValueClassThresholds;
  /** Customers and their revenue per cycle class (rows) and amount class (columns). */
  cells: Record<Cycle, Record<Amount, { customers: number; revenue: number }>>;
  newCustomers: number;
}

const range = (low: number | null, high: number | null): string => {
  if (low === null && high === null) return '';
  if (low === null) return `≤ ${money(high!)}`;
  if (high === null) return `> ${money(low)}`;
  return `${money(low)}-${money(high)}`;
};

/**
 * The 3x3 period/amount matrix (docs/domain.md 5.4) as a heatmap: amount class across, cycle
 * class down (short on top: the best customers top right), the colour the customers, each
 * cell labelled with its customers and revenue; the tertile thresholds in the axis labels.
 */
export function valueMatrixOption(data: ValueMatrixData, text: ChartText, unitName: string): EChartsOption {
  const t = text.valueMatrix;
  const { cycle, amount } = data.thresholds;
  const amountLabels = AMOUNTS.map((a, i) => {
    const bounds = amount
      ? [
          range(null, amount.smallMax),
          range(amount.smallMax, amount.mediumMax),
          range(amount.mediumMax, null),
        ][i]
      : '';
    return bounds ? `${t.amount[a]}\n${bounds}` : t.amount[a];
  });
  const rows = [...CYCLES].reverse();
  const cycleLabels = rows.map((c) => {
    const bounds = cycle
      ? {
          short: range(null, cycle.shortMax),
          medium: range(cycle.shortMax, cycle.mediumMax),
          long: range(cycle.mediumMax, null),
        }[c]
      : '';
    return bounds ? `${t.cycle[c]}\n${bounds}` : t.cycle[c];
  });
  const points: Array<[number, number, number, number]> = [];
  let max = 0;
  rows.forEach((c, y) =>
    AMOUNTS.forEach((a, x) => {
      const cell = data.cells[c][a];
      max = Math.max(max, cell.customers);
      points.push([x, y, cell.customers, cell.revenue]);
    }),
  );
  const subtitle = fillText(t.subtitle, { asOf: data.asOf, currency: data.currency, new: data.newCustomers });
  const base = baseOption(t.title, cycle && amount ? subtitle : `${subtitle}\n${t.empty}`);
  return {
    ...base,
    legend: { show: false },
    grid: { left: 130, right: 40, top: 90, bottom: 120 },
    xAxis: {
      type: 'category',
      data: amountLabels,
      name: fillText(t.amountAxis, { currency: data.currency }),
      nameLocation: 'middle',
      nameGap: 42,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: cycleLabels,
      name: fillText(t.cycleAxis, { unit: unitName }),
      nameLocation: 'middle',
      nameGap: 90,
      splitArea: { show: true },
    },
    visualMap: {
      // The colour is the customers (the third value); the fourth, the revenue, is the label's.
      dimension: 2,
      min: 0,
      max: Math.max(1, max),
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 8,
      text: [String(Math.max(1, max)), `0  ${t.legend}`],
      inRange: { color: ['#eef4fb', '#2f6db5'] },
    },
    series: [
      {
        name: t.legend,
        type: 'heatmap',
        data: points,
        label: {
          show: true,
          fontSize: 13,
          formatter: (p) => {
            const [, , customers, revenue] = p.value as [number, number, number, number];
            return `${customers} ${text.customers}\n${money(revenue)} ${data.currency}`;
          },
        },
      },
    ],
  };
}
