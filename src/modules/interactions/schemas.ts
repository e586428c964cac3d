import { Type, type Static } from 'typebox';
import { batchBodyOf } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

export const CHANNELS = ['call', 'visit', 'email', 'message', 'meeting', 'web_chat', 'other'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;

const Channel = Type.Enum(CHANNELS, { description: 'How the contact took place.' });
const Direction = Type.Enum(DIRECTIONS, { description: 'Who reached out: the customer (inbound) or we.' });
const ExternalId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "The interaction's id in the caller's system (a call centre's call id); unique.",
});
const Employee = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Who on our side handled it (a name or a login).',
});

/** The fields a caller writes; a customer is named by id or externalId, and never moves. */
const editable = {
  contactId: Nullable(Uuid),
  channel: Channel,
  direction: Direction,
  employee: Nullable(Employee),
  occurredAt: Timestamp,
  durationSeconds: Nullable(Type.Integer({ minimum: 0, maximum: 2_592_000 })),
  subject: Nullable(Type.String({ maxLength: 500 })),
  summary: Nullable(Type.String({ maxLength: 20_000 })),
  orderId: Nullable(Uuid),
  serviceRecordId: Nullable(Uuid),
  complaintId: Nullable(Uuid),
};

const createProperties = {
  externalId: Type.Optional(ExternalId),
  customerId: Type.Optional(Uuid),
  customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  contactId: Type.Optional(editable.contactId),
  channel: editable.channel,
  direction: editable.direction,
  employee: Type.Optional(editable.employee),
  occurredAt: Type.Optional({ ...editable.occurredAt, description: 'When it took place; default now.' }),
  durationSeconds: Type.Optional(editable.durationSeconds),
  subject: Type.Optional(editable.subject),
  summary: Type.Optional(editable.summary),
  orderId: Type.Optional(editable.orderId),
  serviceRecordId: Type.Optional(editable.serviceRecordId),
  complaintId: Type.Optional(editable.complaintId),
};

const EXAMPLE = {
  customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
  channel: 'call',
  direction: 'inbound',
  employee: 'li.na',
  occurredAt: '2026-11-23T09:30:00.000Z',
  durationSeconds: 420,
  subject: 'Delivery date',
  summary: 'Asked when the second shipment arrives; promised a call back by Friday.',
};

export const InteractionCreate = Type.Object(createProperties, {
  additionalProperties: false,
  example: EXAMPLE,
});
export type InteractionCreate = Static<typeof InteractionCreate>;

export const InteractionPatch = Type.Partial(Type.Object(editable), {
  additionalProperties: false,
  minProperties: 1,
  example: { summary: 'Called back; shipment arrives Thursday.' },
});
export type InteractionPatch = Static<typeof InteractionPatch>;

export const InteractionBatchItem = Type.Object(
  { ...createProperties, externalId: ExternalId },
  { additionalProperties: false },
);
export type InteractionBatchItem = Static<typeof InteractionBatchItem>;

export const InteractionBatch = batchBodyOf(InteractionBatchItem, {
  externalId: 'CALL-2026-11-23-0042',
  customerExternalId: 'ERP-C-20931',
  channel: 'call',
  direction: 'inbound',
  occurredAt: '2026-11-23T09:30:00.000Z',
  durationSeconds: 420,
});

export const Interaction = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    contactId: Nullable(Uuid),
    channel: Channel,
    direction: Direction,
    employee: Nullable(Type.String()),
    occurredAt: Timestamp,
    durationSeconds: Nullable(Type.Integer()),
    subject: Nullable(Type.String()),
    summary: Nullable(Type.String()),
    orderId: Nullable(Uuid),
    serviceRecordId: Nullable(Uuid),
    complaintId: Nullable(Uuid),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'Interaction',
    title: 'Interaction',
    example: {
      id: '0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
      externalId: null,
      ...EXAMPLE,
      contactId: null,
      orderId: null,
      serviceRecordId: null,
      complaintId: null,
      version: 1,
      createdAt: '2026-11-23T09:40:00.000Z',
      updatedAt: '2026-11-23T09:40:00.000Z',
    },
  },
);
export type Interaction = Static<typeof Interaction>;

export const InteractionListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    customerId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    channel: Type.Optional(Channel),
    employee: Type.Optional(Employee),
    from: Type.Optional({ ...DateOnly, description: 'Occurred on or after this day (UTC).' }),
    to: Type.Optional({ ...DateOnly, description: 'Occurred on or before this day (UTC).' }),
  },
  { additionalProperties: false },
);
export type InteractionListQuery = Static<typeof InteractionListQuery>;

export const InteractionPage = pageOf(Type.Ref('Interaction'));
