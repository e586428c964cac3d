import { Type, type Static } from 'typebox';
import { COMPLAINT_SEVERITIES, COMPLAINT_STATUSES } from '../../domain/service/complaint-status';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const CUSTOMER = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';
const CATEGORY = '0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c';
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const ExternalId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The complaint's id in the caller's system.",
});

export const Severity = Type.Enum(COMPLAINT_SEVERITIES, {
  description: 'low, medium, high, critical.',
  example: 'high',
});
export const ComplaintStatus = Type.Enum(COMPLAINT_STATUSES, {
  description:
    'open, in_progress, resolved, closed; back to open or in_progress from resolved or closed is a reopen.',
  example: 'in_progress',
});

export const ComplaintCreate = Type.Object(
  {
    externalId: Type.Optional(ExternalId),
    customerId: Type.Optional(Uuid),
    customerExternalId: Type.Optional(ExternalId),
    categoryId: Uuid,
    severity: Severity,
    subject: Text(300),
    description: Type.Optional(Nullable(Text(10_000))),
    owner: Type.Optional(Nullable(Text(200))),
    productId: Type.Optional(Nullable(Uuid)),
    productSku: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'The product by SKU, instead of productId.' }),
    ),
    serviceRecordId: Type.Optional(Nullable(Uuid)),
    orderId: Type.Optional(Nullable(Uuid)),
    filedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the customer complained; defaults to now.' }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Give exactly one of customerId and customerExternalId. `owner` defaults to the customer's owner. The category's standard answer is rendered for this complaint and stored as `standardAnswer`.",
    example: {
      customerId: CUSTOMER,
      categoryId: CATEGORY,
      severity: 'high',
      subject: 'Order arrived a week late',
      owner: 'zhang.min',
    },
  },
);
export type ComplaintCreate = Static<typeof ComplaintCreate>;

export const ComplaintPatch = Type.Object(
  {
    status: Type.Optional(ComplaintStatus),
    severity: Type.Optional(Severity),
    subject: Type.Optional(Text(300)),
    description: Type.Optional(Nullable(Text(10_000))),
    owner: Type.Optional(Nullable(Text(200))),
    resolution: Type.Optional(Nullable(Text(10_000))),
    productId: Type.Optional(Nullable(Uuid)),
    serviceRecordId: Type.Optional(Nullable(Uuid)),
    orderId: Type.Optional(Nullable(Uuid)),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'A status move outside the flow is 409 `illegal_transition` naming the allowed targets. The category and the standard answer stay as filed.',
    example: { status: 'resolved', resolution: 'Refunded the shipping cost' },
  },
);
export type ComplaintPatch = Static<typeof ComplaintPatch>;

export const Complaint = Type.Object(
  {
    id: Uuid,
    number: Type.String({
      description: 'C-<year filed>-<6 digits>, from a sequence: unique and never reused.',
    }),
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    categoryId: Uuid,
    productId: Nullable(Uuid),
    serviceRecordId: Nullable(Uuid),
    orderId: Nullable(Uuid),
    severity: Type.String(),
    status: Type.String(),
    allowedTransitions: Type.Array(Type.String()),
    subject: Type.String(),
    description: Nullable(Type.String()),
    owner: Nullable(Type.String()),
    resolution: Nullable(Type.String()),
    standardAnswer: Type.String({
      description: "The category's answer, rendered for this complaint when it was filed.",
    }),
    reopenCount: Type.Integer(),
    filedAt: Timestamp,
    resolvedAt: Nullable(Timestamp),
    closedAt: Nullable(Timestamp),
    valueAtStake: Nullable(
      Type.Number({ description: 'Predicted CLV x (1 - P(alive)) of the customer in the latest run.' }),
    ),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'Complaint',
    title: 'Complaint',
    example: {
      id: '0192f3f2-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
      number: 'C-2026-000123',
      externalId: null,
      customerId: CUSTOMER,
      categoryId: CATEGORY,
      productId: null,
      serviceRecordId: null,
      orderId: null,
      severity: 'high',
      status: 'open',
      allowedTransitions: ['in_progress', 'resolved', 'closed'],
      subject: 'Order arrived a week late',
      description: null,
      owner: 'zhang.min',
      resolution: null,
      standardAnswer:
        'Dear 上海明德茶业有限公司, we are sorry your order was late. Your complaint C-2026-000123 is with zhang.min, who will call you within one working day.',
      reopenCount: 0,
      filedAt: '2026-11-23T08:00:00.000Z',
      resolvedAt: null,
      closedAt: null,
      valueAtStake: 1834.2,
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type Complaint = Static<typeof Complaint>;

export const COMPLAINT_SORTS = ['id', '-filedAt', '-valueAtStake'] as const;

export const ComplaintListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    customerId: Type.Optional(Uuid),
    categoryId: Type.Optional(Uuid),
    status: Type.Optional(ComplaintStatus),
    severity: Type.Optional(Severity),
    owner: Type.Optional(Text(200)),
    productId: Type.Optional(Uuid),
    from: Type.Optional({ ...DateOnly, description: 'Filed on or after this day (UTC).' }),
    to: Type.Optional({ ...DateOnly, description: 'Filed on or before this day (UTC).' }),
    sort: Type.Optional(
      Type.Enum(COMPLAINT_SORTS, {
        description:
          '`id` (filing order, the default), `-filedAt`, or `-valueAtStake` (the customers most at stake first).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ComplaintListQuery = Static<typeof ComplaintListQuery>;

export const ComplaintPage = pageOf(Type.Ref('Complaint'));
