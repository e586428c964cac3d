import { Type, type Static } from 'typebox';
import { DateOnly, Nullable } from '../../schemas/common';

export const ForecastQuery = Type.Object(
  {
    horizon: Type.Optional(
      Type.Enum(['month', 'quarter'], {
        default: 'month',
        description: 'Length of a period: a month (30.4375 days) or a quarter (91.3125 days).',
      }),
    ),
    periods: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 24,
        default: 3,
        description: 'How many periods to forecast (1-24).',
      }),
    ),
    groupBy: Type.Optional(
      Type.Enum(['region', 'category', 'valueClass'], {
        description:
          '`region` (the customer\u2019s), `category` (each customer split by its historical category mix: the shares of its counted line revenue per product category up to asOf; a customer without lines is the null group), or `valueClass` (the run\u2019s).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ForecastQuery = Static<typeof ForecastQuery>;

const Period = Type.Object({
  from: DateOnly,
  to: DateOnly,
  expectedPurchases: Type.Number({
    description: 'Purchase days expected (same-day orders are one purchase).',
  }),
  expectedRevenue: Type.Number({ description: 'Expected purchases x expected spend, reporting currency.' }),
});

const Sums = {
  periods: Type.Array(Period),
  expectedPurchases: Type.Number(),
  expectedRevenue: Type.Number(),
};

const BacktestPeriod = Type.Object({
  from: DateOnly,
  to: DateOnly,
  forecastPurchases: Type.Number(),
  actualPurchases: Type.Integer({ minimum: 0 }),
  forecastRevenue: Type.Number(),
  actualRevenue: Type.Number(),
});

export const Forecast = Type.Object(
  {
    runId: Type.String(),
    asOf: DateOnly,
    horizon: Type.String(),
    currency: Type.String(),
    customers: Type.Integer({ minimum: 0, description: 'Customers in the base: those the run valued.' }),
    total: Type.Object(Sums),
    groupBy: Nullable(Type.String()),
    groups: Type.Array(Type.Object({ key: Nullable(Type.String()), ...Sums }), {
      description: 'Per group (most expected revenue first, null last); they add up to the total.',
    }),
    backtest: Type.Object({
      asOf: DateOnly,
      customers: Type.Integer({ minimum: 0, description: 'Customers acquired by the backtest\u2019s asOf.' }),
      periods: Type.Array(BacktestPeriod),
      mapePurchases: Nullable(
        Type.Number({ description: 'Mean |actual - forecast| / actual over periods with actual > 0.' }),
      ),
      mapeRevenue: Nullable(Type.Number()),
    }),
  },
  {
    $id: 'DemandForecast',
    example: {
      runId: '0192f3c9-8e9f-7a0b-9c1d-2e3f4a5b6c7d',
      asOf: '2026-11-30',
      horizon: 'month',
      currency: 'USD',
      customers: 2,
      total: {
        periods: [{ from: '2026-12-01', to: '2026-12-30', expectedPurchases: 1.25, expectedRevenue: 125.4 }],
        expectedPurchases: 1.25,
        expectedRevenue: 125.4,
      },
      groupBy: 'region',
      groups: [
        {
          key: 'east',
          periods: [
            { from: '2026-12-01', to: '2026-12-30', expectedPurchases: 1.25, expectedRevenue: 125.4 },
          ],
          expectedPurchases: 1.25,
          expectedRevenue: 125.4,
        },
      ],
      backtest: {
        asOf: '2026-10-31',
        customers: 2,
        periods: [
          {
            from: '2026-11-01',
            to: '2026-11-30',
            forecastPurchases: 1.1,
            actualPurchases: 1,
            forecastRevenue: 110,
            actualRevenue: 100,
          },
        ],
        mapePurchases: 0.1,
        mapeRevenue: 0.1,
      },
    },
  },
);
export type Forecast = Static<typeof Forecast>;
