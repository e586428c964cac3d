import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, success } from '../../schemas/common';
import { KpiQuery, KpiReport } from './kpis-schemas';
import type { KpisService } from './kpis-service';

export interface KpisRoutesOptions {
  kpis: KpisService;
}

const kpisRoutes: FastifyPluginAsyncTypebox<KpisRoutesOptions> = async (app, { kpis }) => {
  app.get(
    '/analytics/kpis',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getKpis',
        summary: 'Customer KPIs of a range of days beside the previous period of the same length',
        description:
          'Scope `analytics:read`. The customer side of the scorecard between `from` and `to` (days, UTC, both included): customers total, new, active, at risk, churned and won back, retention and churn rate (the churn report\u2019s definitions, docs/lifecycle.md), revenue, orders and average order, total and average predicted CLV, CSAT, NPS, the median complaint resolution time and the share of follow-ups done on time. Each figure has `value` (null with a `reason` when it cannot be computed), the `previous` period\u2019s (the same number of days just before `from`), `change` and `relativeChange`; each figure\u2019s definition is in its schema. `period=month` adds the range month by month. 400 when a day is not a calendar day, `from` lies after `to`, or the range is over five years.',
        tags: ['analytics'],
        querystring: KpiQuery,
        response: {
          200: success(KpiReport, 'The figures of the range and of the period before it.'),
          ...errorResponses('invalid_range', 'validation_failed'),
        },
      },
    },
    async (request) => kpis.report(request.query),
  );
};

export default kpisRoutes;
