import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { CreditEvaluation } from './schemas';
import type { CreditService } from './service';

export interface CreditRoutesOptions {
  credit: CreditService;
}

const creditRoutes: FastifyPluginAsyncTypebox<CreditRoutesOptions> = async (app, { credit }) => {
  app.get(
    '/customers/:id/credit',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getCustomerCredit',
        summary: "Evaluate a customer's credit",
        description: [
          'Score 0-100 from four parts: punctuality (40 x share of due-or-paid orders paid by their due date; 20 without history),',
          'speed (20 when the average days to pay is 30 or less, 0 at 90 or more, linear between; 10 without history),',
          'overdue age (25 nothing overdue, 15 up to 30 days, 8 up to 60, 3 up to 90, 0 beyond) and largest overdue',
          '(15 x (1 - largest overdue / average order), at least 0). Grade A >= 85, B >= 70, C >= 55, D >= 40, else E.',
          'Suggested limit: the last 365 days of billing / 12 times 3 (A), 2 (B), 1 (C), 0.5 (D) or 0 (E).',
          'Each evaluation is recorded: new orders that take the balance past the last suggested limit are flagged `overCreditLimit` (not refused).',
          'Amounts in the reporting currency.',
        ].join(' '),
        tags: ['customers'],
        params: IdParams,
        response: {
          200: success(
            CreditEvaluation,
            "The customer's credit score, grade and suggested limit, just evaluated.",
          ),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request) => credit.evaluate(request.params.id),
  );
};

export default creditRoutes;
