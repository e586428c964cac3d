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
    newCustomersPerMonth: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1_000_000,
        description:
          'Customers expected to be acquired per month (30.4375 days) during the forecast, arriving uniformly; default the server\u2019s FORECAST_NEW_PER_MONTH (0: none).',
        example: 40,
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

const NewCustomerPeriod = Type.Object({
  from: DateOnly,
  to: DateOnly,
  customers: Type.Number({
    description: 'Customers expected to be acquired in the period (rate x days / 30.4375).',
  }),
  repeatPurchases: Type.Number({
    description:
      'Repeat purchases expected in the period of every customer acquired since the forecast began (E[X(t)] integrated over the arrival times).',
  }),
  expectedPurchases: Type.Number({ description: 'customers (each one first purchase) + repeatPurchases.' }),
  expectedRevenue: Type.Number({ description: 'expectedPurchases x expectedSpend, reporting currency.' }),
});

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
    total: Type.Object(Sums, {
      description: 'The whole forecast: `existing` plus `newCustomers`, period by period.',
    }),
    existing: Type.Object(Sums, {
      description: 'The expectations of the customers the run valued, summed (the groups split this).',
    }),
    newCustomers: Type.Object(
      {
        perMonth: Type.Number({ minimum: 0, description: 'The acquisition rate used (customers a month).' }),
        expectedSpend: Type.Number({
          description:
            'Spend per purchase of a new customer: the Gamma-Gamma population mean p v / (q - 1) (without a Gamma-Gamma fit the mean expected spend of the valued customers).',
        }),
        customers: Type.Number({ description: 'Customers expected to be acquired over the forecast.' }),
        periods: Type.Array(NewCustomerPeriod),
        expectedPurchases: Type.Number(),
        expectedRevenue: Type.Number(),
      },
      { description: 'Customers not yet acquired: zeros when the rate is 0.' },
    ),
    groupBy: Nullable(Type.String()),
    groups: Type.Array(Type.Object({ key: Nullable(Type.String()), ...Sums }), {
      description: 'Per group (most expected revenue first, null last); they add up to the total.',
    }),
    backtest: Type.Object({
      asOf: DateOnly,
      customers: Type.Integer({ minimum: 0, description: 'Customers acquired by the backtest\u2019s asOf.' }),
      models: Type.Object(
        {
          refit: Type.Boolean({
            description:
              'true: BG/NBD (and Gamma-Gamma) refitted on the histories up to the backtest\u2019s asOf; false: the fit failed there and the run\u2019s models stand in.',
          }),
          bgnbd: Type.Object({ r: Type.Number(), alpha: Type.Number(), a: Type.Number(), b: Type.Number() }),
          gammaGamma: Nullable(Type.Object({ p: Type.Number(), q: Type.Number(), v: Type.Number() })),
          error: Nullable(
            Type.String({ description: 'Why a fit failed (the run\u2019s model was used instead).' }),
          ),
        },
        { description: 'The models the backtest forecast with, in the run\u2019s time unit.' },
      ),
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
      existing: {
        periods: [{ from: '2026-12-01', to: '2026-12-30', expectedPurchases: 1.25, expectedRevenue: 125.4 }],
        expectedPurchases: 1.25,
        expectedRevenue: 125.4,
      },
      newCustomers: {
        perMonth: 0,
        expectedSpend: 98.5,
        customers: 0,
        periods: [
          {
            from: '2026-12-01',
            to: '2026-12-30',
            customers: 0,
            repeatPurchases: 0,
            expectedPurchases: 0,
            expectedRevenue: 0,
          },
        ],
        expectedPurchases: 0,
        expectedRevenue: 0,
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
        models: {
          refit: true,
          bgnbd: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 },
          gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
          error: null,
        },
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
