import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { LifecycleEvent, LifecycleHistoryPage, LifecycleHistoryQuery } from './schemas';
import type { LifecycleService } from './service';

export interface LifecycleRoutesOptions {
  lifecycle: LifecycleService;
}

const lifecycleRoutes: FastifyPluginAsyncTypebox<LifecycleRoutesOptions> = async (app, { lifecycle }) => {
  app.addSchema(LifecycleEvent);

  app.get(
    '/customers/:id/lifecycle',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'listCustomerLifecycle',
        summary: "A customer's stage and churn status history",
        description:
          "Every change of the customer's stage and churn status, newest first (by when it happened): " +
          'from purchases, the churn rules and model of an analytics run, and by hand ' +
          '(`PATCH /v1/customers/{id} { lifecycleStage }`, `POST /v1/customers/{id}/churn`). ' +
          '`kind` keeps one of the two. Cursor pagination: pass `nextCursor` back as `cursor`.',
        tags: ['customers'],
        params: IdParams,
        querystring: LifecycleHistoryQuery,
        response: {
          200: success(LifecycleHistoryPage, "A page of the customer's lifecycle history, newest first."),
          ...errorResponses('customer_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request) => lifecycle.history(request.params.id, request.query),
  );
};

export default lifecycleRoutes;
