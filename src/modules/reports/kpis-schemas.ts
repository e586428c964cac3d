import { Type, type TSchema } from 'typebox';
import { DateOnly, Nullable } from '../../schemas/common';
import type { KpiName } from './kpis-service';

export const KpiQuery = Type.Object(
  {
    from: Type.Optional({
      ...DateOnly,
      example: '2026-06-01',
      description: 'First day (UTC) of the range, included; the 30 days ending with `to` without it.',
    }),
    to: Type.Optional({
      ...DateOnly,
      example: '2026-06-30',
      description:
        'Last day (UTC) of the range, included; today without it. At most five years (1830 days) from `from`.',
    }),
    period: Type.Optional(
      Type.Enum(['month'], {
        description:
          '`month`: also a `series` of the range cut at calendar months (the first and last may be partial), each with its own previous period.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What each figure means: the OpenAPI description of its property (docs/reports.md). */
export const KPI_DEFINITIONS: Record<KpiName, string> = {
  customersTotal:
    'Customers with a churn status at the end of the range (acquired by a first purchase and not un-acquired): active, at risk, won back or churned.',
  newCustomers:
    'Customers whose first counted purchase (an order not cancelled or returned) falls in the range.',
  activeCustomers:
    'Customers active at the end of the range: churn status active, at risk or won back (the churn report\u2019s `activeAtEnd`).',
  atRiskCustomers: 'Customers whose churn status at the end of the range is at risk.',
  churnedCustomers:
    'Customers active at the start of the range and churned (or without status) at its end (the churn report\u2019s `churned`, net over the range).',
  wonBackCustomers:
    'Customers churned at the start of the range and active at its end (the churn report\u2019s `wonBack`).',
  retentionRate:
    '1 - churnRate: the share of the customers active at the start who are not churned at the end. Null (`no_active_customers_at_start`) when nobody was active.',
  churnRate:
    'churnedCustomers / customers active at the start of the range (the churn report\u2019s `churnRate`). Null (`no_active_customers_at_start`) when nobody was active.',
  revenue:
    'Sum of the counted orders placed in the range, in `reportingCurrency` (each order\u2019s amount times its fxRate), to the cent.',
  orders: 'Counted orders (not cancelled or returned) placed in the range.',
  averageOrder: 'revenue / orders, to the cent. Null (`no_orders`) without orders.',
  clvTotal:
    'Sum of the predicted CLV of the live customers in the latest finished analytics run whose asOf is on or before the range\u2019s last day (`clvRunAsOf`). Null (`no_analytics_run`) when there is no such run.',
  clvAverage:
    'clvTotal / the customers valued in that run. Null (`no_analytics_run`, or `no_customer_values` for a run that valued nobody).',
  csat: 'Mean of the CSAT answers (1-5) given in the range, 4 decimals. Null (`no_csat_responses`) without answers.',
  nps: 'NPS of the answers (0-10) given in the range: % promoters (9-10) - % detractors (0-6), -100 to 100. Null (`no_nps_responses`) without answers.',
  complaintResolutionHours:
    'Median hours from filing to resolution of the complaints resolved in the range. Null (`no_complaints_resolved`) when none was.',
  followUpsOnTime:
    'Of the follow-ups planned in the range and done, the share done no later than planned plus FOLLOW_UP_GRACE_MINUTES (the follow-up report\u2019s `onTimeRate`). Null (`no_follow_ups_done`) when none is done.',
};

const FigureSchema = Type.Object(
  {
    value: Nullable(Type.Number()),
    reason: Nullable(Type.String({ description: 'Why `value` is null; null when it is a number.' })),
  },
  { description: 'A figure: a number, or null with the reason it cannot be computed.' },
);

const compared = (description: string): TSchema =>
  Type.Object(
    {
      value: Nullable(Type.Number()),
      reason: Nullable(Type.String({ description: 'Why `value` is null; null when it is a number.' })),
      previous: FigureSchema,
      change: Nullable(Type.Number({ description: 'value - previous.value; null unless both are numbers.' })),
      relativeChange: Nullable(
        Type.Number({
          description: 'change / |previous.value|; null unless both are numbers and previous is not 0.',
        }),
      ),
    },
    { description },
  );

const Figures = Type.Object(
  Object.fromEntries(Object.entries(KPI_DEFINITIONS).map(([name, text]) => [name, compared(text)])) as Record<
    KpiName,
    TSchema
  >,
  {
    description:
      'Every figure with the previous period\u2019s (`previous`, the same number of days just before `from`) and the change.',
  },
);

const rangeFields = {
  from: DateOnly,
  to: DateOnly,
  days: Type.Integer({ minimum: 1 }),
  previousFrom: {
    ...DateOnly,
    description: 'First day of the previous period (as many days, just before `from`).',
  },
  previousTo: { ...DateOnly, description: 'Last day of the previous period (the day before `from`).' },
  clvRunAsOf: Nullable({ ...DateOnly, description: 'asOf of the run the CLV figures come from.' }),
  previousClvRunAsOf: Nullable({
    ...DateOnly,
    description: 'asOf of the run of the previous period\u2019s CLV.',
  }),
  figures: Figures,
};

const EXAMPLE_FIGURE = {
  value: 12,
  reason: null,
  previous: { value: 10, reason: null },
  change: 2,
  relativeChange: 0.2,
};

export const KpiReport = Type.Object(
  {
    ...rangeFields,
    reportingCurrency: Type.String({ description: 'The currency of revenue, averageOrder and CLV.' }),
    graceMinutes: Type.Integer({ description: 'FOLLOW_UP_GRACE_MINUTES as applied to followUpsOnTime.' }),
    period: Type.Optional(Type.Literal('month')),
    series: Type.Optional(
      Type.Array(Type.Object(rangeFields), { description: 'With `period=month`: the range month by month.' }),
    ),
  },
  {
    example: {
      from: '2026-06-01',
      to: '2026-06-30',
      days: 30,
      previousFrom: '2026-05-02',
      previousTo: '2026-05-31',
      clvRunAsOf: null,
      previousClvRunAsOf: null,
      reportingCurrency: 'USD',
      graceMinutes: 60,
      figures: {
        customersTotal: EXAMPLE_FIGURE,
        newCustomers: EXAMPLE_FIGURE,
        activeCustomers: EXAMPLE_FIGURE,
        atRiskCustomers: EXAMPLE_FIGURE,
        churnedCustomers: EXAMPLE_FIGURE,
        wonBackCustomers: EXAMPLE_FIGURE,
        retentionRate: {
          ...EXAMPLE_FIGURE,
          value: 0.9,
          previous: { value: 0.8, reason: null },
          change: 0.1,
          relativeChange: 0.125,
        },
        churnRate: {
          ...EXAMPLE_FIGURE,
          value: 0.1,
          previous: { value: 0.2, reason: null },
          change: -0.1,
          relativeChange: -0.5,
        },
        revenue: {
          ...EXAMPLE_FIGURE,
          value: 1200.5,
          previous: { value: 1000, reason: null },
          change: 200.5,
          relativeChange: 0.2005,
        },
        orders: EXAMPLE_FIGURE,
        averageOrder: {
          ...EXAMPLE_FIGURE,
          value: 100.04,
          previous: { value: 100, reason: null },
          change: 0.04,
          relativeChange: 0.0004,
        },
        clvTotal: {
          value: null,
          reason: 'no_analytics_run',
          previous: { value: null, reason: 'no_analytics_run' },
          change: null,
          relativeChange: null,
        },
        clvAverage: {
          value: null,
          reason: 'no_analytics_run',
          previous: { value: null, reason: 'no_analytics_run' },
          change: null,
          relativeChange: null,
        },
        csat: {
          ...EXAMPLE_FIGURE,
          value: 4.5,
          previous: { value: 4, reason: null },
          change: 0.5,
          relativeChange: 0.125,
        },
        nps: {
          value: 40,
          reason: null,
          previous: { value: null, reason: 'no_nps_responses' },
          change: null,
          relativeChange: null,
        },
        complaintResolutionHours: {
          ...EXAMPLE_FIGURE,
          value: 26.5,
          previous: { value: 30, reason: null },
          change: -3.5,
          relativeChange: -0.116667,
        },
        followUpsOnTime: {
          ...EXAMPLE_FIGURE,
          value: 0.75,
          previous: { value: 0.5, reason: null },
          change: 0.25,
          relativeChange: 0.5,
        },
      },
    },
  },
);
