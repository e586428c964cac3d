import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { negotiateLanguage } from '../../http/messages/catalogue';
import { NotFoundError } from '../../http/http-errors';
import { errorResponses } from '../../schemas/common';
import { CHART_NAMES, isChartName, type ChartName } from './names';
import type { ChartRenderer } from './render';
import { ChartPath, ChartQuery } from './schemas';

export interface ChartRoutesOptions {
  charts: ChartRenderer;
}

const CHARTS_DESCRIPTION = [
  'A chart for people who would rather look than read, 800x500, rendered on the server by Apache ECharts (no browser); scope `analytics:read`.',
  '`value-matrix`: the 3x3 period/amount matrix of the latest analytics run (docs/domain.md 5.4), customers and revenue per cell, tertile thresholds on the axes.',
  '`pareto`: the cumulative share of revenue (the run\u2019s counted order totals) against the share of customers, largest first, the top 20% marked.',
  '`cohort-retention`: the churn report\u2019s retention matrix as a heatmap (`period`, `from`, `to`, `cohortBasis`).',
  '`churn`: churned and won-back customers per period with the churn rate, from the churn report (`period`, `from`, `to`).',
  '`clv-distribution`: a histogram of the latest run\u2019s predicted CLV (`bins`, `scale=linear|log`).',
  '`sales`: revenue per group from the sales report (`groupBy`, `from`, `to`): this period beside the previous one, or with two groupings the second stacked in each bar; at most 12 bars, the rest summed into one.',
  '`forecast`: the demand forecast (`horizon`, `periods`, `newCustomersPerMonth`, `history`, `metric=revenue|purchases`): bars of every live customer\u2019s actual revenue (or purchase days) in each past period, over the backtest\u2019s periods its forecast (dashed) beside what the customers it counted actually did, then the forecast\u2019s periods (all customers, the new ones included); MAPE in the subtitle.',
  'Titles, axis names and legends follow `Accept-Language` (`zh-CN`: Chinese). Each chart reads only the query parameters named for it; the others are accepted and ignored.',
].join(' ');

function chartName(name: string): ChartName {
  if (!isChartName(name)) throw new NotFoundError('chart_not_found', { name, names: CHART_NAMES.join(', ') });
  return name;
}

const chartRoutes: FastifyPluginAsyncTypebox<ChartRoutesOptions> = async (app, { charts }) => {
  const errors = errorResponses('chart_not_found', 'no_analytics_run', 'invalid_range', 'validation_failed');

  app.get(
    '/analytics/charts/:name.svg',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getChartSvg',
        summary: 'A chart as SVG',
        description: CHARTS_DESCRIPTION,
        tags: ['analytics'],
        params: ChartPath,
        querystring: ChartQuery,
        response: {
          200: {
            description: 'The chart, a standalone SVG document (800x500).',
            content: {
              'image/svg+xml': { schema: Type.String({ example: '<svg width="800" height="500" ...>' }) },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const name = chartName(request.params.name);
      const language = negotiateLanguage(request.headers['accept-language']);
      const svg = await charts.renderChartSvg(name, request.query, language);
      return reply.type('image/svg+xml; charset=utf-8').header('content-language', language).send(svg);
    },
  );

  app.get(
    '/analytics/charts/:name.png',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getChartPng',
        summary: 'A chart as PNG',
        description: `${CHARTS_DESCRIPTION} The PNG is the SVG rendered by resvg with the Noto Sans SC font the project ships, for mail and chat tools that show no SVG.`,
        tags: ['analytics'],
        params: ChartPath,
        querystring: ChartQuery,
        response: {
          200: {
            description: 'The chart as an 800x500 PNG image.',
            content: {
              'image/png': {
                schema: Type.String({
                  format: 'binary',
                  example: '\u0089PNG\r\n\u001a\n... (800x500 pixels)',
                }),
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const name = chartName(request.params.name);
      const language = negotiateLanguage(request.headers['accept-language']);
      const png = await charts.renderChartPng(name, request.query, language);
      return reply
        .type('image/png')
        .header('content-language', language)
        .send(png as never);
    },
  );
};

export default chartRoutes;
