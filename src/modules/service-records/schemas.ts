import { Type, type Static } from 'typebox';
import { SERVICE_STATUSES } from '../../domain/service/service-status';
import { batchBodyOf, BatchResult } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { ServicePriority, ServiceType } from '../service-levels/schemas';

const SR = '0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const CUSTOMER = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';
const PRODUCT = '0192f3c7-8a9b-7c0d-8e1f-2a3b4c5d6e7f';

export const ServiceStatus = Type.Enum(SERVICE_STATUSES, {
  description: 'open, in_progress, waiting, resolved, closed (docs/service.md).',
  example: 'in_progress',
});

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const ExternalId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The record's id in the caller's system.",
});

const writable = {
  type: ServiceType,
  priority: ServicePriority,
  subject: Text(300),
  description: Nullable(Text(10_000)),
  assignee: Nullable(Text(200)),
  resolution: Nullable(Text(10_000)),
  contactId: Nullable(Uuid),
  productId: Nullable(Uuid),
  productSku: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'The product by SKU, instead of productId.',
  }),
  openedAt: Type.String({
    format: 'date-time',
    description: 'When the customer asked; defaults to now. A call centre syncing records sends its own.',
  }),
};

const customerRef = {
  customerId: Type.Optional(Uuid),
  customerExternalId: Type.Optional(ExternalId),
};

export const ServiceRecordCreate = Type.Object(
  {
    externalId: Type.Optional(ExternalId),
    ...customerRef,
    type: writable.type,
    priority: Type.Optional(writable.priority),
    subject: writable.subject,
    description: Type.Optional(writable.description),
    assignee: Type.Optional(writable.assignee),
    contactId: Type.Optional(writable.contactId),
    productId: Type.Optional(writable.productId),
    productSku: Type.Optional(writable.productSku),
    openedAt: Type.Optional(writable.openedAt),
  },
  {
    additionalProperties: false,
    description:
      'Give exactly one of customerId and customerExternalId; at most one of productId and productSku.',
    example: {
      customerId: CUSTOMER,
      type: 'repair',
      priority: 'high',
      subject: 'Tea machine leaks',
      productId: PRODUCT,
      assignee: 'li.wei',
    },
  },
);
export type ServiceRecordCreate = Static<typeof ServiceRecordCreate>;

export const ServiceRecordPatch = Type.Object(
  {
    type: Type.Optional(writable.type),
    priority: Type.Optional(writable.priority),
    subject: Type.Optional(writable.subject),
    description: Type.Optional(writable.description),
    assignee: Type.Optional(writable.assignee),
    resolution: Type.Optional(writable.resolution),
    contactId: Type.Optional(writable.contactId),
    productId: Type.Optional(writable.productId),
    openedAt: Type.Optional(writable.openedAt),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'The status moves only by POST .../transitions.',
    example: { assignee: 'zhang.min', priority: 'urgent' },
  },
);
export type ServiceRecordPatch = Static<typeof ServiceRecordPatch>;

export const ServiceRecordBatchItem = Type.Object(
  {
    externalId: ExternalId,
    ...customerRef,
    type: Type.Optional(writable.type),
    priority: Type.Optional(writable.priority),
    subject: Type.Optional(writable.subject),
    description: Type.Optional(writable.description),
    assignee: Type.Optional(writable.assignee),
    resolution: Type.Optional(writable.resolution),
    contactId: Type.Optional(writable.contactId),
    productId: Type.Optional(writable.productId),
    productSku: Type.Optional(writable.productSku),
    openedAt: Type.Optional(writable.openedAt),
  },
  { additionalProperties: false },
);
export type ServiceRecordBatchItem = Static<typeof ServiceRecordBatchItem>;

export const ServiceRecordBatch = batchBodyOf(ServiceRecordBatchItem, {
  externalId: 'CC-2026-88123',
  customerExternalId: 'ERP-C-20931',
  type: 'maintenance',
  priority: 'normal',
  subject: 'Yearly maintenance',
  openedAt: '2026-11-20T09:15:00.000Z',
});
export const ServiceRecordBatchResult = BatchResult;

export const TransitionCreate = Type.Object(
  {
    to: ServiceStatus,
    note: Type.Optional(Nullable(Text(5000))),
    resolution: Type.Optional(Text(10_000)),
  },
  {
    additionalProperties: false,
    description: '`resolution` may be given with a move to `resolved`.',
    example: { to: 'resolved', note: 'Seal replaced on site', resolution: 'Replaced the pump seal' },
  },
);
export type TransitionCreate = Static<typeof TransitionCreate>;

export const Transition = Type.Object(
  {
    id: Uuid,
    from: Type.String(),
    to: Type.String(),
    note: Nullable(Type.String()),
    at: Timestamp,
    actor: Nullable(Type.String({ description: 'The name of the API key that made the move.' })),
  },
  {
    $id: 'ServiceRecordTransition',
    title: 'ServiceRecordTransition',
    example: {
      id: '0192f3f5-6f7a-7b8c-9d0e-1f2a3b4c5d6e',
      from: 'open',
      to: 'in_progress',
      note: 'Technician called the customer',
      at: '2026-11-23T08:40:00.000Z',
      actor: 'call centre',
    },
  },
);
export const TransitionPage = pageOf(Type.Ref('ServiceRecordTransition'));

const Sla = Type.Object(
  {
    firstResponseMinutes: Type.Integer({ description: "The target after the value class's factor." }),
    resolveMinutes: Type.Integer(),
    factor: Type.Number({
      description: 'The factor of the customer value class (SLA_VALUE_CLASS_FACTORS), 1 without one.',
    }),
    valueClass: Nullable(
      Type.String({ description: "The customer's value class in the latest analytics run." }),
    ),
    firstResponseDueAt: Timestamp,
    resolveDueAt: Timestamp,
    firstResponseBreached: Type.Boolean({
      description: 'No first response by its due time (measured against now while pending).',
    }),
    resolveBreached: Type.Boolean({
      description: 'Not resolved by its due time (measured against now while pending).',
    }),
    breached: Type.Boolean(),
  },
  { description: 'The targets of the type and priority (`/v1/service-levels`); null when none is set.' },
);

export const ServiceRecord = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    contactId: Nullable(Uuid),
    productId: Nullable(Uuid),
    type: Type.String(),
    priority: Type.String(),
    status: Type.String(),
    allowedTransitions: Type.Array(Type.String(), {
      description: 'Where POST .../transitions may move it now.',
    }),
    subject: Type.String(),
    description: Nullable(Type.String()),
    assignee: Nullable(Type.String()),
    resolution: Nullable(Type.String()),
    openedAt: Timestamp,
    firstResponseAt: Nullable(Timestamp),
    resolvedAt: Nullable(Timestamp),
    closedAt: Nullable(Timestamp),
    reopenCount: Type.Integer(),
    timeToFirstResponseMinutes: Nullable(Type.Integer()),
    timeToResolveMinutes: Nullable(Type.Integer()),
    sla: Nullable(Sla),
    valueAtStake: Nullable(
      Type.Number({
        description: 'Predicted CLV x (1 - P(alive)) of the customer in the latest analytics run.',
      }),
    ),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'ServiceRecord',
    title: 'ServiceRecord',
    example: {
      id: SR,
      externalId: 'CC-2026-88123',
      customerId: CUSTOMER,
      contactId: null,
      productId: PRODUCT,
      type: 'repair',
      priority: 'high',
      status: 'in_progress',
      allowedTransitions: ['waiting', 'resolved'],
      subject: 'Tea machine leaks',
      description: null,
      assignee: 'li.wei',
      resolution: null,
      openedAt: '2026-11-23T08:00:00.000Z',
      firstResponseAt: '2026-11-23T08:40:00.000Z',
      resolvedAt: null,
      closedAt: null,
      reopenCount: 0,
      timeToFirstResponseMinutes: 40,
      timeToResolveMinutes: null,
      sla: {
        firstResponseMinutes: 60,
        resolveMinutes: 480,
        factor: 1,
        valueClass: 'gold',
        firstResponseDueAt: '2026-11-23T09:00:00.000Z',
        resolveDueAt: '2026-11-23T16:00:00.000Z',
        firstResponseBreached: false,
        resolveBreached: false,
        breached: false,
      },
      valueAtStake: 1834.2,
      version: 2,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:40:00.000Z',
    },
  },
);
export type ServiceRecord = Static<typeof ServiceRecord>;

export const SERVICE_RECORD_SORTS = ['id', '-openedAt', '-valueAtStake'] as const;

export const ServiceRecordListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    customerId: Type.Optional(Uuid),
    status: Type.Optional(ServiceStatus),
    type: Type.Optional(ServiceType),
    priority: Type.Optional(ServicePriority),
    assignee: Type.Optional(Text(200)),
    productId: Type.Optional(Uuid),
    breached: Type.Optional(
      Type.Boolean({
        description: 'true: only records past a target (first response or resolution); false: the others.',
      }),
    ),
    from: Type.Optional({ ...DateOnly, description: 'Opened on or after this day (UTC).' }),
    to: Type.Optional({ ...DateOnly, description: 'Opened on or before this day (UTC).' }),
    sort: Type.Optional(
      Type.Enum(SERVICE_RECORD_SORTS, {
        description:
          '`id` (creation order, the default), `-openedAt`, or `-valueAtStake` (the customers most at stake first).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ServiceRecordListQuery = Static<typeof ServiceRecordListQuery>;

export const ServiceRecordPage = pageOf(Type.Ref('ServiceRecord'));
export const TransitionListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
