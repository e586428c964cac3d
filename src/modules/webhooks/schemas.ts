import { Type, type Static } from 'typebox';
import { SECRET_PATTERN } from '../../domain/webhooks';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid } from '../../schemas/common';
import { EVENT_TYPES } from '../events/event-types';
import { EventTypeName } from '../events/schemas';

const SUBSCRIPTION_ID = '0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

export const SubscribableEventType = Type.Enum(['*', ...EVENT_TYPES], {
  description: 'An outbox event type (GET /v1/webhooks/event-types), or `*` for every type.',
});

const EventTypes = Type.Array(SubscribableEventType, {
  minItems: 1,
  maxItems: EVENT_TYPES.length + 1,
  uniqueItems: true,
  description: 'The event types delivered; `["*"]` for all of them.',
});

const Url = Type.String({
  format: 'uri',
  maxLength: 2000,
  description:
    'Where deliveries are POSTed: https, at a public address (plain http and private addresses only with WEBHOOK_ALLOW_PRIVATE=true).',
});

const Description = Type.String({ maxLength: 500 });

export const WebhookCreate = Type.Object(
  {
    url: Url,
    eventTypes: EventTypes,
    description: Type.Optional(Nullable(Description)),
    secret: Type.Optional(
      Type.String({
        pattern: SECRET_PATTERN,
        description: '`whsec_` and the base64 of 24 to 64 random bytes; generated when not given.',
      }),
    ),
  },
  {
    additionalProperties: false,
    example: {
      url: 'https://erp.example.com/crm-hooks',
      eventTypes: ['customer.created', 'order.created', 'customer.churn_status_changed'],
      description: 'ERP sync',
    },
  },
);
export type WebhookCreate = Static<typeof WebhookCreate>;

export const WebhookPatch = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    description: Type.Optional(Nullable(Description)),
    enabled: Type.Optional(
      Type.Boolean({
        description:
          '`false` pauses deliveries (events keep queueing); `true` resumes, also after a disable.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, example: { enabled: false } },
);
export type WebhookPatch = Static<typeof WebhookPatch>;

const subscriptionExample = {
  id: SUBSCRIPTION_ID,
  url: 'https://erp.example.com/crm-hooks',
  eventTypes: ['customer.created', 'order.created', 'customer.churn_status_changed'],
  description: 'ERP sync',
  enabled: true,
  disabledReason: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
};

const subscriptionFields = {
  id: Uuid,
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Nullable(
    Type.String({
      description: 'Why the service disabled it (every attempt failed for WEBHOOK_DISABLE_AFTER).',
    }),
  ),
  previousSecretExpiresAt: Nullable(
    Type.String({
      format: 'date-time',
      description: 'Until when the secret before the last rotation still signs beside the current one.',
    }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const Webhook = Type.Object(subscriptionFields, {
  $id: 'Webhook',
  title: 'Webhook',
  description: 'A subscription. Its secret is shown only when created or rotated.',
  example: subscriptionExample,
});

export const WebhookWithSecret = Type.Object(
  {
    ...subscriptionFields,
    secret: Type.String({ description: 'The signing secret, shown this once: keep it.' }),
  },
  {
    example: {
      ...subscriptionExample,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw0ZQcx8P5o0E=',
    },
  },
);

export const WebhookPage = Type.Object(
  { data: Type.Array(Type.Ref('Webhook')), nextCursor: Nullable(Type.String()) },
  { example: { data: [subscriptionExample], nextCursor: null } },
);

export const WebhookListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
export type WebhookListQuery = Static<typeof WebhookListQuery>;

export const RotatedSecret = Type.Object(
  {
    secret: Type.String({ description: 'The new secret, shown this once.' }),
    previousSecretExpiresAt: Timestamp,
  },
  {
    example: {
      secret: 'whsec_3b7Yx0sPq2mW8eJz1kLrV5nTf9hGc4aUiD6oE0yQb2M=',
      previousSecretExpiresAt: '2026-12-02T08:00:00.000Z',
    },
  },
);

export const EventTypeCatalogue = Type.Object(
  {
    data: Type.Array(Type.Object({ type: Type.String(), description: Type.String() })),
  },
  {
    example: {
      data: [
        {
          type: 'customer.created',
          description: 'A customer was created; data is the customer as its GET answers it.',
        },
      ],
    },
  },
);

const DeliveryStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('delivering'), Type.Literal('succeeded'), Type.Literal('failed')],
  {
    description:
      '`pending` (waiting for its first or next attempt, or for an earlier event of its customer), `delivering`, `succeeded`, `failed` (retries used up).',
  },
);

export const DeliveryParams = Type.Object({
  id: Type.String({ description: 'The subscription id.' }),
  deliveryId: Type.String({ description: 'The delivery id.' }),
});

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatus),
    eventType: Type.Optional(EventTypeName),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

const deliveryExample = {
  id: '0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  eventId: '0192f3c9-0000-7000-8000-000000000001',
  eventType: 'order.created',
  status: 'pending',
  nextAttemptAt: '2026-12-01T08:05:03.000Z',
  attempts: [
    {
      at: '2026-12-01T08:00:00.000Z',
      statusCode: 500,
      latencyMs: 41,
      responseBody: 'upstream busy',
      error: 'HTTP 500',
    },
  ],
};

export const Delivery = Type.Object(
  {
    id: Uuid,
    eventId: Uuid,
    eventType: Type.String(),
    status: DeliveryStatus,
    nextAttemptAt: Nullable(Timestamp),
    attempts: Type.Array(
      Type.Object({
        at: Timestamp,
        statusCode: Nullable(Type.Integer()),
        latencyMs: Type.Integer(),
        responseBody: Nullable(Type.String({ description: 'The first 1 KB of the answer.' })),
        error: Nullable(Type.String()),
      }),
    ),
  },
  {
    $id: 'WebhookDelivery',
    title: 'WebhookDelivery',
    example: deliveryExample,
  },
);

export const DeliveryPage = Type.Object(
  { data: Type.Array(Type.Ref('WebhookDelivery')), nextCursor: Nullable(Type.String()) },
  { example: { data: [deliveryExample], nextCursor: 'WyJvcmQiLCI0MiIsIjAxOTJmM2QxIl0' } },
);

export const ReplayBody = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'Events with occurredAt at or after this time.' }),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'And at or before this one; absent: up to now.' }),
    ),
    eventTypes: Type.Optional(
      Type.Array(EventTypeName, {
        minItems: 1,
        maxItems: EVENT_TYPES.length,
        uniqueItems: true,
        description: "Only these types (within the subscription's).",
      }),
    ),
  },
  {
    additionalProperties: false,
    example: { from: '2026-12-01T00:00:00Z', to: '2026-12-01T12:00:00Z', eventTypes: ['order.created'] },
  },
);
export type ReplayBody = Static<typeof ReplayBody>;

export const ReplayResult = Type.Object(
  { queued: Type.Integer({ description: 'Deliveries queued: one per event in the window.' }) },
  { example: { queued: 42 } },
);
