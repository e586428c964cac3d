import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { ChurnRecord, ChurnRecorded, ChurnReport, ChurnReportQuery } from './schemas';
import type { ChurnService } from './service';

export interface ChurnRoutesOptions {
  churn: ChurnService;
}

const churnRoutes: FastifyPluginAsyncTypebox<ChurnRoutesOptions> = async (app, { churn }) => {
  app.addSchema(ChurnReport);

  app.post(
    '/customers/:id/churn',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'recordChurn',
        summary: 'Record that a customer has left, with the reason',
        description:
          'Sets the churn status to `churned` with the reason; later analytics runs keep it until the customer buys again, which makes them `won_back`.',
        tags: ['churn'],
        params: IdParams,
        body: ChurnRecord,
        response: {
          201: success(ChurnRecorded, 'The churn recorded, with the status it set.'),
          ...errorResponses('customer_not_found', 'churn_in_future'),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await churn.record(request.params.id, request.body, actorOf(request))),
  );

  app.get(
    '/analytics/churn',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getChurnReport',
        summary: 'Churn and win-back figures per month',
        description:
          'Per month: customers active at its start (their last status then was active, at risk or won back), customers who churned in it and the churn rate (churned / active at start), and win-backs; the win-back rate over the range; churn by stated reason (`unstated` for churn found by the rules); retention by cohort (month of first purchase: share buying k months later); and the at-risk customers by predicted CLV, the value at stake. Statuses come from analytics runs and from churn recorded by hand.',
        tags: ['churn'],
        querystring: ChurnReportQuery,
        response: {
          200: success(
            Type.Ref('ChurnReport'),
            'Churn, win-back and retention figures for the months asked for.',
          ),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request) => churn.report(request.query),
  );
};

export default churnRoutes;
