import type { EChartsOption } from 'echarts';
import { fillText, type ChartText } from '../text';
import { baseOption } from './base';

export interface CohortData {
  period: 'week' | 'month' | 'quarter';
  basis: 'status' | 'purchase';
  /** As the churn report answers them: cell k the share for the cohort's k-th period. */
  cohorts: ReadonlyArray<{ cohort: string; customers: number; retention: readonly number[] }>;
}

/** The retention matrix as a heatmap: cohorts down (oldest on top), periods since across. */
export function cohortRetentionOption(data: CohortData, text: ChartText): EChartsOption {
  const t = text.cohort;
  const period = text.periods[data.period];
  const width = Math.max(1, ...data.cohorts.map((c) => c.retention.length));
  const rows = [...data.cohorts].reverse();
  const points: Array<[number, number, number]> = [];
  rows.forEach((c, y) =>
    c.retention.forEach((share, x) => points.push([x, y, Number((share * 100).toFixed(1))])),
  );
  const dense = width > 12;
  return {
    ...baseOption(t.title, fillText(t.subtitle[data.basis], { period })),
    legend: { show: false },
    grid: { left: 130, right: 40, top: 90, bottom: 105 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: width }, (_, k) => String(k)),
      name: fillText(t.xAxis, { period }),
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: rows.map((c) => `${c.cohort} (${c.customers})`),
      name: t.yAxis,
      nameLocation: 'middle',
      nameGap: 110,
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 100,
      orient: 'horizontal',
      left: 'center',
      bottom: 8,
      text: ['100%', `0%  ${t.legend}`],
      inRange: { color: ['#fdf1e6', '#1e7b4f'] },
    },
    series: [
      {
        name: t.legend,
        type: 'heatmap',
        data: points,
        label: { show: !dense, fontSize: 10, formatter: (p) => `${(p.value as number[])[2]}%` },
      },
    ],
  };
}
