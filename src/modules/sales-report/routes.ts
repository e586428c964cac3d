import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../schemas/common';
import { CSV_CONTENT_TYPE, wantsCsv } from '../orders/csv';
import { salesCsv } from './csv';
import { SalesReport, SalesReportQuery } from './schemas';
import type { SalesReportService } from './service';

export interface SalesReportRoutesOptions {
  sales: SalesReportService;
}

const DESCRIPTION = [
  'Sales performance per group between `from` and `to` (UTC days, both included; at most five years), each group with the same figures for the previous period of the same length just before `from`. Scope `analytics:read`.',
  'Counted orders only (not cancelled or returned); revenue is in the reporting currency (each order\u2019s amount x its fx rate, `reportingAmount`), exact decimals.',
  '**revenue**: sum of the group\u2019s order revenue; **orders**: orders with revenue in the group; **customers**: distinct customers with such an order; **averageOrder**: revenue / orders; **share**: revenue / the period\u2019s total revenue; **newCustomers**: the group\u2019s customers whose first counted purchase ever falls in the period; **clvPredicted**: sum of the predicted CLV of the group\u2019s customers in the latest finished analytics run; **churnedCustomers**: customers who became churned during the period (lifecycle history), counted in the group of their last counted order before the period\u2019s end (customer groupings: the customer\u2019s own).',
  '`product` and `category` split each order by its lines: a line\u2019s revenue is its share of the order\u2019s reporting amount (quantity x unit price, converted; rounding is carried so the lines of an order add up to its amount exactly), and an order without lines is in the null group. There, **orders** counts the orders with at least one line in the group and **customers** the distinct customers who bought it, so an order with lines of two products counts once in each and these two figures do not add up across groups (the total counts each order and customer once); revenue always does.',
  'Every grouping\u2019s groups add up to `total.revenue` to the cent: orders (or customers) without the grouping\u2019s field go to the explicit `key: null` group. Two levels (`groupBy=region,product`) nest each first-level group\u2019s subgroups in `groups`; their revenue adds up to the group\u2019s.',
  'With `Accept: text/csv` the same report comes as one table (a `total` row, then each group and its subgroups).',
].join('\n\n');

const salesReportRoutes: FastifyPluginAsyncTypebox<SalesReportRoutesOptions> = async (app, { sales }) => {
  app.addSchema(SalesReport);

  app.get(
    '/analytics/sales',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getSalesReport',
        summary:
          'Sales performance per region, product, category, owner, postcode, channel or value class (JSON or CSV)',
        description: DESCRIPTION,
        tags: ['analytics'],
        querystring: SalesReportQuery,
        response: {
          200: {
            description: 'The report (JSON), or the same as one CSV table.',
            content: {
              'application/json': { schema: Type.Ref('SalesReport') },
              'text/csv': {
                schema: Type.String({
                  description:
                    'Header `level,<grouping>[,<grouping>],name,revenue,...,previousRevenue,...,revenueChange`, then the total row and one row per group.',
                }),
              },
            },
          },
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request, reply) => {
      const report = await sales.report(request.query);
      if (wantsCsv(request))
        return reply
          .type(CSV_CONTENT_TYPE)
          .header('content-disposition', 'attachment; filename="sales.csv"')
          .send(salesCsv(report));
      return report;
    },
  );
};

export default salesReportRoutes;
