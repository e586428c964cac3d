import type { Language } from '../../http/messages/catalogue';
import type { ChartName } from '../charts/names';
import type { ChartRenderer } from '../charts/render';
import type { ChartSvgSource } from './report-page-service';

/** The charts on the report page, in order: the range's churn first, then the latest run's value. */
const PAGE_CHARTS: ReadonlyArray<{ name: ChartName; title: Record<Language, string> }> = [
  { name: 'churn', title: { en: 'Churn and win-back per month', 'zh-CN': '每月流失与挽回' } },
  { name: 'cohort-retention', title: { en: 'Cohort retention', 'zh-CN': '同期群保持率' } },
  { name: 'value-matrix', title: { en: 'Value matrix', 'zh-CN': '价值矩阵' } },
  { name: 'pareto', title: { en: 'Pareto: cumulative share of revenue', 'zh-CN': '帕累托：销售额累计占比' } },
  {
    name: 'clv-distribution',
    title: { en: 'Distribution of predicted CLV', 'zh-CN': '预测客户终身价值分布' },
  },
  // The next three months from the latest run, with the backtest (a note without a BG/NBD fit).
  { name: 'forecast', title: { en: 'Demand forecast, with its backtest', 'zh-CN': '需求预测及回测' } },
];

/** The charts module's renderer as the page's chart source: months over the page's range, in the page's language. */
export function pageCharts(renderer: Pick<ChartRenderer, 'renderChartSvg'>): ChartSvgSource {
  return {
    charts: PAGE_CHARTS,
    renderSvg: (name, range, language) =>
      renderer.renderChartSvg(
        name as ChartName,
        { period: 'month', from: range.from, to: range.to },
        language,
      ),
  };
}
