import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, success } from '../../schemas/common';
import { Forecast, ForecastQuery } from './schemas';
import type { ForecastService } from './service';

export interface ForecastRoutesOptions {
  forecasts: ForecastService;
}

const DESCRIPTION = [
  'Demand forecast from the latest finished analytics run. Scope `analytics:read`.',
  'Periods start the day after the run\u2019s `asOf`; period k ends round(k x 30.4375) days (`month`) or round(k x 91.3125) days (`quarter`) after it.',
  '**expectedPurchases** of a period: for every customer the run valued, the BG/NBD conditional expectation E[Y(t) | x, t_x, T] (Fader, Hardie and Lee 2005, equation 10, the run\u2019s fitted r, alpha, a, b) at the period\u2019s end minus that at its start, summed over the customers. A purchase is a purchase day, as the model counts them. **expectedRevenue**: each customer\u2019s expected purchases x its Gamma-Gamma expected spend (`expectedAverageAmount` of the run), summed. The total is exactly the sum of the customers\u2019 expectations, and the groups add up to it.',
  '`groupBy`: `region` (the customer\u2019s), `valueClass` (the run\u2019s), or `category`: each customer\u2019s expectations split by its historical category mix (its counted line revenue per product category up to asOf, as shares); customers without lines, or without a value of the grouping, are the `null` group.',
  '**backtest**: the same forecast made as of `asOf` minus the forecast\u2019s span, for the live customers acquired by then (first counted purchase on or before it; their histories cut there, in the run\u2019s time unit; BG/NBD and Gamma-Gamma refitted by maximum likelihood on those histories as a run fits its own, kept per run and date; `models` shows the parameters, and when a fit fails there the run\u2019s model stands in with `refit: false` and the reason), set beside the purchase days and revenue those customers actually had in each period after; **mape** = mean over the periods with an actual above 0 of |actual - forecast| / actual.',
  '**newCustomers**: customers not yet acquired, arriving uniformly at `newCustomersPerMonth` (default the server\u2019s FORECAST_NEW_PER_MONTH, 0: none) customers per 30.4375 days. Each buys once on arrival and then E[X(t)] repeat purchases by t after it (BG/NBD, Fader, Hardie and Lee 2005, equation 9, the run\u2019s parameters), so a period (t0, t1] gets rate x (t1 - t0) first purchases plus rate x the integral of E[X(u)] from t0 to t1 (Simpson\u2019s rule, 64 subintervals), at the Gamma-Gamma population mean spend p v / (q - 1). **existing** is the valued customers\u2019 sum, **total** both; the groups split `existing` (a customer not yet acquired has no region, class or mix).',
].join('\n\n');

const forecastRoutes: FastifyPluginAsyncTypebox<ForecastRoutesOptions> = async (app, { forecasts }) => {
  app.get(
    '/analytics/forecast',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'getDemandForecast',
        summary: 'Expected purchases and revenue for the next months or quarters, with a backtest',
        description: DESCRIPTION,
        tags: ['analytics'],
        querystring: ForecastQuery,
        response: {
          200: success(Forecast, 'The forecast, in total and per group, and its backtest.'),
          ...errorResponses('no_analytics_run'),
        },
      },
    },
    async (request) => forecasts.forecast(request.query),
  );
};

export default forecastRoutes;
