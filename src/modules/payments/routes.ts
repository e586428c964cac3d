import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  ExternalIdParams,
  Payment,
  PaymentBatch,
  PaymentBatchResult,
  PaymentCreate,
  PaymentListQuery,
  PaymentPage,
  Receivables,
  Refund,
  RefundCreate,
} from './schemas';
import type { PaymentService } from './service';

export interface PaymentRoutesOptions {
  payments: PaymentService;
}

const tags = ['payments'];
const PaymentRef = Type.Ref('Payment');

const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesOptions> = async (app, { payments }) => {
  app.addSchema(Payment);

  app.post(
    '/payments',
    {
      config: { scope: 'payments:write' },
      schema: {
        operationId: 'createPayment',
        summary: 'Record a payment',
        description:
          'Explicit `allocations` (reporting currency) settle the named open orders first; the rest of the payment is applied to the ' +
          "customer's oldest open orders, and what no order absorbs stays as a credit balance (`unapplied` in receivables). " +
          'A currency other than the reporting currency needs `fxRate`.',
        tags,
        body: PaymentCreate,
        response: {
          201: success(PaymentRef, 'The payment with its allocations, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses(
            'external_id_taken',
            '422:customer_not_found',
            '422:order_not_found',
            'order_not_open',
            'allocation_exceeds_order',
            'allocation_exceeds_payment',
            'fx_rate_required',
          ),
        },
      },
    },
    async (request, reply) => {
      const payment = await payments.create(request.body, actorOf(request));
      setEtag(reply, payment.version);
      reply.header('location', `/v1/payments/${payment.id}`);
      return reply.code(201).send(payment);
    },
  );

  app.post(
    '/payments/batch',
    {
      config: { scope: 'payments:write' },
      schema: {
        operationId: 'batchUpsertPayments',
        summary: 'Upsert up to 1,000 payments by external id',
        description:
          'All rows in one transaction; each is `created`, `updated` or `unchanged`, so resending a batch writes nothing. ' +
          'If any row is invalid nothing is written and the problem names each bad row by `index`.',
        tags,
        body: PaymentBatch,
        response: {
          200: success(PaymentBatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            '422:customer_not_found',
            '422:order_not_found',
            'customer_mismatch',
            'order_not_open',
            'allocation_exceeds_order',
            'allocation_exceeds_payment',
            'fx_rate_required',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await payments.batchUpsert(request.body.items, actorOf(request)) }),
  );

  app.get(
    '/payments',
    {
      config: { scope: 'payments:read' },
      schema: {
        operationId: 'listPayments',
        summary: 'List payments, newest first',
        tags,
        querystring: PaymentListQuery,
        response: {
          200: success(PaymentPage, 'A page of payments matching the filters, newest first.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => payments.list(request.query),
  );

  app.get(
    '/payments/:id',
    {
      config: { scope: 'payments:read' },
      schema: {
        operationId: 'getPayment',
        summary: 'Read a payment',
        tags,
        params: IdParams,
        response: {
          200: success(PaymentRef, 'The payment with its allocations and refunds, with its ETag.'),
          304: NotModified,
          ...errorResponses('payment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const payment = await payments.get(request.params.id);
      setEtag(reply, payment.version);
      if (notModified(request, payment.version)) return sendNotModified(reply, payment.version);
      return payment;
    },
  );

  app.get(
    '/payments/external/:externalId',
    {
      config: { scope: 'payments:read' },
      schema: {
        operationId: 'getPaymentByExternalId',
        summary: 'Read a payment by external id',
        tags,
        params: ExternalIdParams,
        response: {
          200: success(PaymentRef, 'The payment with this external id, with its ETag.'),
          304: NotModified,
          ...errorResponses('payment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const payment = await payments.getByExternalId(request.params.externalId);
      setEtag(reply, payment.version);
      if (notModified(request, payment.version)) return sendNotModified(reply, payment.version);
      return payment;
    },
  );

  app.post(
    '/payments/:id/refunds',
    {
      config: { scope: 'payments:write' },
      schema: {
        operationId: 'refundPayment',
        summary: 'Refund part or all of a payment',
        description:
          'At most what is neither refunded already nor explicitly allocated (422 `refund_exceeds_payment`). Orders the refunded money had settled open again.',
        tags,
        params: IdParams,
        body: RefundCreate,
        response: {
          201: success(Refund, 'The refund recorded.'),
          ...errorResponses('payment_not_found', 'refund_exceeds_payment'),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await payments.refund(request.params.id, request.body, actorOf(request))),
  );

  app.get(
    '/customers/:id/receivables',
    {
      config: { scope: 'payments:read' },
      schema: {
        operationId: 'getCustomerReceivables',
        summary: "A customer's outstanding balance, overdue amount and aging",
        description:
          'All in the reporting currency. Payments settle explicitly allocated orders first, then the oldest open orders; cancelled and returned orders do not count. ' +
          'Overdue: open amounts past the due date (order date + paymentTermsDays). Aging buckets by days since the order date.',
        tags,
        params: IdParams,
        response: {
          200: success(
            Receivables,
            "The customer's balance, overdue amount and aging, in the reporting currency.",
          ),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request) => payments.receivablesOf(request.params.id),
  );
};

export default paymentRoutes;
