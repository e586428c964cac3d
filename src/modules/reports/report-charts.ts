import type { ChartName } from '../charts/names';
import type { ChartRenderer } from '../charts/render';
import type { ChartSvgSource } from './report-page-service';

/** The charts on the report page, in order: the range's churn first, then the latest run's value. */
const PAGE_CHARTS: ReadonlyArray<{ name: ChartName; title: string }> = [
  { name: 'churn', title: 'Churn and win-back per month' },
  { name: 'cohort-retention', title: 'Cohort retention' },
  { name: 'value-matrix', title: 'Value matrix' },
  { name: 'pareto', title: 'Pareto: cumulative share of revenue' },
  { name: 'clv-distribution', title: 'Distribution of predicted CLV' },
];

/** The charts module's renderer as the page's chart source: months over the page's range, in English. */
export function pageCharts(renderer: Pick<ChartRenderer, 'renderChartSvg'>): ChartSvgSource {
  return {
    charts: PAGE_CHARTS,
    renderSvg: (name, range) =>
      renderer.renderChartSvg(name as ChartName, { period: 'month', from: range.from, to: range.to }, 'en'),
  };
}
