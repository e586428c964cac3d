import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { CSV_CONTENT_TYPE, wantsCsv } from '../orders/csv';
import { reportCsv } from './csv';
import { ChurnRecord, ChurnRecorded, ChurnReport, ChurnReportQuery } from './schemas';
import type { ChurnService, ReportTable } from './service';

export interface ChurnRoutesOptions {
  churn: ChurnService;
}

const REPORT_DESCRIPTION = [
  'Churn and win-back per week, month or quarter, from the customers\u2019 lifecycle history (docs/lifecycle.md).',
  'Every customer is classed by its churn status at the start of each period (00:00 UTC of its first day) and at its end: `none` (no status yet: it never bought), `active` (active, at risk or won back) or `churned`.',
  '`activeAtStart` counts the active at the start; `new` the none at the start and active at the end; `wonBack` the churned at the start and active at the end; `churned` the active at the start and churned (or none) at the end; `activeAtEnd` the active at the end.',
  'So `activeAtEnd = activeAtStart + new + wonBack - churned` always, and the figures are net over the period: churned and won back inside one period counts in neither.',
  '`churnRate = churned / activeAtStart` (null when nobody was active, never above 1); `winBackRate = wonBack / churnedAtStart` (null when nobody was churned).',
  '`byReason`: the customers who became churned in the range, each by the reason of its latest churn there (`unstated` for churn a rule or the model found).',
  '`cohorts`: the retention matrix; a cohort is the period of the customers\u2019 first counted purchase (not cancelled or returned), cell k the share of it not churned at the end of its k-th period (`cohortBasis=purchase`: the share that bought in it).',
  '`atRisk`: the customers at risk at the end of the latest finished analytics run\u2019s `asOf` day, by value at stake (the run\u2019s predicted CLV x (1 - P(alive)); unknown last).',
  'With `Accept: text/csv` one table comes as CSV, chosen by `table` (`periods`, `reasons`, `cohorts` one row per cell, `atRisk`).',
  'The range is the periods containing `from` and `to`; a `to` after today is clipped to the current period, and at most 156 weeks, 36 months or 12 quarters are answered.',
].join(' ');

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
          'Records a lifecycle event `-> churned` with cause `manual` at `at` (default now) and sets the customer\u2019s churn status from it; no rule moves a churned customer, and the next purchase day after `at` makes it `won_back` (docs/lifecycle.md). Emits `customer.churn_status_changed`. A time in the future is refused (`churn_in_future`), and so is one before the customer\u2019s current churn status began (`churn_predates_status`).',
        tags: ['churn'],
        params: IdParams,
        body: ChurnRecord,
        response: {
          201: success(ChurnRecorded, 'The churn recorded, with the status it set.'),
          ...errorResponses('customer_not_found', 'churn_in_future', 'churn_predates_status'),
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
        summary: 'Churn, win-back, retention and the at-risk list per period (JSON, or one table as CSV)',
        description: REPORT_DESCRIPTION,
        tags: ['churn'],
        querystring: ChurnReportQuery,
        response: {
          200: {
            description: 'The report for the periods asked for (JSON), or the table named by `table` as CSV.',
            content: {
              'application/json': { schema: Type.Ref('ChurnReport') },
              'text/csv': {
                schema: Type.String({
                  description:
                    'A header row naming the fields of the table\u2019s JSON entries, then one row per entry.',
                }),
              },
            },
          },
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request, reply) => {
      if (wantsCsv(request)) {
        const table: ReportTable = request.query.table ?? 'periods';
        const report = await churn.report(request.query, [table]);
        return reply
          .type(CSV_CONTENT_TYPE)
          .header('content-disposition', `attachment; filename="churn-${table}.csv"`)
          .send(reportCsv(report, table));
      }
      return churn.report(request.query);
    },
  );
};

export default churnRoutes;
