import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, success } from '../../schemas/common';
import { ServiceFeedback, ServiceFeedbackQuery } from './schemas';
import type { ServiceFeedbackService } from './service';

export interface ServiceFeedbackRoutesOptions {
  feedback: ServiceFeedbackService;
}

const serviceFeedbackRoutes: FastifyPluginAsyncTypebox<ServiceFeedbackRoutesOptions> = async (
  app,
  { feedback },
) => {
  app.get(
    '/analytics/service-feedback',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getServiceFeedback',
        summary: 'Complaints, service records and survey scores per product or product category',
        description:
          "Complaints filed, service records opened and survey responses given between `from` and `to` (days, UTC, both included). A survey response counts for the product of the complaint or service record it is linked to, or for each product on the linked order's lines; one linked to an interaction names no product.",
        tags: ['analytics'],
        querystring: ServiceFeedbackQuery,
        response: {
          200: success(ServiceFeedback, 'One group per product (or category), most complaints first.'),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request) => feedback.report(request.query),
  );
};

export default serviceFeedbackRoutes;
