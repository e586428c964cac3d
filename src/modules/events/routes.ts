import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, success } from '../../schemas/common';
import { describeEventType, EVENT_TYPES } from './event-types';
import { Event, EventFeedQuery, EventPage } from './schemas';
import type { EventService } from './service';

export interface EventRoutesOptions {
  events: EventService;
}

const TYPE_LIST = EVENT_TYPES.map((t) => `- \`${t}\`: ${describeEventType(t)}`).join('\n');

const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, { events }) => {
  app.addSchema(Event);
  app.get(
    '/events',
    {
      config: { scope: 'events:read' },
      schema: {
        operationId: 'listEvents',
        summary: 'The event feed: every committed change, oldest first',
        description:
          'Each change to a customer, contact, relationship, product, order or payment, and each ' +
          'churn status, lifecycle stage, star rating, value class or RFM segment an analytics run ' +
          'moves, is an event written in the same transaction as the change. Read from the start ' +
          '(no `after`) and keep polling with `after` set to the `nextCursor` you got: a consumer ' +
          'sees every committed change exactly once, in commit order, however many writers run ' +
          'at once. `nextCursor` is never null; an empty page answers a cursor to poll from. ' +
          'Events are served for EVENT_RETENTION_DAYS (default 30).\n\nTypes:\n' +
          TYPE_LIST,
        tags: ['events'],
        querystring: EventFeedQuery,
        response: {
          200: success(EventPage, 'Events after the cursor, oldest first, and the cursor to poll from next.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => events.feed(request.query),
  );
};

export default eventRoutes;
