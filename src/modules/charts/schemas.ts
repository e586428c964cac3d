import { Type } from 'typebox';
import { SALES_GROUPINGS } from '../sales-report/schemas';

const ONE = `(${SALES_GROUPINGS.join('|')})`;
const DAY = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

export const ChartPath = Type.Object({
  name: Type.String({
    pattern: '^[a-z][a-z0-9-]{0,63}$',
    description:
      'The chart: `value-matrix`, `pareto`, `cohort-retention`, `churn`, `clv-distribution`, `sales` or `forecast`; any other name is 404 `chart_not_found`.',
    example: 'value-matrix',
  }),
});

export const ChartQuery = Type.Object(
  {
    period: Type.Optional(
      Type.Enum(['week', 'month', 'quarter'], {
        default: 'month',
        description: '`churn` and `cohort-retention`: the period length, as the churn report takes it.',
      }),
    ),
    from: Type.Optional(
      Type.String({
        pattern: DAY,
        description:
          '`churn` and `cohort-retention`: the first period is the one containing this day (YYYY-MM-DD; default: the 12 periods ending with `to`). `sales`: the first day counted (default 29 days before `to`).',
        example: '2026-01-01',
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: DAY,
        description:
          '`churn` and `cohort-retention`: the last period is the one containing this day (YYYY-MM-DD; default and limit the current period). `sales`: the last day counted, included (default today).',
        example: '2026-06-30',
      }),
    ),
    cohortBasis: Type.Optional(
      Type.Enum(['status', 'purchase'], {
        default: 'status',
        description:
          '`cohort-retention`: `status`, the share not churned at the end of each period; `purchase`, the share that bought in it.',
      }),
    ),
    groupBy: Type.Optional(
      Type.String({
        pattern: `^${ONE}(,${ONE})?$`,
        default: 'region',
        description:
          '`sales`: the grouping, as the sales report takes it; two levels (`region,product`) stack the second in each bar.',
        example: 'region',
      }),
    ),
    horizon: Type.Optional(
      Type.Enum(['month', 'quarter'], {
        default: 'month',
        description: '`forecast`: the period length, as the demand forecast takes it.',
      }),
    ),
    periods: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 24,
        default: 3,
        description:
          '`forecast`: how many periods to forecast (and to backtest), as the demand forecast takes it.',
      }),
    ),
    newCustomersPerMonth: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1_000_000,
        description: '`forecast`: customers not yet acquired per month, as the demand forecast takes it.',
        example: 40,
      }),
    ),
    history: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 36,
        description:
          '`forecast`: periods of actual purchases drawn before the forecast (default 12 months or 8 quarters; never fewer than `periods`, the backtest\u2019s).',
      }),
    ),
    metric: Type.Optional(
      Type.Enum(['revenue', 'purchases'], {
        default: 'revenue',
        description: '`forecast`: revenue (reporting currency) or purchase days.',
      }),
    ),
    scale: Type.Optional(
      Type.Enum(['linear', 'log'], {
        default: 'linear',
        description:
          '`clv-distribution`: equal-width bins of predicted CLV, or bins of equal width in log10 (a CLV of 0 counts in the first).',
      }),
    ),
    bins: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 60,
        default: 20,
        description: '`clv-distribution`: the number of bins.',
      }),
    ),
  },
  { additionalProperties: false },
);
