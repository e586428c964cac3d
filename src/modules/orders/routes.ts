import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { sendCsvPage, wantsCsv } from './csv';
import { ORDER_CSV_COLUMNS } from './order-state';
import {
  ExternalIdParams,
  Order,
  OrderBatch,
  OrderBatchResult,
  OrderCreate,
  OrderListQuery,
  OrderPage,
  OrderPatch,
} from './schemas';
import type { OrderService } from './service';

export interface OrderRoutesOptions {
  orders: OrderService;
}

const tags = ['orders'];
const OrderRef = Type.Ref('Order');

const orderRoutes: FastifyPluginAsyncTypebox<OrderRoutesOptions> = async (app, { orders }) => {
  app.addSchema(Order);

  app.post(
    '/orders',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'createOrder',
        summary: 'Create an order',
        description:
          'Name the customer by `customerId` or `customerExternalId` (unknown: 422 `customer_not_found`). Lines name a product by ' +
          '`productId` or `sku` and must add up to `amount` exactly. A currency other than the reporting currency needs `fxRate`. ' +
          "The order is flagged `crossRegion` when a channel customer ships outside its assigned regions, and `overCreditLimit` when it takes the balance past the customer's suggested limit; neither refuses it.",
        tags,
        body: OrderCreate,
        response: {
          201: success(
            OrderRef,
            'The new order with its lines and flags, with its ETag; Location is its path.',
            {
              headers: ['location'],
            },
          ),
          ...errorResponses(
            'external_id_taken',
            '422:customer_not_found',
            '422:product_not_found',
            'line_sum_mismatch',
            'fx_rate_required',
          ),
        },
      },
    },
    async (request, reply) => {
      const order = await orders.create(request.body, actorOf(request));
      setEtag(reply, order.version);
      reply.header('location', `/v1/orders/${order.id}`);
      return reply.code(201).send(order);
    },
  );

  app.post(
    '/orders/batch',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'batchUpsertOrders',
        summary: 'Upsert up to 1,000 orders by external id',
        description:
          'All rows in one transaction. Each row is `created`, `updated` (fields given replace old values; `lines` replace all lines) or `unchanged`, ' +
          'so resending a batch writes nothing. If any row is invalid nothing is written and the problem names each bad row by `index`.',
        tags,
        body: OrderBatch,
        response: {
          200: success(OrderBatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            '422:customer_not_found',
            '422:product_not_found',
            'customer_mismatch',
            'line_sum_mismatch',
            'fx_rate_required',
            'invalid_status_transition',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await orders.batchUpsert(request.body.items, actorOf(request)) }),
  );

  app.get(
    '/orders',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'listOrders',
        summary: 'List orders',
        description:
          'Filters combine with AND. With `Accept: text/csv` the page comes as CSV (a header row, then one row per order; lines as JSON) ' +
          'and the next page is in a `Link: <...>; rel="next"` header.',
        tags,
        querystring: OrderListQuery,
        response: {
          200: {
            description: 'A page of orders matching the filters (JSON), or the same page as CSV.',
            content: {
              'application/json': { schema: OrderPage },
              'text/csv': { schema: Type.String({ description: 'Header row, then one row per order.' }) },
            },
          },
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request, reply) => {
      const page = await orders.list(request.query);
      if (wantsCsv(request)) return sendCsvPage(request, reply, page, ORDER_CSV_COLUMNS);
      return page;
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'getOrder',
        summary: 'Read an order',
        tags,
        params: IdParams,
        response: {
          200: success(OrderRef, 'The order with its lines, with its ETag.'),
          304: NotModified,
          ...errorResponses('order_not_found'),
        },
      },
    },
    async (request, reply) => {
      const order = await orders.get(request.params.id);
      setEtag(reply, order.version);
      if (notModified(request, order.version)) return sendNotModified(reply, order.version);
      return order;
    },
  );

  app.get(
    '/orders/external/:externalId',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'getOrderByExternalId',
        summary: 'Read an order by external id',
        tags,
        params: ExternalIdParams,
        response: {
          200: success(OrderRef, 'The order with this external id, with its ETag.'),
          304: NotModified,
          ...errorResponses('order_not_found'),
        },
      },
    },
    async (request, reply) => {
      const order = await orders.getByExternalId(request.params.externalId);
      setEtag(reply, order.version);
      if (notModified(request, order.version)) return sendNotModified(reply, order.version);
      return order;
    },
  );

  app.patch(
    '/orders/:id',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'updateOrder',
        summary: 'Update some fields of an order',
        description:
          'Fields present replace their old values; `lines` replace all lines and must add up to `amount`. ' +
          'Cancelled and returned orders are final (422 `invalid_status_transition`).',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: OrderPatch,
        response: {
          200: success(OrderRef, 'The order as changed, with its new ETag.'),
          ...errorResponses(
            'order_not_found',
            'external_id_taken',
            '422:customer_not_found',
            '422:product_not_found',
            'customer_mismatch',
            'line_sum_mismatch',
            'fx_rate_required',
            'invalid_status_transition',
          ),
        },
      },
    },
    async (request, reply) => {
      const order = await orders.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, order.version);
      return order;
    },
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'cancelOrder',
        summary: 'Cancel an order',
        description:
          'The order stays readable but leaves receivables, credit and value figures. Cancelling a cancelled order changes nothing; a returned one is 422.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          200: success(OrderRef, 'The cancelled order, with its new ETag.'),
          ...errorResponses('order_not_found', 'invalid_status_transition'),
        },
      },
    },
    async (request, reply) => {
      const order = await orders.cancel(
        request.params.id,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, order.version);
      return order;
    },
  );
};

export default orderRoutes;
