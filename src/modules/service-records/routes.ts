import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { derivedTag } from './representation';
import {
  ServiceRecord,
  ServiceRecordBatch,
  ServiceRecordBatchResult,
  ServiceRecordCreate,
  ServiceRecordListQuery,
  ServiceRecordPage,
  ServiceRecordPatch,
  Transition,
  TransitionCreate,
  TransitionListQuery,
  TransitionPage,
} from './schemas';
import type { ServiceRecordService } from './service';

export interface ServiceRecordRoutesOptions {
  records: ServiceRecordService;
}

const tags = ['service-records'];
const Ref = Type.Ref('ServiceRecord');
const REFERENCE_ERRORS = [
  '422:customer_not_found',
  '422:product_not_found',
  'contact_not_of_customer',
  'date_in_future',
] as const;

const serviceRecordRoutes: FastifyPluginAsyncTypebox<ServiceRecordRoutesOptions> = async (
  app,
  { records },
) => {
  app.addSchema(ServiceRecord);
  app.addSchema(Transition);

  app.post(
    '/service-records',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createServiceRecord',
        summary: 'Open a service record',
        description:
          'Starts `open`. `openedAt` defaults to now; a call centre syncing its records sends its own (at most FUTURE_DATE_TOLERANCE_DAYS ahead). An unknown customer is 422 `customer_not_found`.',
        tags,
        body: ServiceRecordCreate,
        response: {
          201: success(Ref, 'The new record, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('external_id_taken', ...REFERENCE_ERRORS, 'invalid_rows'),
        },
      },
    },
    async (request, reply) => {
      const record = await records.create(request.body, actorOf(request));
      setEtag(reply, record.version, derivedTag(record));
      reply.header('location', `/v1/service-records/${record.id}`);
      return reply.code(201).send(record);
    },
  );

  app.get(
    '/service-records',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listServiceRecords',
        summary: 'List service records',
        description:
          '`breached=true` lists the records past a target: no first response within `firstResponseMinutes`, or not resolved within `resolveMinutes`, measured against now while pending. `sort=-valueAtStake` serves first the customers the firm would lose most by losing.',
        tags,
        querystring: ServiceRecordListQuery,
        response: {
          200: success(ServiceRecordPage, 'A page of records matching the filters.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => records.list(request.query),
  );

  app.get(
    '/service-records/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getServiceRecord',
        summary: 'Read a service record',
        description: 'With its SLA measured now, and the allowed transitions.',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The record, with its ETag.'),
          304: NotModified,
          ...errorResponses('service_record_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { record, derived } = await records.get(request.params.id);
      setEtag(reply, record.version, derived);
      if (notModified(request, record.version, derived))
        return sendNotModified(reply, record.version, derived);
      return record;
    },
  );

  app.patch(
    '/service-records/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateServiceRecord',
        summary: 'Update some fields of a service record',
        description: 'The status moves only by POST /v1/service-records/{id}/transitions.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ServiceRecordPatch,
        response: {
          200: success(Ref, 'The record as changed, with its new ETag.'),
          ...errorResponses('service_record_not_found', ...REFERENCE_ERRORS, 'invalid_rows'),
        },
      },
    },
    async (request, reply) => {
      const record = await records.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, record.version, derivedTag(record));
      return record;
    },
  );

  app.delete(
    '/service-records/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteServiceRecord',
        summary: 'Delete a service record',
        description: 'Its transition history goes with it; complaints that named it keep no link.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('service_record_not_found'),
        },
      },
    },
    async (request, reply) => {
      await records.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/service-records/:id/transitions',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'transitionServiceRecord',
        summary: 'Move a service record to another status',
        description:
          'Allowed moves: open -> in_progress | waiting | resolved; in_progress -> waiting | resolved; waiting -> in_progress | resolved; resolved -> closed | open (reopen); closed -> open (reopen). Any other is 409 `illegal_transition`, whose `allowed` lists the targets. The first move out of `open` is the first response; the move to `resolved` sets `resolvedAt`; a reopen clears `resolvedAt` and `closedAt` and counts in `reopenCount`. Emits `service_record.transitioned`.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: TransitionCreate,
        response: {
          200: success(Ref, 'The record after the move, with its new ETag.'),
          ...errorResponses('service_record_not_found', 'illegal_transition'),
        },
      },
    },
    async (request, reply) => {
      const record = await records.transition(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, record.version, derivedTag(record));
      return record;
    },
  );

  app.get(
    '/service-records/:id/transitions',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listServiceRecordTransitions',
        summary: "A service record's status history",
        description: 'Every move, oldest first, with its note and who made it.',
        tags,
        params: IdParams,
        querystring: TransitionListQuery,
        response: {
          200: success(TransitionPage, 'A page of the moves, oldest first.'),
          ...errorResponses('service_record_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request) => records.transitions(request.params.id, request.query),
  );

  app.post(
    '/service-records/batch',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'batchUpsertServiceRecords',
        summary: 'Upsert up to 1,000 service records by externalId',
        description:
          'For a call centre syncing its records: each row creates a record (it needs the customer, `type` and `subject`) or changes the fields it names. The status moves only by transitions. All rows in one transaction; any bad row: nothing is written and the problem names each row by `index`.',
        tags,
        body: ServiceRecordBatch,
        response: {
          200: success(ServiceRecordBatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            'precondition_failed',
            'name_required',
            ...REFERENCE_ERRORS,
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await records.batchUpsert(request.body.items, actorOf(request)) }),
  );
};

export default serviceRecordRoutes;
