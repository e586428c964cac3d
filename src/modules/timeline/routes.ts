import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { TimelineItem, TimelinePage, TimelineQuery } from './schemas';
import type { TimelineService } from './service';
import { TIMELINE_TYPES } from './sources';

export interface TimelineRoutesOptions {
  timeline: TimelineService;
}

const timelineRoutes: FastifyPluginAsyncTypebox<TimelineRoutesOptions> = async (app, { timeline }) => {
  app.addSchema(TimelineItem);

  app.get(
    '/customers/:id/timeline',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getCustomerTimeline',
        summary: "A customer's timeline, newest first",
        description:
          `Everything that happened with the customer, merged newest first: ${TIMELINE_TYPES.join(', ')}. ` +
          'A follow-up is one item, at its completion once done, else at its planned time. Items at the same time come in (type, id) order, descending. ' +
          'The cursor pages across the merge: a page boundary between two sources loses and repeats nothing. ' +
          '`types` picks sources, `from`/`to` (days, inclusive, UTC) bound `occurredAt`.',
        tags: ['customers'],
        params: IdParams,
        querystring: TimelineQuery,
        response: {
          200: success(TimelinePage, 'A page of timeline items.'),
          ...errorResponses('customer_not_found', 'invalid_cursor', 'invalid_range'),
        },
      },
    },
    async (request) => timeline.page(request.params.id, request.query),
  );
};

export default timelineRoutes;
