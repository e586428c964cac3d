import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { BatchResult } from '../shared/batch/schemas';
import {
  Interaction,
  InteractionBatch,
  InteractionCreate,
  InteractionListQuery,
  InteractionPage,
  InteractionPatch,
} from './schemas';
import type { InteractionService } from './service';

export interface InteractionRoutesOptions {
  interactions: InteractionService;
}

const tags = ['interactions'];
const InteractionRef = Type.Ref('Interaction');
const LINK_RULES =
  'The customer is named by `customerId` or `customerExternalId` (exactly one; unknown or deleted is 422 `customer_not_found`). ' +
  'A `contactId` must be a contact person of that customer (422 `contact_not_of_customer`), an `orderId` one of its orders ' +
  '(422 `order_not_found`). `serviceRecordId` and `complaintId` link records of the same customer (422 `service_record_not_found`, `complaint_not_found` otherwise). An `occurredAt` more than ' +
  '`FUTURE_DATE_TOLERANCE_DAYS` ahead is 422 `date_in_future`.';

const interactionRoutes: FastifyPluginAsyncTypebox<InteractionRoutesOptions> = async (
  app,
  { interactions },
) => {
  app.addSchema(Interaction);

  app.post(
    '/interactions',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createInteraction',
        summary: 'Log an interaction',
        description: `A call, visit, e-mail, message, meeting or web chat with a customer. ${LINK_RULES} A taken \`externalId\` is 409.`,
        tags,
        body: InteractionCreate,
        response: {
          201: success(InteractionRef, 'The new interaction, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses(
            'external_id_taken',
            '422:customer_not_found',
            'contact_not_of_customer',
            '422:order_not_found',
            '422:service_record_not_found',
            '422:complaint_not_found',
            'date_in_future',
          ),
        },
      },
    },
    async (request, reply) => {
      const interaction = await interactions.create(request.body, actorOf(request));
      setEtag(reply, interaction.version);
      reply.header('location', `/v1/interactions/${interaction.id}`);
      return reply.code(201).send(interaction);
    },
  );

  app.get(
    '/interactions',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listInteractions',
        summary: 'List interactions, newest first',
        description:
          'Filters combine: `customerId`, `contactId`, `channel`, `employee`, and `from`/`to` (days, inclusive, UTC) on `occurredAt`.',
        tags,
        querystring: InteractionListQuery,
        response: {
          200: success(InteractionPage, 'A page of interactions, newest first.'),
          ...errorResponses('invalid_cursor', 'invalid_range'),
        },
      },
    },
    async (request) => interactions.list(request.query),
  );

  app.get(
    '/interactions/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getInteraction',
        summary: 'Read an interaction',
        tags,
        params: IdParams,
        response: {
          200: success(InteractionRef, 'The interaction, with its ETag.'),
          304: NotModified,
          ...errorResponses('interaction_not_found'),
        },
      },
    },
    async (request, reply) => {
      const interaction = await interactions.get(request.params.id);
      setEtag(reply, interaction.version);
      if (notModified(request, interaction.version)) return sendNotModified(reply, interaction.version);
      return interaction;
    },
  );

  app.patch(
    '/interactions/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateInteraction',
        summary: 'Update some fields of an interaction',
        description: `The customer stays. ${LINK_RULES}`,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: InteractionPatch,
        response: {
          200: success(InteractionRef, 'The interaction as changed, with its new ETag.'),
          ...errorResponses(
            'interaction_not_found',
            'contact_not_of_customer',
            '422:order_not_found',
            '422:service_record_not_found',
            '422:complaint_not_found',
            'date_in_future',
          ),
        },
      },
    },
    async (request, reply) => {
      const interaction = await interactions.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, interaction.version);
      return interaction;
    },
  );

  app.delete(
    '/interactions/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteInteraction',
        summary: 'Delete an interaction',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('interaction_not_found'),
        },
      },
    },
    async (request, reply) => {
      await interactions.remove(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/interactions/batch',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'batchUpsertInteractions',
        summary: 'Upsert up to 1,000 interactions by externalId',
        description: `A call centre syncs its calls: all rows in one transaction; each is \`created\`, \`updated\` or \`unchanged\`, and a row changes the fields it names and keeps the rest. ${LINK_RULES} A stored interaction keeps its customer (422 \`customer_mismatch\`). Any bad row: nothing is written and the problem names each row by \`index\`.`,
        tags,
        body: InteractionBatch,
        response: {
          200: success(BatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            'precondition_failed',
            '422:customer_not_found',
            'customer_mismatch',
            'contact_not_of_customer',
            '422:order_not_found',
            '422:service_record_not_found',
            '422:complaint_not_found',
            'date_in_future',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await interactions.batchUpsert(request.body.items, actorOf(request)) }),
  );
};

export default interactionRoutes;
