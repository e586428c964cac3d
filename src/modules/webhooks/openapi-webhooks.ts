import { describeEventType, EVENT_TYPES } from '../events/event-types';
import { VALUE_EVENT_TYPES } from '../../domain/webhooks';

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
});

const HEADERS = [
  header('webhook-id', 'The event id: the same on every retry and replay of it; keep it to drop duplicates.'),
  header('webhook-timestamp', "The attempt's time, unix seconds; refuse one far from your clock."),
  header(
    'webhook-signature',
    'Space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part of the secret after `whsec_`; two during the 24 h after a rotation.',
  ),
];

function payloadSchema(type: string) {
  const value = VALUE_EVENT_TYPES.has(type);
  return {
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    properties: {
      type: { const: type },
      timestamp: { type: 'string', format: 'date-time', description: "The event's occurredAt." },
      data: {
        type: 'object',
        required: [
          'id',
          'entityType',
          'entityId',
          'customerId',
          'runId',
          'object',
          'changes',
          'actor',
          'requestId',
        ],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'The event id (also `webhook-id`).' },
          entityType: { type: 'string' },
          entityId: { type: 'string', format: 'uuid' },
          customerId: {
            type: ['string', 'null'],
            description: 'The customer the event is about; events of one customer arrive in order.',
          },
          runId: { type: ['string', 'null'], description: 'The analytics run that caused it, if one did.' },
          object: { description: describeEventType(type as never) },
          changes: {
            type: ['array', 'null'],
            items: {
              type: 'object',
              properties: { field: { type: 'string' }, from: {}, to: {} },
            },
          },
          actor: {
            type: 'object',
            properties: { keyId: { type: ['string', 'null'] }, name: { type: ['string', 'null'] } },
          },
          requestId: { type: ['string', 'null'] },
          ...(value && {
            oldValue: { description: 'The value before (null on a first assignment).' },
            newValue: { description: 'The value after.' },
            predictedClv: {
              type: ['number', 'null'],
              description:
                "The customer's predicted CLV from the run, so a receiver can weigh what is at stake.",
            },
          }),
        },
      },
    },
  };
}

/**
 * The document's `webhooks` section (OpenAPI 3.1): one entry per outbox event type, the POST a
 * subscriber receives for it (docs/webhooks.md).
 */
export function openApiWebhooks(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    out[type] = {
      post: {
        operationId: `webhook_${type.replace(/\W/g, '_')}`,
        summary: `${type} delivered`,
        description: describeEventType(type),
        tags: ['webhooks'],
        parameters: HEADERS,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: payloadSchema(type) } },
        },
        responses: {
          '200': { description: 'Any 2xx acknowledges the delivery; anything else (a 3xx too) is retried.' },
        },
      },
    };
  }
  return out;
}
