import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { decodeCursor } from '../../http/pagination';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import {
  Delivery,
  DeliveryPage,
  DeliveryParams,
  DeliveryQuery,
  EventTypeCatalogue,
  ReplayBody,
  ReplayResult,
  RotatedSecret,
  Webhook,
  WebhookCreate,
  WebhookListQuery,
  WebhookPage,
  WebhookPatch,
  WebhookWithSecret,
} from './schemas';
import type { WebhookService } from './service';

export interface WebhookRoutesOptions {
  webhooks: WebhookService;
}

const tags = ['webhooks'];
const WebhookRef = Type.Ref('Webhook');

const SIGNING =
  'Deliveries are POSTed as Standard Webhooks: `webhook-id` (the event id), `webhook-timestamp` (unix seconds) and `webhook-signature` ' +
  '(`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the base64-decoded part of the secret after `whsec_`; during the 24 h ' +
  'after a rotation the old secret signs too, space-separated). The body is `{ type, timestamp, data }`; see the `webhooks` section of this document.';

const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRoutesOptions> = async (app, { webhooks }) => {
  app.addSchema(Webhook);
  app.addSchema(Delivery);

  app.post(
    '/webhooks',
    {
      config: { scope: 'webhooks:write', secretResponse: true },
      schema: {
        operationId: 'createWebhook',
        summary: 'Subscribe a URL to outbox events',
        description: `Answers the subscription with its signing secret, shown this once. It receives the events committed from now on. ${SIGNING}`,
        tags,
        body: WebhookCreate,
        response: {
          201: success(WebhookWithSecret, 'The subscription and its secret (shown once).'),
          ...errorResponses('webhook_url_not_allowed'),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await webhooks.create(request.body)),
  );

  app.get(
    '/webhooks',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'listWebhooks',
        summary: 'List webhook subscriptions',
        description: 'Newest first. Secrets are never listed.',
        tags,
        querystring: WebhookListQuery,
        response: {
          200: success(WebhookPage, 'A page of subscriptions.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => {
      const after = request.query.cursor ? decodeCursor(request.query.cursor, 'id') : undefined;
      return webhooks.list(request.query.limit ?? 50, after?.id);
    },
  );

  app.get(
    '/webhooks/event-types',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'listWebhookEventTypes',
        summary: 'The event types a subscription can name',
        description: 'Every outbox type with what its `data.object` carries; subscribe to `*` for all.',
        tags,
        response: { 200: success(EventTypeCatalogue, 'The catalogue.'), ...errorResponses() },
      },
    },
    async () => webhooks.eventTypes(),
  );

  app.get(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'getWebhook',
        summary: 'Read a webhook subscription',
        tags,
        params: IdParams,
        response: {
          200: success(WebhookRef, 'The subscription (without its secret), with its ETag.'),
          304: NotModified,
          ...errorResponses('webhook_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { view, version } = await webhooks.get(request.params.id);
      setEtag(reply, version);
      if (notModified(request, version)) return sendNotModified(reply, version);
      return view;
    },
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        operationId: 'updateWebhook',
        summary: 'Change, pause or resume a subscription',
        description:
          '`enabled: false` pauses: events keep queueing and go out, in order, once it is `true` again (which also lifts a disable after failures).',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: WebhookPatch,
        response: {
          200: success(WebhookRef, 'The subscription as changed, with its new ETag.'),
          ...errorResponses('webhook_not_found', 'webhook_url_not_allowed', 'precondition_failed'),
        },
      },
    },
    async (request, reply) => {
      const { view, version } = await webhooks.update(request.params.id, request.body, (v) =>
        expectedVersion(request, v),
      );
      setEtag(reply, version);
      return view;
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a subscription and its delivery log',
        tags,
        params: IdParams,
        response: {
          204: Type.Null({ description: 'Deleted; nothing more is sent to it.' }),
          ...errorResponses('webhook_not_found'),
        },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { scope: 'webhooks:write', secretResponse: true },
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'Replace the signing secret',
        description:
          'Answers the new secret, shown this once. For 24 hours the old secret keeps signing beside it: `webhook-signature` carries both, the new one first.',
        tags,
        params: IdParams,
        response: {
          200: success(RotatedSecret, 'The new secret.'),
          ...errorResponses('webhook_not_found'),
        },
      },
    },
    async (request) => webhooks.rotateSecret(request.params.id),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: "A subscription's delivery log",
        description:
          'Newest first: each delivery with its attempts (time, HTTP status, latency, the first 1 KB of the answer, the error).',
        tags,
        params: IdParams,
        querystring: DeliveryQuery,
        response: {
          200: success(DeliveryPage, 'A page of deliveries.'),
          ...errorResponses('webhook_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request) => {
      const after = request.query.cursor ? decodeCursor(request.query.cursor, 'ord') : undefined;
      const beforeOrd =
        after !== undefined && typeof after.value === 'string' && /^\d{1,18}$/.test(after.value)
          ? after.value
          : undefined;
      return webhooks.deliveryLog(request.params.id, request.query, beforeOrd);
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/retry',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        operationId: 'retryWebhookDelivery',
        summary: 'Send a finished delivery again',
        description:
          'A succeeded or failed delivery goes out again with the same `webhook-id` and body, with a fresh round of retries; one still pending or delivering is 409.',
        tags,
        params: DeliveryParams,
        response: {
          202: success(Type.Ref('WebhookDelivery'), 'The delivery, queued.'),
          ...errorResponses('webhook_not_found', 'webhook_delivery_not_found', 'webhook_delivery_open'),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await webhooks.retry(request.params.id, request.params.deliveryId)),
  );

  app.post(
    '/webhooks/:id/replay',
    {
      config: { scope: 'webhooks:write' },
      schema: {
        operationId: 'replayWebhook',
        summary: 'Send a window of past events again',
        description:
          "Queues one new delivery per event the outbox still holds (EVENT_RETENTION_DAYS) whose occurredAt lies in [from, to], of the subscription's types (and `eventTypes`). Each carries the event's own `webhook-id` and body.",
        tags,
        params: IdParams,
        body: ReplayBody,
        response: {
          202: success(ReplayResult, 'How many deliveries were queued.'),
          ...errorResponses('webhook_not_found', 'invalid_range'),
        },
      },
    },
    async (request, reply) => reply.code(202).send(await webhooks.replay(request.params.id, request.body)),
  );
};

export default webhookRoutes;
