/** The charts answered at /v1/analytics/charts/{name}.svg and .png. */
export const CHART_NAMES = [
  'value-matrix',
  'pareto',
  'cohort-retention',
  'churn',
  'clv-distribution',
  'sales',
  'forecast',
] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export const isChartName = (name: string): name is ChartName =>
  (CHART_NAMES as readonly string[]).includes(name);

/** The query a chart takes; each chart reads the fields it needs and ignores the others. */
export interface ChartParams {
  /** churn, cohort-retention: as the churn report's. */
  period?: 'week' | 'month' | 'quarter';
  from?: string;
  to?: string;
  cohortBasis?: 'status' | 'purchase';
  /** clv-distribution. */
  scale?: 'linear' | 'log';
  bins?: number;
  /** sales: as the sales report's (from and to too). */
  groupBy?: string;
  /** forecast: as the demand forecast's, and what to draw. */
  horizon?: 'month' | 'quarter';
  periods?: number;
  newCustomersPerMonth?: number;
  history?: number;
  metric?: 'revenue' | 'purchases';
}
