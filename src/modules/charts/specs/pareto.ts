import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption, percent } from './base';

export interface ParetoData {
  asOf: string;
  customers: number;
  /** Revenue per customer, any order. */
  revenues: readonly number[];
}

/**
 * The Lorenz-style curve of the Pareto chart: `steps` + 1 points, point i the share of
 * revenue (0-1) brought by the first i/steps of the customers taken largest first. A
 * customer is split across a step boundary pro rata, so the curve is exact at every step.
 */
export function paretoCurve(revenues: readonly number[], steps = 100): Array<[number, number]> {
  const sorted = revenues.map((r) => Math.max(0, r)).sort((a, b) => b - a);
  const total = sorted.reduce((s, r) => s + r, 0);
  const n = sorted.length;
  const points: Array<[number, number]> = [[0, 0]];
  if (n === 0 || total === 0) {
    for (let i = 1; i <= steps; i += 1) points.push([i / steps, n === 0 ? 0 : i / steps]);
    return points;
  }
  // prefix[k]: revenue of the first k customers.
  const prefix = [0];
  for (const r of sorted) prefix.push(prefix[prefix.length - 1]! + r);
  for (let i = 1; i <= steps; i += 1) {
    const at = (i / steps) * n;
    const whole = Math.floor(at);
    const part = whole < n ? (at - whole) * sorted[whole]! : 0;
    points.push([i / steps, Math.min(1, (prefix[whole]! + part) / total)]);
  }
  return points;
}

/** Cumulative share of revenue against share of customers, the top 20% marked. */
export function paretoOption(data: ParetoData, text: ChartText): EChartsOption {
  const t = text.pareto;
  const curve = paretoCurve(data.revenues);
  const top = curve[20]![1];
  const pct = (points: Array<[number, number]>) =>
    points.map(([x, y]) => [x * 100, Number((y * 100).toFixed(2))]);
  return {
    ...baseOption(
      t.title,
      fillText(t.subtitle, { asOf: data.asOf, customers: data.customers, top: percent(top) }),
    ),
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 10,
      name: t.xAxis,
      nameLocation: 'middle',
      nameGap: 30,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 20,
      name: t.yAxis,
      nameLocation: 'middle',
      nameGap: 45,
    },
    series: [
      {
        name: t.curve,
        type: 'line',
        showSymbol: false,
        data: pct(curve),
        lineStyle: { width: 3 },
        areaStyle: { opacity: 0.08 },
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#c0392b' },
          label: { formatter: `${t.top}: ${percent(top)}`, position: 'insideEndTop' },
          data: [{ xAxis: 20 }],
        },
        markPoint: {
          symbol: 'circle',
          symbolSize: 10,
          itemStyle: { color: '#c0392b' },
          label: { show: false },
          data: [{ name: t.top, coord: [20, Number((top * 100).toFixed(2))] }],
        },
      },
      {
        name: t.equality,
        type: 'line',
        showSymbol: false,
        data: [
          [0, 0],
          [100, 100],
        ],
        lineStyle: { type: 'dotted', color: '#888888' },
        itemStyle: { color: '#888888' },
      },
    ],
  };
}
