import { DATE_IN_FUTURE } from '../../domain/date-limits';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { epochDayToIsoDate, utcEpochDayOf } from '../../domain/value';
import { errorResponses, IdParams, pageOf, success } from '../../schemas/common';
import type { ValueService } from './value-service';
import type { AnalyticsRunService } from './run-service';
import { ClvModels, Run, RunCreate, RunParams, Segments, ValueCard, ValuesQuery } from './schemas';
import { toRunView } from './views';

export interface AnalyticsRoutesOptions {
  runs: AnalyticsRunService;
  values: ValueService;
  clock: () => Date;
}

const tags = ['analytics'];

const FORMULAS = [
  'Summary (as of asOf, in timeUnit; same-UTC-day orders are one purchase; cancelled and returned orders excluded): n purchases, frequency x = n - 1, recency t_x = last - first, T = asOf - first, average cycle c = t_x / x.',
  'Historical value: sum of S_i (1 + r)^(years before asOf), S_i = amount x margin; current value: the same over the last 12 months (docs/domain.md 5.3, formula 1).',
  'Predicted value: BG/NBD (Fader, Hardie and Lee 2005) expected purchases in each month of the horizon (month = 30.4375 days), times the Gamma-Gamma expected spend, discounted monthly at (1 + annualDiscountRate)^(1/12) - 1, times margin. Without a BG/NBD fit, value verification (formula 2): H / c purchases of the average amount.',
  'P(alive) from BG/NBD. Churn: d > 2c at risk, d > 3c churned (one-time buyers use the median cycle), P(alive) < 0.1 churned; a purchase after a churned snapshot is won_back.',
  'Value class: period/amount matrix (docs/domain.md 5.4) with tertile thresholds of the base. RFM: quintile scores 1-5 and the segment grid.',
].join('\n\n');

const analyticsRoutes: FastifyPluginAsyncTypebox<AnalyticsRoutesOptions> = async (app, options) => {
  const { runs, values, clock } = options;
  app.addSchema(Run);
  app.addSchema(ValueCard);

  app.post(
    '/analytics/runs',
    {
      config: { scope: 'analytics:write' },
      preValidation: async (request) => {
        // A run with every default may be started with no body at all.
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        operationId: 'startAnalyticsRun',
        summary: 'Recompute value snapshots and refit the models',
        description: `Starts a run and answers 202 at once; poll GET /v1/analytics/runs/{id}. One run at a time (409 otherwise). A failed run leaves the previous snapshot in place.\n\n${FORMULAS}`,
        tags,
        body: RunCreate,
        response: {
          202: success(Type.Ref('AnalyticsRun'), 'The run, queued; Location is where to poll it.', {
            headers: ['location'],
          }),
          ...errorResponses('analytics_run_in_progress', 'date_in_future'),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // A run values the customers as they stood on asOf; a day that has not come yet would
      // date churn and stages in the future (docs/lifecycle.md "Days").
      const today = epochDayToIsoDate(utcEpochDayOf(clock()));
      if (body.asOf !== undefined && body.asOf > today) {
        const errors = new RowErrors();
        errors.add(
          singleBody,
          'asOf',
          DATE_IN_FUTURE,
          `lies in the future (the latest accepted is ${today})`,
        );
        errors.throwIfAny();
      }
      const run = await runs.start(
        {
          asOf: body.asOf ?? epochDayToIsoDate(utcEpochDayOf(clock())),
          timeUnit: body.timeUnit ?? 'day',
          horizonMonths: body.horizonMonths ?? 12,
          annualDiscountRate: body.annualDiscountRate ?? 0.1,
          margin: body.margin ?? 1,
        },
        request.principal?.name ?? null,
      );
      reply.header('location', `/v1/analytics/runs/${run.id}`);
      return reply.code(202).send(toRunView(run));
    },
  );

  app.get(
    '/analytics/runs/:id',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getAnalyticsRun',
        summary: "An analytics run's status and progress",
        tags,
        params: RunParams,
        response: {
          200: success(
            Type.Ref('AnalyticsRun'),
            'The run: its status, phase and progress, and the error of a failed one.',
          ),
          ...errorResponses('analytics_run_not_found'),
        },
      },
    },
    async (request) => toRunView(await runs.get(request.params.id)),
  );

  app.get(
    '/analytics/models/clv',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getClvModels',
        summary: 'The latest fitted CLV models',
        description:
          'BG/NBD (r, alpha, a, b) fitted by maximum likelihood on every customer with a purchase on or before asOf, with the full log-likelihood; Gamma-Gamma (p, q, v) on the repeat buyers, each with the mean spend of its repeat purchase-days. A model is null when the data cannot identify it (e.g. no repeat buyer); `notes` says why.',
        tags,
        response: {
          200: success(ClvModels, 'The BG/NBD and Gamma-Gamma parameters of the latest finished run.'),
          ...errorResponses('no_analytics_run'),
        },
      },
    },
    async () => {
      const run = await runs.latestDone();
      const models = run.models as {
        bgnbd: {
          r: number;
          alpha: number;
          a: number;
          b: number;
          logLikelihood: number;
          customers: number;
        } | null;
        bgnbdError: string | null;
        gammaGamma: { p: number; q: number; v: number; customers: number } | null;
        gammaGammaError: string | null;
      };
      return {
        runId: run.id,
        asOf: run.as_of,
        timeUnit: run.time_unit,
        bgnbd: models.bgnbd,
        gammaGamma: models.gammaGamma,
        notes: [models.bgnbdError, models.gammaGammaError].filter((n): n is string => Boolean(n)),
      };
    },
  );

  app.get(
    '/analytics/segments',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getSegments',
        summary: 'Counts and value per class, the period/amount matrix and the Pareto share',
        description:
          "From the latest finished run: per value class and per RFM segment the customers, revenue (sum of counted order amounts in the reporting currency), total and average predicted CLV; the 3x3 period/amount matrix with its tertile thresholds (cycle in the run's time unit, amount per purchase); and the share of contribution (revenue x margin) from the top 20% of customers.",
        tags,
        response: {
          200: success(
            Segments,
            'Counts and value per value class and RFM segment, the matrix and the Pareto share.',
          ),
          ...errorResponses('no_analytics_run'),
        },
      },
    },
    async () => {
      const run = await runs.latestDone();
      return { runId: run.id, ...(run.segments as object), asOf: run.as_of } as never;
    },
  );

  app.get(
    '/customers/:id/value',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getCustomerValue',
        summary: "The customer's value card",
        description: `The customer's snapshot from the latest finished run. 404 \`customer_not_valued\` when the customer had no counted purchase on or before that run's asOf.\n\n${FORMULAS}`,
        tags,
        params: IdParams,
        response: {
          200: success(Type.Ref('ValueCard'), "The customer's value card from the latest finished run."),
          ...errorResponses('customer_not_found', 'customer_not_valued', 'no_analytics_run'),
        },
      },
    },
    async (request) => values.card(request.params.id),
  );

  app.get(
    '/analytics/values',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'listCustomerValues',
        summary: "Every customer's results from the latest run (JSON pages, or all as CSV)",
        description:
          'With `Accept: text/csv` every card streams as CSV: a header row, then one row per card, one column per field named as in the JSON card (nested fields by their path: `summary.T`, `churn.pAlive`, `credit.grade`). Otherwise cursor-paginated value cards.',
        tags,
        querystring: ValuesQuery,
        response: {
          200: {
            description: 'A page of value cards (JSON), or every card of the run as CSV.',
            content: {
              'application/json': { schema: pageOf(Type.Ref('ValueCard')) },
              'text/csv': { schema: Type.String() },
            },
          },
          ...errorResponses('no_analytics_run', 'invalid_cursor'),
        },
      },
    },
    async (request, reply) => {
      if ((request.headers.accept ?? '').includes('text/csv')) {
        const lines = await values.csv();
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="customer-values.csv"');
        return reply.send(Readable.from(lines) as never);
      }
      return (await values.page(request.query)) as never;
    },
  );
};

export default analyticsRoutes;
