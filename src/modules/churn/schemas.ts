import { Type } from 'typebox';
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
    description: 'The customer said they are leaving. `at` defaults to now; it may not lie in the future.',
    example: { reason: 'service', note: 'Waited two weeks for a repair.' },
  },
);

export const ChurnRecorded = Type.Object({
  customerId: Uuid,
  churnStatus: Type.Literal('churned'),
  reason: Type.String(),
  at: Timestamp,
});

export const ChurnReportQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
        description: 'First month, YYYY-MM (default: 11 months before `to`).',
      }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
        description: 'Last month, YYYY-MM (default: the current month).',
      }),
    ),
    atRiskLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

const Period = Type.Object({
  period: Type.String({ example: '2026-01' }),
  activeAtStart: Type.Integer({ description: 'Customers active, at risk or won back when the month began.' }),
  churned: Type.Integer({ description: 'Customers who became churned during the month.' }),
  churnRate: Nullable(Type.Number({ description: 'churned / activeAtStart; null when nobody was active.' })),
  wonBack: Type.Integer({ description: 'Customers who became won back during the month.' }),
});

export const ChurnReport = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    periods: Type.Array(Period),
    winBackRate: Nullable(Type.Number({ description: 'Won back / churned over the whole range.' })),
    byReason: Type.Array(
      Type.Object({ reason: Type.String(), customers: Type.Integer(), share: Type.Number() }),
    ),
    cohorts: Type.Array(
      Type.Object({
        cohort: Type.String({ description: 'Month of first purchase.' }),
        customers: Type.Integer(),
        retention: Type.Array(Type.Number(), {
          description: 'Share of the cohort buying in month k after the first (k = 0, 1, ...).',
        }),
      }),
    ),
    atRisk: Type.Array(
      Type.Object({
        customerId: Uuid,
        name: Type.String(),
        churnStatus: Type.String(),
        clv: Nullable(Type.Number({ description: 'Predicted CLV: the value at stake.' })),
        pAlive: Nullable(Type.Number()),
      }),
    ),
  },
  { $id: 'ChurnReport', title: 'ChurnReport' },
);
