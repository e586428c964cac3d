import { Type } from 'typebox';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid } from '../../schemas/common';

export const RunCreate = Type.Object(
  {
    asOf: Type.Optional(DateOnly),
    timeUnit: Type.Optional(Type.Enum(['day', 'week', 'month'])),
    horizonMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
    annualDiscountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    margin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  },
  {
    additionalProperties: false,
    description:
      'All optional: asOf (default today, UTC), timeUnit (day), horizonMonths (12), annualDiscountRate (0.1), margin (1). Only orders dated on or before asOf count.',
    example: {
      asOf: '2026-11-01',
      timeUnit: 'week',
      horizonMonths: 12,
      annualDiscountRate: 0.1,
      margin: 0.3,
    },
  },
);

export const Run = Type.Object(
  {
    id: Uuid,
    status: Type.Enum(['queued', 'running', 'done', 'failed']),
    phase: Type.String({ description: 'queued, summarising, fitting, scoring, writing, done or failed.' }),
    asOf: DateOnly,
    timeUnit: Type.String(),
    horizonMonths: Type.Integer(),
    annualDiscountRate: Type.Number(),
    margin: Type.Number(),
    progress: Type.Object({ customersDone: Type.Integer(), customersTotal: Nullable(Type.Integer()) }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    createdAt: Timestamp,
    startedAt: Nullable(Timestamp),
    finishedAt: Nullable(Timestamp),
  },
  { $id: 'AnalyticsRun', title: 'AnalyticsRun' },
);

export const RunParams = Type.Object({ id: Type.String() });

export const ClvModels = Type.Object(
  {
    runId: Uuid,
    asOf: DateOnly,
    timeUnit: Type.String(),
    bgnbd: Nullable(
      Type.Object({
        r: Type.Number(),
        alpha: Type.Number(),
        a: Type.Number(),
        b: Type.Number(),
        logLikelihood: Type.Number({
          description: 'The full log-likelihood of Fader, Hardie and Lee (2005).',
        }),
        customers: Type.Integer(),
      }),
    ),
    gammaGamma: Nullable(
      Type.Object({
        p: Type.Number(),
        q: Type.Number(),
        v: Type.Number({ description: 'The scale often written gamma.' }),
        customers: Type.Integer({ description: 'Repeat buyers the fit used.' }),
      }),
    ),
    notes: Type.Array(Type.String(), { description: 'Why a model is null, if one is.' }),
  },
  {
    example: {
      runId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      asOf: '1997-09-30',
      timeUnit: 'week',
      bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4, customers: 2357 },
      gammaGamma: { p: 6.25, q: 3.74, v: 15.44, customers: 946 },
      notes: [],
    },
  },
);

const Figures = Type.Object({
  customers: Type.Integer(),
  revenue: Type.Number(),
  totalClv: Type.Number(),
  averageClv: Type.Number(),
});
const Row = Type.Object({ large: Type.Integer(), medium: Type.Integer(), small: Type.Integer() });

export const Segments = Type.Object({
  runId: Uuid,
  asOf: DateOnly,
  valueClasses: Type.Record(Type.String(), Figures),
  rfmSegments: Type.Record(Type.String(), Figures),
  matrix: Type.Object({
    thresholds: Type.Object({
      cycle: Nullable(Type.Object({ shortMax: Type.Number(), mediumMax: Type.Number() })),
      amount: Nullable(Type.Object({ smallMax: Type.Number(), mediumMax: Type.Number() })),
    }),
    counts: Type.Object({ short: Row, medium: Row, long: Row }),
    newCustomers: Type.Integer(),
  }),
  pareto: Type.Object({
    topShare: Type.Number({
      description: 'Share of contribution (revenue x margin) from the top 20% of customers.',
    }),
    topCount: Type.Integer(),
    customers: Type.Integer(),
    topContribution: Type.Number(),
    totalContribution: Type.Number(),
  }),
});

export const ValueCard = Type.Object(
  {
    customerId: Uuid,
    runId: Uuid,
    asOf: DateOnly,
    summary: Type.Object({
      timeUnit: Type.String(),
      purchases: Type.Integer(),
      frequency: Type.Integer(),
      recency: Type.Number(),
      T: Type.Number(),
      averageCycle: Nullable(Type.Number()),
      averageAmount: Type.Number(),
      totalAmount: Type.Number(),
    }),
    rfm: Type.Object({
      r: Type.Integer(),
      f: Type.Integer(),
      m: Type.Integer(),
      code: Type.String(),
      segment: Type.String(),
    }),
    valueClass: Type.Enum(['platinum', 'gold', 'silver', 'development', 'optimization', 'new']),
    clv: Type.Object({
      historical: Type.Number(),
      current: Type.Number(),
      predicted: Type.Number(),
      expectedPurchases: Type.Number(),
      expectedAverageAmount: Type.Number(),
      horizonMonths: Type.Integer(),
    }),
    churn: Type.Object({
      status: Type.Enum(['active', 'at_risk', 'churned', 'won_back']),
      pAlive: Nullable(Type.Number()),
    }),
    credit: Nullable(Type.Object({ score: Type.Number(), grade: Type.String(), outstanding: Type.String() })),
    stars: Type.Integer(),
  },
  { $id: 'ValueCard', title: 'ValueCard' },
);

export const ValuesQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
