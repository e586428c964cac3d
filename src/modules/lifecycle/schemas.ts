import { Type, type Static } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { LIFECYCLE_CAUSES } from '../customers/schemas';

export const LIFECYCLE_KINDS = ['stage', 'churn_status'] as const;

const churnedByHand = {
  id: '01a2317e-0b1c-7d2e-9f30-4a5b6c7d8e9f',
  kind: 'churn_status',
  from: 'at_risk',
  to: 'churned',
  at: '2026-10-05T09:30:00.000Z',
  cause: 'manual',
  runId: null,
  reason: 'price',
  note: 'Moved to a cheaper supplier.',
};

/** One change of a customer's stage or churn status (docs/lifecycle.md). */
export const LifecycleEvent = Type.Object(
  {
    id: Uuid,
    kind: Type.Enum(LIFECYCLE_KINDS, { description: '`stage` or `churn_status`.' }),
    from: Nullable(Type.String({ description: 'The stage or status before; null for the first status.' })),
    to: Nullable(
      Type.String({ description: 'The stage or status after; null when a status was withdrawn.' }),
    ),
    at: {
      ...Timestamp,
      description: 'When it happened (a purchase day, a rule day, the time given by hand).',
    },
    cause: Type.Enum(LIFECYCLE_CAUSES, {
      description: '`purchase`, `rule`, `model` (the analytics run) or `manual` (set through the API).',
    }),
    runId: Nullable({ ...Uuid, description: 'The analytics run that recorded it.' }),
    reason: Nullable(Type.String({ description: 'The reason given with a churn recorded by hand.' })),
    note: Nullable(Type.String()),
  },
  { $id: 'LifecycleEvent', title: 'LifecycleEvent', example: churnedByHand },
);

export const LifecycleHistoryQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    kind: Type.Optional(Type.Enum(LIFECYCLE_KINDS, { description: 'Only changes of this kind.' })),
  },
  { additionalProperties: false },
);
export type LifecycleHistoryQuery = Static<typeof LifecycleHistoryQuery>;

export const LifecycleHistoryPage = Type.Object(
  { ...pageOf(Type.Ref('LifecycleEvent')).properties },
  {
    example: {
      data: [
        churnedByHand,
        {
          id: '01a2317d-f3a0-7b11-8c22-1d2e3f405162',
          kind: 'churn_status',
          from: 'active',
          to: 'at_risk',
          at: '2026-09-14T00:00:00.000Z',
          cause: 'rule',
          runId: '01a2317e-0a00-7000-8000-00000000a001',
          reason: null,
          note: null,
        },
        {
          id: '01a2317d-e0a1-7c33-9d44-2e3f40516273',
          kind: 'stage',
          from: 'selection',
          to: 'acquisition',
          at: '2026-03-02T00:00:00.000Z',
          cause: 'purchase',
          runId: '01a2317e-0a00-7000-8000-00000000a001',
          reason: null,
          note: null,
        },
      ],
      nextCursor: null,
    },
  },
);
