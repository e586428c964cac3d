import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  BatchResult,
  Customer,
  CustomerBatch,
  CustomerCreate,
  CustomerListQuery,
  CustomerPage,
  CustomerPatch,
  CustomerUpsert,
  ExternalIdParams,
  GetQuery,
} from './schemas';
import type { CustomerService } from './service';
import { sendCsvPage, wantsCsv } from '../orders/csv';
import { CUSTOMER_CSV_COLUMNS } from './csv-columns';

export interface CustomerRoutesOptions {
  customers: CustomerService;
}

const tags = ['customers'];
const CustomerRef = Type.Ref('Customer');
const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'The ETag you read; 412 if the customer was written since. Only the version part (`"v<version>"`) is compared.',
    }),
  ),
});

/**
 * The ETag of a customer, said once for every operation that answers one (docs/api.md
 * "Concurrency").
 */
const ETAG_NOTE =
  ' The ETag (`"v<version>.<lifecycle>.<run>"`, or `"v<version>"` while nothing is derived) changes whenever the body does: ' +
  'a write, a lifecycle change (a churn recorded, a stage a purchase moved) or a new analytics run. ' +
  '`If-Match` compares only the version, which only your writes move, so derived figures changing never make a write 412.';

const customerRoutes: FastifyPluginAsyncTypebox<CustomerRoutesOptions> = async (app, { customers }) => {
  app.addSchema(Customer);

  app.post(
    '/customers',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'createCustomer',
        summary: 'Create a customer',
        description:
          'Creates a person or organisation. Send `Idempotency-Key` to make retries safe. ' +
          'A `lifecycleStage` other than `selection` is recorded as its first lifecycle event (cause `manual`).',
        tags,
        body: CustomerCreate,
        response: {
          201: success(CustomerRef, 'The new customer, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('external_id_taken', 'channel_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { customer, derived } = await customers.create(request.body, actorOf(request));
      setEtag(reply, customer.version, derived);
      reply.header('location', `/v1/customers/${customer.id}`);
      return reply.code(201).send(customer);
    },
  );

  app.get(
    '/customers',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'listCustomers',
        summary: 'List customers',
        description:
          'Filters combine with AND; `tag` repeats for all-of; `cf.<key>=<value>` matches a custom field. ' +
          'Soft-deleted customers are left out unless `includeDeleted=true`. Cursor pagination: pass `nextCursor` back as `cursor`. ' +
          'With `Accept: text/csv` the page comes as `text/csv` (a header row, then one row per customer with the columns of `GET /v1/exports/customers`; arrays and objects as JSON) ' +
          'and the next page is in a `Link: <...>; rel="next"` header.',
        tags,
        querystring: CustomerListQuery,
        response: {
          200: success(CustomerPage, 'A page of customers matching the filters, in the order asked for.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request, reply) => {
      const page = await customers.list(request.query);
      return wantsCsv(request) ? sendCsvPage(request, reply, page, CUSTOMER_CSV_COLUMNS) : page;
    },
  );

  app.get(
    '/customers/:id',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getCustomer',
        summary: 'Read a customer',
        description:
          'Answers an `ETag`; send it back in `If-Match` when you change the customer, or in `If-None-Match` to be answered 304 while your copy is current.' +
          ETAG_NOTE,
        tags,
        params: IdParams,
        querystring: GetQuery,
        response: {
          200: success(CustomerRef, 'The customer, with its ETag.'),
          304: NotModified,
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { customer, derived } = await customers.read(request.params.id, request.query.includeDeleted);
      setEtag(reply, customer.version, derived);
      if (notModified(request, customer.version, derived))
        return sendNotModified(reply, customer.version, derived);
      return customer;
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'updateCustomer',
        summary: 'Update some fields of a customer',
        description:
          'Fields present replace their old values (arrays and `customFields` whole); `null` clears an optional field. ' +
          'A new `lifecycleStage` is recorded as a lifecycle event (cause `manual`; `GET /v1/customers/{id}/lifecycle`).' +
          ETAG_NOTE,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: CustomerPatch,
        response: {
          200: success(CustomerRef, 'The customer as changed, with its new ETag.'),
          ...errorResponses('customer_not_found', 'external_id_taken', 'channel_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { customer, derived } = await customers.patch(
        request.params.id,
        request.body,
        (version) => expectedVersion(request, version),
        actorOf(request),
      );
      setEtag(reply, customer.version, derived);
      return customer;
    },
  );

  app.delete(
    '/customers/:id',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'deleteCustomer',
        summary: 'Soft-delete a customer',
        description:
          'The customer leaves lists and reads but is kept; `POST /v1/customers/{id}/restore` brings it back.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Soft-deleted; no body. `POST .../restore` undoes it.' }),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request, reply) => {
      await customers.softDelete(
        request.params.id,
        (version) => expectedVersion(request, version),
        actorOf(request),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/customers/:id/restore',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'restoreCustomer',
        summary: 'Undo a soft delete',
        tags,
        params: IdParams,
        response: {
          200: success(CustomerRef, 'The restored customer, with its new ETag.'),
          ...errorResponses('customer_not_found', 'customer_not_deleted'),
        },
      },
    },
    async (request, reply) => {
      const { customer, derived } = await customers.restore(request.params.id, actorOf(request));
      setEtag(reply, customer.version, derived);
      return customer;
    },
  );

  app.get(
    '/customers/external/:externalId',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getCustomerByExternalId',
        summary: 'Read a customer by external id',
        description: "As `GET /v1/customers/{id}`, by your system's id." + ETAG_NOTE,
        tags,
        params: ExternalIdParams,
        querystring: GetQuery,
        response: {
          200: success(CustomerRef, 'The customer with this external id, with its ETag.'),
          304: NotModified,
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request, reply) => {
      const { customer, derived } = await customers.getByExternalId(
        request.params.externalId,
        request.query.includeDeleted,
      );
      setEtag(reply, customer.version, derived);
      if (notModified(request, customer.version, derived))
        return sendNotModified(reply, customer.version, derived);
      return customer;
    },
  );

  app.put(
    '/customers/external/:externalId',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'upsertCustomerByExternalId',
        summary: 'Create or update a customer by external id',
        description:
          'Creates the customer (201; `name` required) or updates the fields given (200). Fields left out keep their values. ' +
          'A soft-deleted customer is restored. `If-Match` applies to an existing customer; with it, a missing one is 412.' +
          ETAG_NOTE,
        tags,
        params: ExternalIdParams,
        headers: IfMatchHeaders,
        body: CustomerUpsert,
        response: {
          200: success(CustomerRef, 'The existing customer, updated (or unchanged), with its ETag.'),
          201: success(CustomerRef, 'The new customer, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses(
            'external_id_mismatch',
            'external_id_taken',
            'channel_not_found',
            'name_required',
          ),
        },
      },
    },
    async (request, reply) => {
      const ifMatch =
        request.headers['if-match'] !== undefined ? (v: number) => expectedVersion(request, v) : undefined;
      const { customer, derived, outcome } = await customers.upsertByExternalId(
        request.params.externalId,
        request.body,
        ifMatch,
        actorOf(request),
      );
      setEtag(reply, customer.version, derived);
      if (outcome === 'created') {
        reply.header('location', `/v1/customers/${customer.id}`);
        return reply.code(201).send(customer);
      }
      return reply.code(200).send(customer);
    },
  );

  app.post(
    '/customers/batch',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'batchUpsertCustomers',
        summary: 'Upsert up to 1,000 customers by external id',
        description:
          'All rows in one transaction. Each row is created, updated (fields given replace old values) or left `unchanged`. ' +
          'If any row is invalid nothing is written and the problem lists each bad row by `index`.',
        tags,
        body: CustomerBatch,
        response: {
          200: success(BatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            'external_id_taken',
            'precondition_failed',
            'channel_not_found',
            'name_required',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await customers.batchUpsert(request.body.items, actorOf(request)) }),
  );
};

export default customerRoutes;
