import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption } from './base';

export interface ChurnChartData {
  period: 'week' | 'month' | 'quarter';
  /** As the churn report answers them. */
  periods: ReadonlyArray<{ period: string; churned: number; wonBack: number; churnRate: number | null }>;
}

/** Churned and won-back customers per period (bars, left axis) with the churn rate (line, right). */
export function churnOption(data: ChurnChartData, text: ChartText): EChartsOption {
  const t = text.churn;
  const period = text.periods[data.period];
  return {
    ...baseOption(fillText(t.title, { period }), t.subtitle),
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: data.periods.map((p) => p.period),
      name: fillText(t.xAxis, { period }),
      nameLocation: 'middle',
      nameGap: 30,
    },
    yAxis: [
      { type: 'value', name: t.countAxis, minInterval: 1, nameLocation: 'middle', nameGap: 45 },
      {
        type: 'value',
        name: t.rateAxis,
        min: 0,
        nameLocation: 'middle',
        nameGap: 45,
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: t.churned,
        type: 'bar',
        data: data.periods.map((p) => p.churned),
        itemStyle: { color: '#c0392b' },
      },
      {
        name: t.wonBack,
        type: 'bar',
        data: data.periods.map((p) => p.wonBack),
        itemStyle: { color: '#27ae60' },
      },
      {
        name: t.rate,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        itemStyle: { color: '#34495e' },
        data: data.periods.map((p) => (p.churnRate === null ? null : Number((p.churnRate * 100).toFixed(2)))),
      },
    ],
  };
}
