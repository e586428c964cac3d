import { Type } from 'typebox';
import { PERIOD_UNITS } from '../../domain/lifecycle/periods';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

/** docs/domain.md 5.7: why customers leave. */
export const CHURN_REASONS = ['service', 'price', 'product', 'competitor', 'relocation', 'other'] as const;

export const ChurnRecord = Type.Object(
  {
    reason: Type.Enum(CHURN_REASONS),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    at: Type.Optional(Timestamp),
  },
  {
    additionalProperties: false,
    description:
      'The customer said they are leaving. `at` (when it happened) defaults to now; it may not lie in the future, nor before the customer\u2019s current churn status began.',
    example: { reason: 'service', note: 'Waited two weeks for a repair.', at: '2026-06-15T09:00:00Z' },
  },
);

export const ChurnRecorded = Type.Object(
  {
    customerId: Uuid,
    churnStatus: Type.Literal('churned'),
    reason: Type.Enum(CHURN_REASONS),
    at: Timestamp,
    since: Timestamp,
    cause: Type.Literal('manual'),
  },
  {
    description:
      'The lifecycle event recorded: `at` when the churn happened, `since` when the current status began (the same instant), `cause` always `manual`.',
    example: {
      customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      churnStatus: 'churned',
      reason: 'service',
      at: '2026-06-15T09:00:00.000Z',
      since: '2026-06-15T09:00:00.000Z',
      cause: 'manual',
    },
  },
);

const BOUND = '^\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$';

export const REPORT_TABLES = ['periods', 'reasons', 'cohorts', 'atRisk'] as const;

export const ChurnReportQuery = Type.Object(
  {
    period: Type.Optional(
      Type.Enum(PERIOD_UNITS, {
        default: 'month',
        description:
          'The length of a period: ISO week (Monday to Sunday), calendar month or quarter, in UTC.',
      }),
    ),
    from: Type.Optional(
      Type.String({
        pattern: BOUND,
        description:
          'The first period is the one containing this day (YYYY-MM-DD; YYYY-MM means its first day). Default: the 12 periods ending with `to`.',
        example: '2026-01-01',
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: BOUND,
        description:
          'The last period is the one containing this day (YYYY-MM-DD; YYYY-MM means its last day). Default, and the limit for a later day: the current period.',
        example: '2026-06-30',
      }),
    ),
    cohortBasis: Type.Optional(
      Type.Enum(['status', 'purchase'], {
        default: 'status',
        description:
          'What a cohort cell measures: `status`, the share of the cohort not churned at the end of that period; `purchase`, the share that bought in it.',
      }),
    ),
    atRiskLimit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 500,
        default: 50,
        description: 'At most this many at-risk customers.',
      }),
    ),
    table: Type.Optional(
      Type.Enum(REPORT_TABLES, {
        default: 'periods',
        description: 'With `Accept: text/csv`: the table to answer as CSV (ignored for JSON).',
      }),
    ),
  },
  { additionalProperties: false },
);

const Day = (description: string) => Type.String({ format: 'date', description });
const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

const PeriodFigures = Type.Object({
  period: Type.String({ description: 'The period: `2026-W03` (ISO week), `2026-01` or `2026-Q1`.' }),
  start: Day('Its first day; the figures "at start" are as of 00:00 UTC that day.'),
  end: Day('Its last day; the figures "at end" are as of the end of that day (UTC).'),
  activeAtStart: Type.Integer({
    description: 'Customers whose churn status at the start was active, at risk or won back.',
  }),
  new: Type.Integer({
    description:
      'Customers with no churn status at the start (never bought) and active at the end: acquired.',
  }),
  churned: Type.Integer({
    description:
      'Customers active at the start and churned at the end (or without any status, their purchases gone). Net: churned and won back inside the period counts in neither.',
  }),
  wonBack: Type.Integer({ description: 'Customers churned at the start and active at the end.' }),
  activeAtEnd: Type.Integer({
    description: 'Customers active at the end; always activeAtStart + new + wonBack - churned.',
  }),
  churnedAtStart: Type.Integer({ description: 'Customers whose churn status at the start was churned.' }),
  churnRate: Nullable(
    Share('churned / activeAtStart (at most 1); null when nobody was active at the start.'),
  ),
  winBackRate: Nullable(Share('wonBack / churnedAtStart; null when nobody was churned at the start.')),
});

const ReasonFigures = Type.Object({
  reason: Type.String({
    description:
      'The reason recorded with a manual churn (`price`, `service`, ...); `unstated` for churn a rule or the model found.',
  }),
  customers: Type.Integer({
    description: 'Customers who became churned in the range, each counted once, by its latest churn there.',
  }),
  share: Share('customers / all customers who became churned in the range.'),
});

const Cohort = Type.Object({
  cohort: Type.String({
    description: 'The period of the first counted purchase (not cancelled or returned).',
  }),
  start: Day('The cohort period\u2019s first day.'),
  customers: Type.Integer({ description: 'Customers whose first counted purchase fell in that period.' }),
  retention: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), {
    description:
      'Cell k is about the k-th period after the cohort\u2019s own (k = 0 its own), up to the range\u2019s last: with `cohortBasis=status` the share of the cohort not churned at its end, with `purchase` the share that bought in it.',
  }),
});

const AtRiskCustomer = Type.Object({
  customerId: Uuid,
  name: Type.String(),
  owner: Nullable(Type.String({ description: 'The customer\u2019s owner (account manager).' })),
  clvPredicted: Nullable(Type.Number({ description: 'The run\u2019s predicted CLV (reporting currency).' })),
  pAlive: Nullable(Share('The run\u2019s probability that the customer is still active (BG/NBD).')),
  valueAtStake: Nullable(
    Type.Number({
      description:
        'clvPredicted x (1 - pAlive): what losing the customer would cost; null when either is unknown.',
    }),
  ),
  lastPurchaseAt: Nullable(Timestamp),
  lastContactAt: Nullable(
    Type.String({
      format: 'date-time',
      description: 'The last contact with the customer; null until contact history is kept.',
    }),
  ),
});

export const ChurnReport = Type.Object(
  {
    period: Type.Enum(PERIOD_UNITS),
    from: Type.String({ description: 'The first period.' }),
    to: Type.String({
      description: 'The last period (a later one asked for is clipped to the current one).',
    }),
    start: Day('The first period\u2019s first day.'),
    end: Day('The last period\u2019s last day.'),
    periods: Type.Array(PeriodFigures, {
      description:
        'One entry per period, each customer classed by its churn status at the period\u2019s start and end as recorded in its lifecycle history.',
    }),
    byReason: Type.Array(ReasonFigures, {
      description: 'Churn in the range by reason, most frequent first.',
    }),
    cohortBasis: Type.Enum(['status', 'purchase']),
    cohorts: Type.Array(Cohort, { description: 'The retention matrix: one row per cohort of the range.' }),
    atRiskAsOf: Nullable(Day('The asOf of the latest finished analytics run; null when there is none.')),
    atRisk: Type.Array(AtRiskCustomer, {
      description: 'Customers at risk at the end of atRiskAsOf, the value at stake first (unknown last).',
    }),
  },
  {
    $id: 'ChurnReport',
    title: 'ChurnReport',
    // The example is recorded with the others (src/plugins/openapi-contract/recorded-examples.ts).
  },
);
